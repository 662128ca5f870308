"""What the A2A TCK (1.0-dev, `--level must`, JSON-RPC) found in our server, as tests.

Each test reproduces one TCK requirement the server once failed, on loopback with the TCK
scenario agent: JSONRPC-SSE-002 (Content-Type), PUSH-DEL-002 (idempotent delete) and
STREAM-SUB-002 (subscribing to a paused task). All three are fixed; a new finding goes here as
a strict xfail until the server passes it. See docs/conformance.md for the TCK run itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import LiveServer
from tests.tck.scenario_agent import tck_agent, tck_card

V1 = {"A2A-Version": "1.0"}


@pytest.fixture(scope="module")
def sut() -> Iterator[str]:
    app = create_app(tck_agent, tck_card(), store=InMemoryTaskStore(), allow_private_push=True)
    with LiveServer(app) as live:
        yield live.url + "/"


def rpc(method: str, params: dict[str, Any], request_id: int = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}


def send_params(message_id: str, task_id: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "role": "ROLE_USER",
        "messageId": message_id,
        "parts": [{"text": "tck"}],
    }
    if task_id:
        message["taskId"] = task_id
    return {"message": message}


async def input_required_task(client: httpx.AsyncClient, url: str) -> str:
    reply = await client.post(
        url, json=rpc("SendMessage", send_params("tck-input-required-1")), headers=V1
    )
    task = reply.json()["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_INPUT_REQUIRED"
    task_id: str = task["id"]
    return task_id


async def test_wrong_content_type_is_content_type_not_supported(sut: str) -> None:
    # The TCK's request: a Python repr (not JSON) sent as text/plain.
    payload = rpc("SendMessage", send_params("tck-error-code-005"))
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            sut, content=str(payload).encode(), headers={**V1, "Content-Type": "text/plain"}
        )
    assert reply.json()["error"]["code"] == -32005


async def test_deleting_a_push_config_twice_succeeds(sut: str) -> None:
    async with httpx.AsyncClient() as client:
        task_id = await input_required_task(client, sut)
        config = {"taskId": task_id, "id": "tck-push-1", "url": "http://127.0.0.1:9/hook"}
        created = await client.post(
            sut, json=rpc("CreateTaskPushNotificationConfig", config), headers=V1
        )
        assert "result" in created.json(), created.json()
        query = {"taskId": task_id, "id": "tck-push-1"}
        first = await client.post(
            sut, json=rpc("DeleteTaskPushNotificationConfig", query), headers=V1
        )
        assert "result" in first.json(), first.json()
        second = await client.post(
            sut, json=rpc("DeleteTaskPushNotificationConfig", query), headers=V1
        )
    assert "error" not in second.json(), second.json()


async def test_subscribe_to_a_paused_task_follows_it_to_completion(sut: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        task_id = await input_required_task(client, sut)
        events: list[dict[str, Any]] = []
        body = rpc("SubscribeToTask", {"id": task_id})
        headers = {**V1, "Accept": "text/event-stream"}
        continuation: asyncio.Task[httpx.Response] | None = None
        async with client.stream("POST", sut, json=body, headers=headers) as stream:
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                events.append(json.loads(line[5:])["result"])
                if continuation is None:  # the snapshot came: now continue the task
                    params = send_params("tck-complete-task-2", task_id)
                    send = client.post(sut, json=rpc("SendMessage", params, 2), headers=V1)
                    continuation = asyncio.get_running_loop().create_task(send)
        assert continuation is not None
        await continuation
    assert "task" in events[0]
    last = events[-1].get("statusUpdate") or events[-1].get("task") or {}
    assert last.get("status", {}).get("state") == "TASK_STATE_COMPLETED", events
