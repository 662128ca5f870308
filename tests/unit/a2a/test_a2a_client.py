"""Client request building, error mapping and retry policy over httpx.MockTransport (no sockets)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from a2a import (
    A2AClient,
    A2AError,
    AuthenticationRequiredError,
    InsufficientCreditsError,
    SyncA2AClient,
    Task,
    TaskNotFoundError,
)
from a2a.client import card_urls
from a2a.jsonrpc import InternalError, RateLimitedError
from tests.fixtures.a2a import TEST_API_KEY

TASK = {"id": "t1", "status": {"state": "TASK_STATE_COMPLETED"}}


def replying(*answers: httpx.Response, seen: list[httpx.Request]) -> httpx.MockTransport:
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(handler)


def rpc_result(result: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"jsonrpc": "2.0", "id": 1, "result": result})


def rpc_error(code: int, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status, json={"jsonrpc": "2.0", "id": 1, "error": {"code": code, "message": "m"}}
    )


def test_card_urls_order() -> None:
    assert card_urls("https://a.example/") == [
        "https://a.example/.well-known/agent-card.json",
        "https://a.example/.well-known/agent.json",
    ]
    assert card_urls("https://a.example/rpc")[2:] == [
        "https://a.example/.well-known/agent-card.json",
        "https://a.example/.well-known/agent.json",
    ]
    cloud = card_urls("https://www.elizacloud.ai/api/agents/abc/a2a")
    assert cloud[-1] == "https://www.elizacloud.ai/api/agents/abc/a2a" and len(cloud) == 3
    assert card_urls("https://x.example/card.json") == ["https://x.example/card.json"]


async def test_v1_request_shape_and_headers() -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=replying(rpc_result({"task": TASK}), seen=seen))
    client = A2AClient("http://agent.test/", api_key=TEST_API_KEY, http_client=http)
    task = await client.send_message("hi", context_id="c1", return_immediately=True)
    assert isinstance(task, Task) and task.id == "t1"
    body = json.loads(seen[0].content)
    assert body["method"] == "SendMessage" and body["jsonrpc"] == "2.0"
    message = body["params"]["message"]
    assert message["role"] == "ROLE_USER" and message["parts"] == [{"text": "hi"}]
    assert message["contextId"] == "c1" and message["messageId"]
    assert body["params"]["configuration"] == {"returnImmediately": True}
    assert seen[0].headers["a2a-version"] == "1.0"
    assert seen[0].headers["x-api-key"] == TEST_API_KEY
    assert TEST_API_KEY not in repr(client)


async def test_idempotent_calls_retry_sends_do_not() -> None:
    seen: list[httpx.Request] = []
    busy = httpx.Response(503, headers={"retry-after": "0"})
    http = httpx.AsyncClient(transport=replying(busy, rpc_result(TASK), busy, seen=seen))
    client = A2AClient("http://agent.test/", http_client=http)
    assert (await client.get_task("t1")).id == "t1"
    assert len(seen) == 2
    with pytest.raises(InternalError, match="HTTP 503"):
        await client.send_message("once")
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (rpc_error(-32001), TaskNotFoundError),
        (rpc_error(-32011, 402), InsufficientCreditsError),
        (rpc_error(-32012, 429), RateLimitedError),
        (rpc_error(-32010, 401), AuthenticationRequiredError),
        (httpx.Response(401, text="no"), AuthenticationRequiredError),
        (httpx.Response(502, text="<html>"), InternalError),
    ],
)
def test_errors_are_typed(response: httpx.Response, error: type[Exception]) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=replying(response, seen=seen))
    client = SyncA2AClient("http://cloud.test/api/a2a", dialect="elizacloud", http_client=http)
    with pytest.raises(error):
        client.send_message("x")  # not idempotent: one request, no retry


def test_cloud_skill_and_chat_requests() -> None:
    seen: list[httpx.Request] = []
    done = {"id": "t", "status": {"state": "completed"}}
    http = httpx.Client(transport=replying(rpc_result(done), rpc_result(done), seen=seen))
    client = SyncA2AClient("http://cloud.test/api/a2a", dialect="elizacloud", http_client=http)
    client.call_skill("image_generation", prompt="a cat", aspectRatio="1:1")
    client.chat_with_agent("agent-1", "hello")
    first, second = (json.loads(r.content) for r in seen)
    assert first["method"] == "message/send"
    assert first["params"]["message"] == {
        "role": "user",
        "parts": [
            {
                "type": "data",
                "data": {"skill": "image_generation", "prompt": "a cat", "aspectRatio": "1:1"},
            }
        ],
    }
    assert second["params"]["message"]["parts"][0]["data"] == {
        "skill": "chat_with_agent",
        "agentId": "agent-1",
        "message": "hello",
    }
    assert "a2a-version" in seen[0].headers


def test_cloud_has_no_streaming_so_stream_yields_the_result() -> None:
    seen: list[httpx.Request] = []
    done = {"id": "t", "status": {"state": "completed"}}
    http = httpx.Client(transport=replying(rpc_result(done), seen=seen))
    client = SyncA2AClient("http://cloud.test/api/a2a", dialect="elizacloud", http_client=http)
    [only] = list(client.stream_message("hi"))
    assert isinstance(only, Task) and json.loads(seen[0].content)["method"] == "message/send"


def test_invalid_card_is_a_clear_error() -> None:
    seen: list[httpx.Request] = []
    bad = httpx.Response(200, json={"name": "x", "supportedInterfaces": [{"protocolBinding": 3}]})
    http = httpx.Client(transport=replying(bad, seen=seen))
    with pytest.raises(A2AError, match=r"Invalid agent card .*card\.supportedInterfaces\.0\.url"):
        SyncA2AClient.from_url("http://agent.test", http_client=http)
