"""Our client (async and sync) against the official SDK's server (subprocess,
`.venv-interop`), in A2A 1.0 and through the SDK's 0.3 compat endpoint."""

from __future__ import annotations

import asyncio

import pytest

from a2a import (
    A2AClient,
    Message,
    SyncA2AClient,
    Task,
    TaskArtifactUpdateEvent,
    TaskNotCancelableError,
    TaskNotFoundError,
    TaskState,
    TaskStatusUpdateEvent,
    get_text,
)
from tests.fixtures.a2a import collect

pytestmark = pytest.mark.interop

VERSIONS = ["1.0", "0.3"]


async def test_from_url_reads_the_sdk_card_and_picks_1_0(sdk_server: str) -> None:
    async with await A2AClient.from_url(sdk_server) as client:
        assert client.dialect.name == "1.0"
        assert client.card is not None and client.card.name == "SDK Echo"
        task = await client.send_message("hi")
    assert isinstance(task, Task) and get_text(task) == "echo: hi"


@pytest.mark.parametrize("version", VERSIONS)
async def test_send_get_and_reply(sdk_server: str, version: str) -> None:
    async with await A2AClient.from_url(sdk_server, dialect=version) as client:
        task = await client.send_message("echo hello")
        assert isinstance(task, Task)
        assert task.status.state is TaskState.COMPLETED
        assert get_text(task) == "echo: echo hello"
        fetched = await client.get_task(task.id)
        assert fetched.id == task.id and fetched.status.state is TaskState.COMPLETED
        assert get_text(fetched) == "echo: echo hello"
        reply = await client.send_message("reply hi")
        assert isinstance(reply, Message) and get_text(reply) == "reply: hi"


@pytest.mark.parametrize("version", VERSIONS)
async def test_stream_task_working_artifact_completed(sdk_server: str, version: str) -> None:
    async with await A2AClient.from_url(sdk_server, dialect=version) as client:
        events = await collect(client.stream_message("stream me"))
    assert isinstance(events[0], Task)
    assert [type(e) for e in events[1:]] == [
        TaskStatusUpdateEvent,
        TaskArtifactUpdateEvent,
        TaskStatusUpdateEvent,
    ]
    assert get_text(events[2]) == "echo: stream me"
    states = [e.status.state for e in events if isinstance(e, TaskStatusUpdateEvent)]
    assert states == [TaskState.WORKING, TaskState.COMPLETED]
    assert {e.task_id for e in events[1:] if not isinstance(e, Message)} == {events[0].id}


@pytest.mark.parametrize("version", VERSIONS)
async def test_cancel_and_errors(sdk_server: str, version: str) -> None:
    async with await A2AClient.from_url(sdk_server, dialect=version) as client:
        asked = await client.send_message("ask")
        assert isinstance(asked, Task) and asked.status.state is TaskState.INPUT_REQUIRED
        canceled = await client.cancel_task(asked.id)
        assert canceled.id == asked.id and canceled.status.state is TaskState.CANCELED
        with pytest.raises(TaskNotCancelableError):
            await client.cancel_task(asked.id)
        with pytest.raises(TaskNotFoundError):
            await client.get_task("no-such-task")


@pytest.mark.parametrize("version", VERSIONS)
async def test_subscribe_to_a_running_task_and_cancel_it(sdk_server: str, version: str) -> None:
    async with await A2AClient.from_url(sdk_server, dialect=version) as client:
        started = await client.send_message("slow", return_immediately=True)
        assert isinstance(started, Task) and not started.status.state.is_terminal
        stream = client.subscribe(started.id)
        first = await asyncio.wait_for(anext(stream), 10)
        assert isinstance(first, Task) and first.id == started.id
        canceled = await client.cancel_task(started.id)
        assert canceled.status.state is TaskState.CANCELED
        rest = await asyncio.wait_for(collect(stream), 10)
    last = rest[-1]
    assert isinstance(last, TaskStatusUpdateEvent) and last.status.state is TaskState.CANCELED


@pytest.mark.parametrize("version", VERSIONS)
def test_sync_client_send_and_stream(sdk_server: str, version: str) -> None:
    with SyncA2AClient.from_url(sdk_server, dialect=version) as client:
        task = client.send_message("sync")
        assert isinstance(task, Task) and get_text(task) == "echo: sync"
        events = list(client.stream_message("sync stream"))
    last = events[-1]
    assert isinstance(last, TaskStatusUpdateEvent) and last.status.state is TaskState.COMPLETED
