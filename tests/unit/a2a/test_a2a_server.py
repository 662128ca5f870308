"""The server through the ASGI transport: every dialect, errors, auth scoping, streams."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from a2a.server import api_key_auth, create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import OTHER_API_KEY, TEST_API_KEY, ScenarioAgent, scenario_card

V1 = {"A2A-Version": "1.0"}


@pytest.fixture
def agent() -> ScenarioAgent:
    return ScenarioAgent()


@pytest.fixture
async def client(agent: ScenarioAgent) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(agent, scenario_card(), store=InMemoryTaskStore(), max_body_bytes=4096)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://agent.test") as c:
        yield c


async def rpc(
    client: httpx.AsyncClient,
    method: str,
    params: Any,
    headers: dict[str, str] | None = None,
    rid: Any = 1,
) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}
    response = await client.post("/", json=body, headers=headers)
    assert response.status_code in (200, 401, 413), response.text
    result: dict[str, Any] = response.json()
    return result


def v1_message(text: str, **extra: Any) -> dict[str, Any]:
    return {"message": {"role": "ROLE_USER", "messageId": "m1", "parts": [{"text": text}], **extra}}


def sse_events(body: str) -> list[tuple[int | None, dict[str, Any]]]:
    events = []
    for block in body.strip().split("\n\n"):
        event_id = None
        data = None
        for line in block.splitlines():
            if line.startswith("id: "):
                event_id = int(line[4:])
            elif line.startswith("data: "):
                data = json.loads(line[6:])
        if data is not None:
            events.append((event_id, data))
    return events


async def test_cards_at_both_paths(client: httpx.AsyncClient) -> None:
    card = (await client.get("/.well-known/agent-card.json")).json()
    assert card["supportedInterfaces"][0] == {
        "url": "http://agent.test/",
        "protocolBinding": "JSONRPC",
        "protocolVersion": "1.0",
    }
    assert card["capabilities"] == {"streaming": True, "pushNotifications": True}
    assert "url" not in card
    legacy = (await client.get("/.well-known/agent.json")).json()
    assert legacy["url"] == "http://agent.test/" and legacy["protocolVersion"] == "0.3.0"


async def test_send_v1(client: httpx.AsyncClient) -> None:
    answer = await rpc(client, "SendMessage", v1_message("echo hi"), V1)
    task = answer["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    assert task["artifacts"][0]["parts"] == [{"text": "echo: hi"}]
    assert task["history"][0]["messageId"] == "m1"
    got = await rpc(client, "GetTask", {"id": task["id"], "historyLength": 0}, V1)
    assert got["result"]["id"] == task["id"] and "history" not in got["result"]


async def test_send_v03_cloud_and_v01(client: httpx.AsyncClient) -> None:
    v03 = await rpc(
        client,
        "message/send",
        {
            "message": {
                "kind": "message",
                "messageId": "m",
                "role": "user",
                "parts": [{"kind": "text", "text": "echo a"}],
            }
        },
    )
    assert v03["result"]["kind"] == "task" and v03["result"]["status"]["state"] == "completed"
    assert v03["result"]["artifacts"][0]["parts"] == [{"kind": "text", "text": "echo: a"}]

    cloud = await rpc(
        client,
        "message/send",
        {
            "message": {"role": "user", "parts": [{"type": "text", "text": "echo b"}]},
            "metadata": {"contextId": "ctx-9"},
        },
    )
    assert "kind" not in cloud["result"] and cloud["result"]["contextId"] == "ctx-9"
    assert cloud["result"]["artifacts"][0]["parts"] == [{"type": "text", "text": "echo: b"}]
    got = await rpc(client, "tasks/get", {"id": cloud["result"]["id"]})
    assert got["result"]["history"][0]["parts"][0]["type"] == "text"

    v01 = await rpc(
        client,
        "tasks/send",
        {
            "id": "client-task-1",
            "sessionId": "s1",
            "message": {"role": "user", "parts": [{"type": "text", "text": "echo c"}]},
        },
    )
    assert v01["result"]["id"] == "client-task-1" and v01["result"]["sessionId"] == "s1"
    assert v01["result"]["artifacts"][0]["index"] == 0
    got01 = await rpc(client, "tasks/get", {"id": "client-task-1"})
    assert got01["result"]["sessionId"] == "s1"


async def test_version_header_required_for_v1_methods(client: httpx.AsyncClient) -> None:
    answer = await rpc(client, "SendMessage", v1_message("echo hi"))
    assert answer["error"]["code"] == -32009
    assert answer["error"]["data"][0]["reason"] == "VERSION_NOT_SUPPORTED"
    assert "A2A-Version: 1.0" in answer["error"]["message"]
    bad = await rpc(client, "message/send", {}, {"A2A-Version": "7.0"})
    assert bad["error"]["code"] == -32009


@pytest.mark.parametrize(
    ("body", "code", "rid"),
    [
        (b"{oops", -32700, None),
        (b'{"jsonrpc":"2.0","id":5,"method":"nope","params":{}}', -32601, 5),
        (b'{"jsonrpc":"2.0","id":6,"params":{}}', -32600, 6),
        (b'{"jsonrpc":"2.0","id":7,"method":"GetTask","params":{"id":3}}', -32602, 7),
        (b'{"jsonrpc":"2.0","id":8,"method":"GetTask","params":{"id":"missing"}}', -32001, 8),
        (b'{"jsonrpc":"2.0","id":9,"method":"ListTasks","params":{"pageSize":-1}}', -32602, 9),
        (b'{"jsonrpc":"2.0","id":10,"method":"ListTasks","params":{"pageToken":"zz"}}', -32602, 10),
        (b'{"jsonrpc":"2.0","id":11,"method":"SendMessage","params":{"message":{}}}', -32602, 11),
    ],
)
async def test_malformed_input_gets_jsonrpc_errors(
    client: httpx.AsyncClient, body: bytes, code: int, rid: Any
) -> None:
    response = await client.post("/", content=body, headers=V1)
    assert response.status_code == 200
    answer = response.json()
    assert answer["error"]["code"] == code and answer["id"] == rid


async def test_invalid_params_names_the_field(client: httpx.AsyncClient) -> None:
    params = {"message": {"role": "ROLE_USER", "messageId": "m", "parts": [{"text": 5}]}}
    answer = await rpc(client, "SendMessage", params, V1)
    assert answer["error"]["code"] == -32602
    assert answer["error"]["message"].startswith("params.message.parts.0.text")


async def test_body_limit(client: httpx.AsyncClient) -> None:
    response = await client.post("/", content=b"x" * 5000, headers=V1)
    assert response.status_code == 413 and response.json()["error"]["code"] == -32600


async def test_reply_input_required_fail_and_cancel_rules(client: httpx.AsyncClient) -> None:
    reply = await rpc(client, "SendMessage", v1_message("reply yo"), V1)
    assert reply["result"]["message"]["parts"] == [{"text": "reply: yo"}]
    asked = (await rpc(client, "SendMessage", v1_message("ask"), V1))["result"]["task"]
    assert asked["status"]["state"] == "TASK_STATE_INPUT_REQUIRED"
    more = v1_message("blue", taskId=asked["id"], contextId=asked["contextId"])
    done = (await rpc(client, "SendMessage", more, V1))["result"]["task"]
    assert done["id"] == asked["id"] and done["status"]["state"] == "TASK_STATE_COMPLETED"
    assert done["status"]["message"]["parts"] == [{"text": "got: blue"}]
    again = await rpc(client, "SendMessage", v1_message("x", taskId=asked["id"]), V1)
    assert again["error"]["code"] == -32004
    cancel = await rpc(client, "CancelTask", {"id": asked["id"]}, V1)
    assert cancel["error"]["code"] == -32002
    failed = (await rpc(client, "SendMessage", v1_message("fail"), V1))["result"]["task"]
    assert failed["status"]["state"] == "TASK_STATE_FAILED"
    assert "secret" not in json.dumps(failed)
    unknown_task = await rpc(client, "SendMessage", v1_message("x", taskId="nope"), V1)
    assert unknown_task["error"]["code"] == -32001


async def test_list_tasks_paginates(client: httpx.AsyncClient) -> None:
    for i in range(5):
        await rpc(client, "SendMessage", v1_message(f"echo {i}", contextId="c1"), V1)
    await rpc(client, "SendMessage", v1_message("echo other"), V1)
    seen: list[str] = []
    token = ""
    while True:
        params = {"contextId": "c1", "pageSize": 2, "pageToken": token}
        page = (await rpc(client, "ListTasks", params, V1))["result"]
        assert page["totalSize"] == 5 and page["pageSize"] == 2 and len(page["tasks"]) <= 2
        assert all("artifacts" not in t for t in page["tasks"])
        seen += [t["id"] for t in page["tasks"]]
        token = page["nextPageToken"]
        if not token:
            break
    assert len(seen) == len(set(seen)) == 5


async def test_cancel_running_task(client: httpx.AsyncClient, agent: ScenarioAgent) -> None:
    params = {**v1_message("slow"), "configuration": {"returnImmediately": True}}
    task = (await rpc(client, "SendMessage", params, V1))["result"]["task"]
    await asyncio.wait_for(agent.started.wait(), 5)
    canceled = (await rpc(client, "CancelTask", {"id": task["id"]}, V1))["result"]
    assert canceled["status"]["state"] == "TASK_STATE_CANCELED"
    assert agent.cancelled == [task["id"]]
    got = (await rpc(client, "GetTask", {"id": task["id"]}, V1))["result"]
    assert got["status"]["state"] == "TASK_STATE_CANCELED"


async def test_stream_v1_and_v03(client: httpx.AsyncClient) -> None:
    body = {
        "jsonrpc": "2.0",
        "id": 3,
        "method": "SendStreamingMessage",
        "params": v1_message("chunks"),
    }
    response = await client.post("/", json=body, headers=V1)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    kinds = [next(iter(e["result"])) for _, e in events]
    assert kinds == ["task", "artifactUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate"]
    assert [i for i, _ in events] == [1, 2, 3, 4, 5]
    assert all(e["id"] == 3 for _, e in events)

    body03 = {
        "jsonrpc": "2.0",
        "id": 4,
        "method": "message/stream",
        "params": {
            "message": {
                "kind": "message",
                "messageId": "m",
                "role": "user",
                "parts": [{"kind": "text", "text": "echo s"}],
            }
        },
    }
    events03 = sse_events((await client.post("/", json=body03)).text)
    assert [e["result"]["kind"] for _, e in events03] == [
        "task",
        "artifact-update",
        "status-update",
    ]
    assert events03[-1][1]["result"]["final"] is True


async def test_subscribe_live_then_resume_after_last_event_id(
    client: httpx.AsyncClient, agent: ScenarioAgent
) -> None:
    params = {**v1_message("slow"), "configuration": {"returnImmediately": True}}
    task = (await rpc(client, "SendMessage", params, V1))["result"]["task"]
    await asyncio.wait_for(agent.started.wait(), 5)
    body = {"jsonrpc": "2.0", "id": 9, "method": "SubscribeToTask", "params": {"id": task["id"]}}
    live = asyncio.create_task(client.post("/", json=body, headers=V1))
    await asyncio.sleep(0.05)
    agent.release.set()
    events = sse_events((await live).text)
    first = events[0][1]["result"]["task"]
    assert first["id"] == task["id"] and first["status"]["state"] == "TASK_STATE_WORKING"
    last = events[-1][1]["result"]["statusUpdate"]
    assert last["status"]["state"] == "TASK_STATE_COMPLETED"
    # A client that lost the stream after event 1 gets exactly what followed.
    response = await client.post("/", json=body, headers={**V1, "Last-Event-ID": "1"})
    replay = sse_events(response.text)
    assert [i for i, _ in replay] == [2, 3]
    assert replay[-1][1]["result"] == events[-1][1]["result"]
    # Without a Last-Event-ID, a finished task cannot be subscribed to.
    fresh = await client.post("/", json=body, headers=V1)
    assert fresh.json()["error"]["code"] == -32004


async def test_push_config_crud_and_private_url_refused(client: httpx.AsyncClient) -> None:
    task = (await rpc(client, "SendMessage", v1_message("ask"), V1))["result"]["task"]
    refused = await rpc(
        client,
        "CreateTaskPushNotificationConfig",
        {"taskId": task["id"], "url": "http://127.0.0.1:9/hook"},
        V1,
    )
    assert refused["error"]["code"] == -32602 and "non-public" in refused["error"]["message"]
    link_local = await rpc(
        client,
        "tasks/pushNotificationConfig/set",
        {"taskId": task["id"], "pushNotificationConfig": {"url": "http://169.254.169.254/x"}},
    )
    assert link_local["error"]["code"] == -32602
    listed = await rpc(client, "ListTaskPushNotificationConfigs", {"taskId": task["id"]}, V1)
    assert listed["result"]["configs"] == []


async def test_auth_and_owner_isolation() -> None:
    keys = {TEST_API_KEY: "alice", OTHER_API_KEY: "bob"}
    app = create_app(ScenarioAgent(), scenario_card(), InMemoryTaskStore(), api_key_auth(keys))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://a.test") as c:
        anonymous = await c.post("/", json={"jsonrpc": "2.0", "id": 1, "method": "GetTask"})
        assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == -32010
        assert "Bearer" in anonymous.headers["www-authenticate"]
        alice = {**V1, "X-API-Key": TEST_API_KEY}
        bob = {**V1, "Authorization": f"Bearer {OTHER_API_KEY}"}
        task = (await rpc(c, "SendMessage", v1_message("ask"), alice))["result"]["task"]
        assert (await rpc(c, "GetTask", {"id": task["id"]}, bob))["error"]["code"] == -32001
        assert (await rpc(c, "CancelTask", {"id": task["id"]}, bob))["error"]["code"] == -32001
        assert (await rpc(c, "ListTasks", {}, bob))["result"]["tasks"] == []
        mine = (await rpc(c, "ListTasks", {}, alice))["result"]["tasks"]
        assert [t["id"] for t in mine] == [task["id"]]
        assert (await rpc(c, "CancelTask", {"id": task["id"]}, alice))["result"]["status"][
            "state"
        ] == "TASK_STATE_CANCELED"


async def test_page_size_is_clamped_and_zero_means_default(client: httpx.AsyncClient) -> None:
    big = (await rpc(client, "ListTasks", {"pageSize": 1000}, V1))["result"]
    assert big["pageSize"] == 100 and big["nextPageToken"] == ""
    zero = (await rpc(client, "ListTasks", {"pageSize": 0}, V1))["result"]
    assert zero["pageSize"] == 50
