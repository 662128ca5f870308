"""SubscribeToTask on a paused task, with the continuation sent to another replica: two task
managers (replicas) on one real Redis store follow each other through its event log."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from a2a.server import task_manager
from a2a.server.agent import as_agent
from a2a.server.task_manager import Item, TaskManager
from a2a.stores import RedisTaskStore, open_store
from a2a.types import (
    SendMessageRequest,
    Task,
    TaskQuery,
    TaskState,
    TaskStatusUpdateEvent,
    user_message,
)
from tests.fixtures.redis import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.timeout(30)]
OWNER = "alice"


async def ask_then_complete(context: Any, updater: Any) -> None:
    if context.current_task is None:
        await updater.input_required("what else?")
    else:
        await updater.complete(f"got: {context.text}")


@pytest.fixture
async def replicas(
    redis_server: RedisServer, redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[TaskManager, TaskManager]]:
    # A waiting subscription looks at the shared store this often (5 s in production).
    monkeypatch.setattr(task_manager, "TAIL_WAIT", 0.2)
    stores = [open_store(redis_server.url, prefix=redis_prefix) for _ in range(2)]
    assert all(isinstance(store, RedisTaskStore) for store in stores)
    managers = [TaskManager(as_agent(ask_then_complete), store) for store in stores]
    yield managers[0], managers[1]
    for manager, store in zip(managers, stores, strict=True):
        manager.close()
        await asyncio.wait_for(store.close(), 5)


async def rest_of(items: AsyncIterator[Item]) -> list[Item]:
    return [item async for item in items]


async def test_a_subscription_follows_a_continuation_run_by_another_replica(
    replicas: tuple[TaskManager, TaskManager],
) -> None:
    first, second = replicas
    task = await first.send(OWNER, "1.0", SendMessageRequest(message=user_message("ask")))
    assert isinstance(task, Task) and task.status.state is TaskState.INPUT_REQUIRED

    items = await second.subscribe(OWNER, TaskQuery(id=task.id), None)
    seq, snapshot = await anext(items)
    assert isinstance(snapshot, Task) and snapshot.status.state is TaskState.INPUT_REQUIRED
    collecting = asyncio.ensure_future(rest_of(items))
    await asyncio.sleep(0.05)

    more = SendMessageRequest(message=user_message("blue", task_id=task.id))
    done = await first.send(OWNER, "1.0", more)
    assert isinstance(done, Task) and done.status.state is TaskState.COMPLETED

    rest = await asyncio.wait_for(collecting, 10)
    assert rest and all(not isinstance(event, Task) for _, event in rest)
    last = rest[-1][1]
    assert isinstance(last, TaskStatusUpdateEvent)
    assert last.status.state is TaskState.COMPLETED
    assert last.status.message is not None and last.status.message.parts[0].text == "got: blue"
    assert all(s > seq for s, _ in rest)
