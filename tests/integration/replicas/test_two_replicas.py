"""Two server processes on different ports sharing one Redis: any replica answers for any task,
a stream dropped on one resumes on the other with every missed event once, in order, and a
cancel sent to one replica stops the run on the other."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.fixtures.a2a import OTHER_API_KEY, TEST_API_KEY
from tests.fixtures.a2a_replica import Replicas, ServerProcess
from tests.fixtures.redis import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.timeout(60)]

HEADERS = {"A2A-Version": "1.0", "X-API-Key": TEST_API_KEY}


def body(method: str, params: dict[str, Any], rid: int = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}


def send_params(text: str) -> dict[str, Any]:
    return {"message": {"role": "ROLE_USER", "messageId": f"m-{text}", "parts": [{"text": text}]}}


async def frames(response: httpx.Response) -> AsyncIterator[tuple[int, dict[str, Any]]]:
    """(SSE id, JSON-RPC result) of each event."""
    event_id: int | None = None
    async for line in response.aiter_lines():
        if line.startswith("id: "):
            event_id = int(line[4:])
        elif line.startswith("data: "):
            payload = json.loads(line[6:])
            assert "result" in payload, payload
            assert event_id is not None
            yield event_id, payload["result"]
            event_id = None


async def rpc(http: httpx.AsyncClient, url: str, method: str, params: dict[str, Any]) -> Any:
    response = await http.post(url, json=body(method, params), headers=HEADERS)
    payload = response.json()
    assert "result" in payload, payload
    return payload["result"]


def state_of(result: dict[str, Any]) -> str | None:
    for member in ("task", "statusUpdate"):
        if member in result:
            state: str = result[member]["status"]["state"]
            return state
    return None


@pytest.fixture(scope="module")
def pair(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[ServerProcess]]:
    """Two replicas for the whole module (each test works on its own tasks)."""
    replicas = Replicas(tmp_path_factory.mktemp("replicas"))
    try:
        yield [replicas.start(redis_server.url, prefix="pair", replica_ttl=2.0) for _ in range(2)]
    finally:
        replicas.stop_all()


async def test_stream_dropped_on_one_replica_resumes_on_the_other(
    pair: list[ServerProcess],
) -> None:
    a, b = pair
    seen: list[tuple[int, dict[str, Any]]] = []
    async with httpx.AsyncClient(timeout=20) as http:
        request = body("SendStreamingMessage", send_params("count 8 60"))
        async with http.stream("POST", a.url + "/", json=request, headers=HEADERS) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            async for item in frames(response):
                seen.append(item)
                if len(seen) == 4:
                    break  # the connection drops here, mid-run
        task_id = seen[0][1]["task"]["id"]
        resume = body("SubscribeToTask", {"id": task_id}, rid=2)
        headers = {**HEADERS, "Last-Event-ID": str(seen[-1][0])}
        async with http.stream("POST", b.url + "/", json=resume, headers=headers) as response:
            async for item in frames(response):
                seen.append(item)
        ids = [seq for seq, _ in seen]
        assert ids == list(range(1, len(ids) + 1)), ids  # every event once, in order
        chunks = [r["artifactUpdate"]["artifact"]["parts"][0]["text"] for _, r in seen[2:-1]]
        assert chunks == [f"c{i} " for i in range(8)]
        assert state_of(seen[-1][1]) == "TASK_STATE_COMPLETED"
        # Either replica answers GetTask and ListTasks for it, with the whole artifact.
        for server in (a, b):
            task = await rpc(http, server.url + "/", "GetTask", {"id": task_id})
            assert task["status"]["state"] == "TASK_STATE_COMPLETED"
            assert "".join(p["text"] for p in task["artifacts"][0]["parts"]) == "".join(chunks)
            page = await rpc(http, server.url + "/", "ListTasks", {})
            assert task_id in [t["id"] for t in page["tasks"]]


async def test_fresh_subscribe_on_the_other_replica_follows_the_run(
    pair: list[ServerProcess],
) -> None:
    a, b = pair
    async with httpx.AsyncClient(timeout=20) as http:
        params = {**send_params("count 5 80"), "configuration": {"returnImmediately": True}}
        task = await rpc(http, a.url + "/", "SendMessage", params)
        task_id = task["task"]["id"]
        request = body("SubscribeToTask", {"id": task_id}, rid=3)
        async with http.stream("POST", b.url + "/", json=request, headers=HEADERS) as response:
            items = [item async for item in frames(response)]
    assert "task" in items[0][1]  # the Task first, then its updates until the end
    ids = [seq for seq, _ in items]
    assert ids == list(range(ids[0], ids[0] + len(ids)))
    assert state_of(items[-1][1]) == "TASK_STATE_COMPLETED"


async def test_cancel_sent_to_the_other_replica_stops_the_run(pair: list[ServerProcess]) -> None:
    a, b = pair
    async with httpx.AsyncClient(timeout=20) as http:
        request = body("SendStreamingMessage", send_params("hang"))
        async with http.stream("POST", a.url + "/", json=request, headers=HEADERS) as response:
            stream = frames(response)
            first = [await anext(stream), await anext(stream)]
            assert state_of(first[1][1]) == "TASK_STATE_WORKING"
            task_id = first[0][1]["task"]["id"]
            canceled = await rpc(http, b.url + "/", "CancelTask", {"id": task_id})
            assert canceled["status"]["state"] == "TASK_STATE_CANCELED"
            rest = [item async for item in stream]  # A's stream ends: the agent was stopped
        assert state_of(rest[-1][1]) == "TASK_STATE_CANCELED"
        task = await rpc(http, a.url + "/", "GetTask", {"id": task_id})
        assert task["status"]["state"] == "TASK_STATE_CANCELED"
        # Another principal cannot see or cancel it on either replica.
        other = {**HEADERS, "X-API-Key": OTHER_API_KEY}
        for server in (a, b):
            response = await http.post(
                server.url + "/", json=body("CancelTask", {"id": task_id}), headers=other
            )
            assert response.json()["error"]["code"] == -32001
