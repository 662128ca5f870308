"""What a replica does for a task another replica runs (stores with an event log, e.g. Redis).

- Resume or subscribe: the events come from the shared log, then from its tail as the
  running replica appends them, until the event that ends the stream.
- Cancel: the request is published until the running replica stops the agent and logs the
  canceled state; when no replica answers in time (the runner died), the task is canceled
  in the store.
- Listen: each replica follows the cancel requests and cancels the runs it owns.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from a2a.dialects import V1_0
from a2a.stores.base import RUNNING_STATES, TaskRecord, TaskStore
from a2a.types import (
    Event,
    Task,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
    ends_stream,
    now_iso,
)

log = logging.getLogger("a2a.server")

Item = tuple[int, Event]
TAIL_WAIT = 5.0
"""Seconds one blocking read of the log waits before checking the task again."""


def _decode(payload: dict[str, Any]) -> Event:
    event, _ = V1_0.decode_event(payload)
    return event


async def events_from_log(
    store: TaskStore, record: TaskRecord, after: int | None
) -> AsyncIterator[Item]:
    """A task's events from the shared log: after `after` (a resumed stream), or from the
    latest Task snapshot (a fresh subscription); then live ones until the stream ends."""
    owner, task_id = record.owner, record.task.id
    backlog = await store.read_events(owner, task_id, after or 0)
    if after is None:
        starts = [i for i, (_, payload) in enumerate(backlog) if "task" in payload]
        backlog = backlog[starts[-1] :] if starts else []
        after = backlog[0][0] - 1 if backlog else 0
    while True:
        for seq, payload in backlog:
            event = _decode(payload)
            yield seq, event
            after = seq
            if ends_stream(event):
                return
        backlog = await store.read_events(owner, task_id, after, wait=TAIL_WAIT)
        if backlog:
            continue
        current = await store.get(owner, task_id)
        if current is None or current.task.status.state not in RUNNING_STATES:
            # The log ended without its last event (expired): say where the task stands.
            task = current.task if current is not None else record.task
            status = TaskStatusUpdateEvent(
                task_id=task.id, context_id=task.context_id, status=task.status
            )
            yield after + 1, status
            return


async def cancel_elsewhere(store: TaskStore, record: TaskRecord, *, wait: float) -> Task:
    """Cancel a task another replica runs (waiting up to `wait` seconds for it to stop);
    returns it in its new state."""
    owner, task_id = record.owner, record.task.id
    after = await store.last_seq(owner, task_id)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        # Published again each round: a replica that just started may have missed it.
        await store.request_cancel(owner, task_id)
        for seq, payload in await store.read_events(owner, task_id, after, wait=0.5):
            after = seq
            if ends_stream(_decode(payload)):
                current = await store.get(owner, task_id)
                if current is not None and current.task.status.state.is_terminal:
                    return current.task
    # Nobody stopped it: its replica is gone. The store's word is the task's state now.
    current = await store.get(owner, task_id) or record
    if not current.task.status.state.is_terminal:
        current.task.status = TaskStatus(state=TaskState.CANCELED, timestamp=now_iso())
        current.updated_at = time.time()
        await store.save(current)
    return current.task


async def listen_for_cancels(
    store: TaskStore, cancel_local: Callable[[str, str], None], *, retry: float = 1.0
) -> None:
    """Follow the cancel requests of every replica and cancel the matching local runs
    (`cancel_local(owner, task_id)` ignores tasks this replica does not run)."""
    while True:
        try:
            async for owner, task_id in store.cancel_requests():
                cancel_local(owner, task_id)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the bus went away for a moment: listen again
            log.warning("cancel listener lost its connection: %s", exc)
            await asyncio.sleep(retry)
