"""SubscribeToTask on a paused (input-required) task follows the run that continues it; push
config deletes are idempotent; error messages name states readably (TaskManager, no sockets)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from a2a.jsonrpc import TaskNotCancelableError, TaskNotFoundError, UnsupportedOperationError
from a2a.server.agent import as_agent
from a2a.server.push import PushSender
from a2a.server.task_manager import Item, TaskManager, state_name
from a2a.stores import InMemoryTaskStore
from a2a.types import (
    PushConfigQuery,
    SendMessageRequest,
    Task,
    TaskPushNotificationConfig,
    TaskQuery,
    TaskState,
    TaskStatusUpdateEvent,
    user_message,
)

pytestmark = pytest.mark.timeout(10)
OWNER = "alice"


class PausingAgent:
    """`ask` pauses in input-required; a continuation saying `again` pauses again, `slow`
    works until `release` is set, anything else completes."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def execute(self, context: Any, updater: Any) -> None:
        text: str = context.text
        if context.current_task is None:
            await updater.input_required("what else?")
        elif text == "again":
            await updater.input_required("and then?")
        elif text == "slow":
            await updater.working("thinking")
            await self.release.wait()
            await updater.complete("released")
        else:
            await updater.complete(f"got: {text}")


@pytest.fixture
def agent() -> PausingAgent:
    return PausingAgent()


@pytest.fixture
def manager(agent: PausingAgent) -> TaskManager:
    return TaskManager(as_agent(agent), InMemoryTaskStore())


async def paused_task(manager: TaskManager) -> Task:
    task = await manager.send(OWNER, "1.0", SendMessageRequest(message=user_message("ask")))
    assert isinstance(task, Task) and task.status.state is TaskState.INPUT_REQUIRED
    return task


async def continue_task(manager: TaskManager, task: Task, text: str) -> None:
    request = SendMessageRequest(message=user_message(text, task_id=task.id))
    await manager.send(OWNER, "1.0", request)


def states(items: list[Item]) -> list[str]:
    out = []
    for _, event in items:
        if isinstance(event, Task):
            out.append(f"task:{state_name(event.status.state)}")
        elif isinstance(event, TaskStatusUpdateEvent):
            out.append(state_name(event.status.state))
    return out


async def rest_of(items: AsyncIterator[Item]) -> list[Item]:
    return [item async for item in items]


async def subscribe_and_then(
    manager: TaskManager, task: Task, action: Any
) -> tuple[Item, list[Item]]:
    """Subscribe, take the snapshot, run `action`, collect the stream to its end."""
    items = await manager.subscribe(OWNER, TaskQuery(id=task.id), None)
    first = await anext(items)
    collecting = asyncio.ensure_future(rest_of(items))
    await asyncio.sleep(0)  # the subscription is now waiting for the task to move
    await action()
    return first, await asyncio.wait_for(collecting, 5)


async def test_subscription_follows_the_continuation_to_its_terminal_state(
    manager: TaskManager,
) -> None:
    task = await paused_task(manager)
    first, rest = await subscribe_and_then(
        manager, task, lambda: continue_task(manager, task, "blue")
    )
    assert isinstance(first[1], Task) and first[1].status.state is TaskState.INPUT_REQUIRED
    # One Task (the first event), then the continuation's updates, ending completed.
    assert states(rest) == ["completed"]
    last = rest[-1][1]
    assert isinstance(last, TaskStatusUpdateEvent) and last.status.message is not None
    assert last.status.message.parts[0].text == "got: blue"
    assert [seq for seq, _ in rest] == sorted({seq for seq, _ in rest})
    assert rest[0][0] > first[0]
    assert not manager._paused_watchers  # nothing left waiting


async def test_subscription_sees_live_updates_of_the_continuation(
    manager: TaskManager, agent: PausingAgent
) -> None:
    task = await paused_task(manager)
    items = await manager.subscribe(OWNER, TaskQuery(id=task.id), None)
    await anext(items)
    request = SendMessageRequest(message=user_message("slow", task_id=task.id))
    run = await manager.start(OWNER, "1.0", request)
    working = await asyncio.wait_for(anext(items), 5)
    assert states([working]) == ["working"]  # while the agent is still running
    agent.release.set()
    assert states(await rest_of(items)) == ["completed"]
    await run.finished.wait()


async def test_subscription_ends_at_the_next_pause(manager: TaskManager) -> None:
    task = await paused_task(manager)
    _, rest = await subscribe_and_then(manager, task, lambda: continue_task(manager, task, "again"))
    assert states(rest) == ["input-required"]


async def test_a_paused_task_canceled_ends_its_subscription(manager: TaskManager) -> None:
    task = await paused_task(manager)

    async def cancel() -> None:
        await manager.cancel(OWNER, TaskQuery(id=task.id))

    _, rest = await subscribe_and_then(manager, task, cancel)
    assert states(rest) == ["canceled"]


async def test_a_dropped_subscription_leaves_no_watcher(manager: TaskManager) -> None:
    task = await paused_task(manager)
    items = await manager.subscribe(OWNER, TaskQuery(id=task.id), None)
    await anext(items)
    waiting = asyncio.ensure_future(anext(items))
    await asyncio.sleep(0.01)
    assert manager._paused_watchers
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await items.aclose()  # type: ignore[attr-defined]
    assert not manager._paused_watchers


async def test_deleting_a_push_config_is_idempotent(agent: PausingAgent) -> None:
    # Private hosts allowed: the test host has no DNS (nothing is delivered here).
    sender = PushSender(allow_private=True)
    manager = TaskManager(as_agent(agent), InMemoryTaskStore(), push_sender=sender)
    task = await paused_task(manager)
    config = TaskPushNotificationConfig(task_id=task.id, id="p1", url="https://hooks.test/x")
    await manager.set_push_config(OWNER, "1.0", config)
    query = PushConfigQuery(task_id=task.id, id="p1")
    await manager.delete_push_config(OWNER, query)
    await manager.delete_push_config(OWNER, query)  # already gone: still a success
    assert (await manager.list_push_configs(OWNER, PushConfigQuery(task_id=task.id))).configs == []
    # The task itself must still exist and be the caller's.
    with pytest.raises(TaskNotFoundError):
        await manager.delete_push_config("bob", query)


async def test_state_errors_name_the_state_readably(manager: TaskManager) -> None:
    task = await paused_task(manager)
    await manager.cancel(OWNER, TaskQuery(id=task.id))
    with pytest.raises(TaskNotCancelableError) as again:
        await manager.cancel(OWNER, TaskQuery(id=task.id))
    assert str(again.value) == f"Task {task.id} is already canceled"
    with pytest.raises(UnsupportedOperationError) as sub:
        await manager.subscribe(OWNER, TaskQuery(id=task.id), None)
    assert str(sub.value) == f"Task {task.id} is in terminal state canceled"
    with pytest.raises(UnsupportedOperationError) as send:
        await continue_task(manager, task, "late")
    assert "TASK_STATE" not in str(send.value) and "canceled" in str(send.value)
    assert state_name(TaskState.INPUT_REQUIRED) == "input-required"
