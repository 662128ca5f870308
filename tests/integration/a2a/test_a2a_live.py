"""Our client against our server under real uvicorn on loopback, in every dialect."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from a2a import (
    A2AClient,
    Message,
    SyncA2AClient,
    Task,
    TaskArtifactUpdateEvent,
    TaskNotFoundError,
    TaskState,
    TaskStatusUpdateEvent,
    get_text,
)
from a2a.server import api_key_auth, create_app
from a2a.stores import InMemoryTaskStore, SQLiteTaskStore
from a2a.types import AuthenticationInfo, SendMessageConfiguration, TaskPushNotificationConfig
from tests.fixtures.a2a import (
    OTHER_API_KEY,
    TEST_API_KEY,
    DroppingTransport,
    LiveServer,
    ScenarioAgent,
    collect,
    scenario_card,
    wait_for,
)

DIALECTS = ["1.0", "0.3", "0.1"]


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    app = create_app(ScenarioAgent(), scenario_card(), store=InMemoryTaskStore())
    with LiveServer(app) as live:
        yield live


async def test_from_url_picks_v1_from_the_card(server: LiveServer) -> None:
    async with await A2AClient.from_url(server.url) as client:
        assert client.dialect.name == "1.0"
        assert client.card is not None and client.card.name == "Scenario"
        task = await client.send_message("echo hello")
        assert isinstance(task, Task) and get_text(task) == "echo: hello"


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_every_dialect_send_get_cancel(server: LiveServer, dialect: str) -> None:
    async with await A2AClient.from_url(server.url, dialect=dialect) as client:
        done = await client.send_message("echo x")
        assert isinstance(done, Task) and done.status.state is TaskState.COMPLETED
        assert get_text(done) == "echo: x"
        asked = await client.send_message("ask")
        assert isinstance(asked, Task) and asked.status.state is TaskState.INPUT_REQUIRED
        fetched = await client.get_task(asked.id)
        assert fetched.id == asked.id and fetched.status.state is TaskState.INPUT_REQUIRED
        canceled = await client.cancel_task(asked.id)
        assert canceled.status.state is TaskState.CANCELED
        with pytest.raises(TaskNotFoundError):
            await client.get_task("no-such-task")


@pytest.mark.parametrize("dialect", DIALECTS)
async def test_every_dialect_streams(server: LiveServer, dialect: str) -> None:
    async with await A2AClient.from_url(server.url, dialect=dialect) as client:
        events = await collect(client.stream_message("chunks"))
    assert isinstance(events[-1], TaskStatusUpdateEvent)
    assert events[-1].status.state is TaskState.COMPLETED
    chunks = [get_text(e) for e in events if isinstance(e, TaskArtifactUpdateEvent)]
    assert chunks == ["c0", "c1", "c2"]


async def test_direct_message_reply(server: LiveServer) -> None:
    async with A2AClient(server.url) as client:
        reply = await client.send_message("reply hi")
        assert isinstance(reply, Message) and get_text(reply) == "reply: hi"
        assert [type(e) for e in await collect(client.stream_message("reply s"))] == [Message]


@pytest.mark.parametrize(
    ("dialect", "method"),
    [("1.0", "SubscribeToTask"), ("0.3", "tasks/resubscribe"), ("0.1", "tasks/resubscribe")],
)
async def test_dropped_stream_resumes_without_loss_or_repeats(
    server: LiveServer, dialect: str, method: str
) -> None:
    transport = DroppingTransport(after=3)
    http = httpx.AsyncClient(transport=transport, timeout=10)
    async with A2AClient(server.url, dialect=dialect, http_client=http) as client:
        events = await collect(client.stream_message("ticks"))
    await http.aclose()
    assert transport.dropped == 1
    resumed = transport.requests[-1]
    assert json.loads(resumed.content)["method"] == method
    assert resumed.headers["last-event-id"] == "3"
    ticks = [get_text(e) for e in events if isinstance(e, TaskArtifactUpdateEvent)]
    assert ticks == [f"t{i}" for i in range(6)]
    # 0.1 streams carry no Task object: its first event is the status the task started in.
    assert isinstance(events[0], TaskStatusUpdateEvent if dialect == "0.1" else Task)
    assert isinstance(events[-1], TaskStatusUpdateEvent)
    assert events[-1].status.state is TaskState.COMPLETED


def test_sync_client(server: LiveServer) -> None:
    with SyncA2AClient.from_url(server.url) as client:
        task = client.send_message("echo sync")
        assert isinstance(task, Task) and get_text(task) == "echo: sync"
        events = list(client.stream_message("chunks"))
        assert events[-1].status.state is TaskState.COMPLETED  # type: ignore[union-attr]
        page = client.list_tasks(page_size=1)
        assert len(page.tasks) == 1 and page.total_size >= 1 and page.next_page_token


async def test_push_notifications_reach_an_allowed_loopback_receiver() -> None:
    received: list[tuple[dict[str, str], Any]] = []

    async def hook(request: Request) -> Response:
        received.append((dict(request.headers), json.loads(await request.body())))
        return Response(status_code=204)

    receiver = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    app = create_app(
        ScenarioAgent(), scenario_card(), store=InMemoryTaskStore(), allow_private_push=True
    )
    with LiveServer(receiver) as hooks, LiveServer(app) as live:
        async with A2AClient(live.url) as client:
            push = TaskPushNotificationConfig(
                url=f"{hooks.url}/hook",
                token="tok-123",
                authentication=AuthenticationInfo(scheme="Bearer", credentials="cred-9"),
            )
            config = SendMessageConfiguration(task_push_notification_config=push)
            task = await client.send_message("echo pushed", configuration=config)
            assert isinstance(task, Task)
            await wait_for(
                lambda: any(
                    "statusUpdate" in body
                    and body["statusUpdate"]["status"]["state"] == "TASK_STATE_COMPLETED"
                    for _, body in received
                )
            )
            configs = await client.list_push_configs(task.id)
            assert [c.url for c in configs.configs] == [f"{hooks.url}/hook"]
    headers, first = received[0]
    assert headers["x-a2a-notification-token"] == "tok-123"
    assert headers["authorization"] == "Bearer cred-9"
    assert "task" in first
    assert [next(iter(b)) for _, b in received] == [
        "task",
        "artifactUpdate",
        "statusUpdate",
    ]


async def test_push_to_loopback_refused_by_default(server: LiveServer) -> None:
    async with A2AClient(server.url) as client:
        task = await client.send_message("ask")
        assert isinstance(task, Task)
        with pytest.raises(Exception, match="non-public"):
            await client.set_push_config(task.id, "http://localhost:9/hook")


async def test_auth_isolation_between_principals() -> None:
    keys = {TEST_API_KEY: "alice", OTHER_API_KEY: "bob"}
    app = create_app(ScenarioAgent(), scenario_card(), InMemoryTaskStore(), api_key_auth(keys))
    with LiveServer(app) as live:
        alice = await A2AClient.from_url(live.url, api_key=TEST_API_KEY)
        bob = await A2AClient.from_url(live.url, bearer_token=OTHER_API_KEY)
        task = await alice.send_message("ask")
        assert isinstance(task, Task)
        with pytest.raises(TaskNotFoundError):
            await bob.get_task(task.id)
        with pytest.raises(TaskNotFoundError):
            await bob.cancel_task(task.id)
        assert (await alice.get_task(task.id)).id == task.id
        await alice.aclose()
        await bob.aclose()


async def test_elizacloud_client_against_our_server(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str | None, str | None]] = []

    async def both_headers(request: Request) -> str | None:
        seen.append((request.headers.get("x-api-key"), request.headers.get("authorization")))
        return "cloud-user" if request.headers.get("x-api-key") == TEST_API_KEY else None

    for name in ("ELIZACLOUD_API_KEY", "ELIZAOS_CLOUD_API_KEY", "ELIZAOS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(
        ScenarioAgent(), scenario_card(), InMemoryTaskStore(), both_headers, rpc_path="/api/a2a"
    )
    with LiveServer(app) as live:
        client = A2AClient.for_elizacloud(api_key=TEST_API_KEY, base_url=live.url)
        assert client.dialect.name == "elizacloud" and TEST_API_KEY not in repr(client)
        task = await client.chat_with_agent("agent-7", "hi there")
        assert isinstance(task, Task)
        assert get_text(task) == (
            "skill: [('agentId', 'agent-7'), ('message', 'hi there'), ('skill', 'chat_with_agent')]"
        )
        balance = await client.call_skill("check_balance")
        assert get_text(balance) == "skill: [('skill', 'check_balance')]"
        got = await client.get_task(task.id)
        assert got.id == task.id
        await client.aclose()
    assert seen[0] == (TEST_API_KEY, f"Bearer {TEST_API_KEY}")


async def test_sqlite_tasks_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    with LiveServer(create_app(ScenarioAgent(), scenario_card(), store=path)) as first:
        async with A2AClient(first.url) as client:
            asked = await client.send_message("ask")
            assert isinstance(asked, Task)
    store = SQLiteTaskStore(path)
    with LiveServer(create_app(ScenarioAgent(), scenario_card(), store=store)) as second:
        async with A2AClient(second.url) as client:
            again = await client.get_task(asked.id)
            assert again.status.state is TaskState.INPUT_REQUIRED
            done = await client.send_message("green", task_id=asked.id)
            assert isinstance(done, Task) and done.status.state is TaskState.COMPLETED
            assert get_text(done) == "got: green"


async def test_cancel_a_running_task_over_the_wire() -> None:
    agent = ScenarioAgent()
    app = create_app(agent, scenario_card(), store=InMemoryTaskStore())
    with LiveServer(app) as live:
        async with A2AClient(live.url) as client:
            started = await client.send_message("slow", return_immediately=True)
            assert isinstance(started, Task)
            await wait_for(lambda: agent.started.is_set())
            canceled = await client.cancel_task(started.id)
            assert canceled.status.state is TaskState.CANCELED
            await asyncio.sleep(0)
            assert agent.cancelled == [started.id]
