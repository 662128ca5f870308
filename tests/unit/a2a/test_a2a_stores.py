"""Both stores behave the same: owner scoping, filters, pagination; SQLite survives reopening."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from a2a.jsonrpc import InvalidParamsError
from a2a.stores import InMemoryTaskStore, PushRecord, SQLiteTaskStore, TaskStore
from a2a.types import ListTasksRequest, TaskPushNotificationConfig, TaskState
from tests.fixtures.a2a import task_record


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TaskStore]:
    made: TaskStore = (
        InMemoryTaskStore() if request.param == "memory" else SQLiteTaskStore(tmp_path / "t.db")
    )
    yield made
    await made.close()


async def test_owner_scoping_and_replace(store: TaskStore) -> None:
    await store.save(task_record("t1"))
    assert await store.get("bob", "t1") is None
    await store.save(task_record("t1", state=TaskState.FAILED))
    found = await store.get("alice", "t1")
    assert found is not None and found.task.status.state is TaskState.FAILED
    await store.save(task_record("t1", owner="bob"))
    assert (await store.list_tasks("bob", ListTasksRequest())).total_size == 1


async def test_list_filters_and_pages(store: TaskStore) -> None:
    for i in range(7):
        state = TaskState.WORKING if i % 2 else TaskState.COMPLETED
        context = "x" if i < 5 else "y"
        await store.save(task_record(f"t{i}", state=state, when=float(i), context=context))
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
    after = await store.list_tasks(
        "alice", ListTasksRequest(status_timestamp_after="2026-01-01T00:00:04.000Z")
    )
    assert [r.task.id for r in after.records] == ["t6", "t5"]
    with pytest.raises(InvalidParamsError):
        await store.list_tasks("alice", ListTasksRequest(page_token="garbage!"))


async def test_push_configs(store: TaskStore) -> None:
    config = TaskPushNotificationConfig(
        id="p1", task_id="t1", url="https://h.example/x", token="tok"
    )
    await store.save_push_config(PushRecord(config, "alice", "0.3"))
    assert await store.list_push_configs("bob", "t1") == []
    [found] = await store.list_push_configs("alice", "t1")
    assert found.config == config and found.dialect == "0.3"
    assert await store.delete_push_config("alice", "t1", "p1") is True
    assert await store.delete_push_config("alice", "t1", "p1") is False


async def test_sqlite_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    first = SQLiteTaskStore(path)
    await first.save(task_record("kept"))
    await first.close()
    second = SQLiteTaskStore(path)
    found = await second.get("alice", "kept")
    assert found is not None and found.task.status.state is TaskState.COMPLETED
    assert second._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    await second.close()
