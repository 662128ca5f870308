"""The Redis store against a real redis-server: the same contract as the memory and SQLite
stores, plus its event log, write order and replica recovery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from a2a.stores import PushRecord, RedisTaskStore, open_store
from a2a.types import ListTasksRequest, TaskPushNotificationConfig, TaskState, TaskStatus
from tests.fixtures.a2a import task_record
from tests.fixtures.redis import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.timeout(30)]


@pytest.fixture
async def store(redis_server: RedisServer, redis_prefix: str) -> AsyncIterator[RedisTaskStore]:
    made = open_store(redis_server.url, prefix=redis_prefix, replica_ttl=0.5)
    assert isinstance(made, RedisTaskStore)
    yield made
    await asyncio.wait_for(made.close(), 5)


async def test_owner_scoping_filters_and_pages(store: RedisTaskStore) -> None:
    for i in range(7):
        state = TaskState.WORKING if i % 2 else TaskState.COMPLETED
        context = "x" if i < 5 else "y"
        await store.save(task_record(f"t{i}", state=state, when=float(i), context=context))
    await store.save(task_record("t1", owner="a:b"))  # owners with separators stay apart
    assert await store.get("bob", "t1") is None
    page = await store.list_tasks("alice", ListTasksRequest(page_size=3))
    assert [r.task.id for r in page.records] == ["t6", "t5", "t4"] and page.total_size == 7
    rest = await store.list_tasks(
        "alice", ListTasksRequest(page_size=3, page_token=page.next_page_token)
    )
    assert [r.task.id for r in rest.records] == ["t3", "t2", "t1"]
    working = await store.list_tasks(
        "alice", ListTasksRequest(status=TaskState.WORKING, context_id="x")
    )
    assert [r.task.id for r in working.records] == ["t3", "t1"]
    assert (await store.list_tasks("a:b", ListTasksRequest())).total_size == 1


async def test_push_configs_keep_their_order(store: RedisTaskStore) -> None:
    for name in ("one", "two", "three"):
        config = TaskPushNotificationConfig(id=name, task_id="t", url=f"https://h.example/{name}")
        await store.save_push_config(PushRecord(config, "alice", "1.0"))
    assert [r.config.id for r in await store.list_push_configs("alice", "t")] == [
        "one",
        "two",
        "three",
    ]
    assert await store.delete_push_config("alice", "t", "two")
    assert not await store.delete_push_config("alice", "t", "two")
    assert await store.list_push_configs("bob", "t") == []


async def test_events_and_snapshots_are_written_in_order(store: RedisTaskStore) -> None:
    rec = task_record("t", state=TaskState.WORKING)
    for seq in range(1, 51):
        rec.task.status = TaskStatus(state=TaskState.WORKING, timestamp=str(seq))
        store.append_event(rec, seq, {"statusUpdate": {"taskId": "t", "n": seq}})
    rec.task.status = TaskStatus(state=TaskState.COMPLETED)
    await store.save(rec)  # queued after every event above
    events = await store.read_events("alice", "t", 0)
    assert [seq for seq, _ in events] == list(range(1, 51))
    assert [e["statusUpdate"]["n"] for _, e in events] == list(range(1, 51))
    assert (await store.read_events("alice", "t", 48))[0][0] == 49
    assert await store.last_seq("alice", "t") == 50
    found = await store.get("alice", "t")
    assert found is not None and found.task.status.state is TaskState.COMPLETED


async def test_blocking_read_wakes_on_a_new_event(store: RedisTaskStore) -> None:
    rec = task_record("t", state=TaskState.WORKING)
    reader = asyncio.create_task(store.read_events("alice", "t", 0, wait=5.0))
    await asyncio.sleep(0.1)
    store.append_event(rec, 1, {"task": {"id": "t"}})
    events = await asyncio.wait_for(reader, 2.0)
    assert [seq for seq, _ in events] == [1]


async def test_a_dead_replicas_running_tasks_are_failed(
    redis_server: RedisServer, redis_prefix: str, store: RedisTaskStore
) -> None:
    dead = RedisTaskStore(redis_server.url, prefix=redis_prefix, replica_ttl=0.5)
    rec = task_record("t", state=TaskState.WORKING)
    dead.append_event(rec, 1, {"task": {"id": "t"}})
    await dead.save(rec)
    assert dead._heartbeat is not None
    dead._heartbeat.cancel()  # the process "dies": no more heartbeats, no cleanup
    await asyncio.sleep(0.7)
    assert await store.recover("gone") == 1
    found = await store.get("alice", "t")
    assert found is not None and found.task.status.state is TaskState.FAILED
    assert found.task.status.message is not None
    assert found.task.status.message.parts[0].text == "gone"
    events = await store.read_events("alice", "t", 1)
    assert events[0][0] == 2 and events[0][1]["statusUpdate"]["status"]["state"] == (
        "TASK_STATE_FAILED"
    )
    assert await store.recover("gone") == 0  # recovered once only
    await dead.redis.aclose()


def test_open_store_names_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="store: expected memory, sqlite:PATH"):
        open_store("postgres://x")
    assert type(open_store("memory")).__name__ == "InMemoryTaskStore"
