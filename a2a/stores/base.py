"""The task store interface: where tasks and push configs live between requests.

Every read and write is scoped by owner (the principal the auth verifier returned): another
owner's task simply does not exist. The server keeps running tasks in memory and writes a
task when its run ends or pauses (terminal or interrupted state) and when a request returns
before that (non-blocking sends, streams), so a fast blocking `SendMessage` costs one write.

A store that keeps an event log (`supports_event_log = True`, e.g. a Redis store shared by
several replicas) also receives every stream event with its per-task sequence number and the
task as it stands after it, so any replica answers for any task, a client can resume a stream
on another replica without losing or repeating events, and a cancel sent to one replica
reaches the replica running the task.
"""

from __future__ import annotations

import base64
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from a2a.jsonrpc import InvalidParamsError
from a2a.types import DEFAULT_PAGE_SIZE as DEFAULT_PAGE_SIZE  # the stores page by it
from a2a.types import (
    ListTasksRequest,
    Message,
    Part,
    Role,
    Task,
    TaskPushNotificationConfig,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
    now_iso,
)


@dataclass
class TaskRecord:
    """A stored task with who owns it and the dialect it was created in."""

    task: Task
    owner: str
    dialect: str
    updated_at: float
    """Seconds since the epoch of the last write (ListTasks orders by it, newest first)."""


@dataclass
class PushRecord:
    """A stored push config with its owner and the dialect whose payloads it wants."""

    config: TaskPushNotificationConfig
    owner: str
    dialect: str


@dataclass
class TaskPage:
    """One page of ListTasks."""

    records: list[TaskRecord]
    total_size: int
    next_page_token: str


def encode_page_token(offset: int) -> str:
    """An opaque page token for an offset."""
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode("ascii")


def decode_page_token(token: str | None) -> int:
    """The offset in a page token; -32602 for a token we did not issue."""
    if not token:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(token.encode("ascii")).decode().partition(":")
        offset = int(value)
    except (ValueError, UnicodeError):
        raise InvalidParamsError("params.pageToken: not a token this server issued") from None
    if kind != "o" or offset < 0:
        raise InvalidParamsError("params.pageToken: not a token this server issued")
    return offset


INTERRUPTED_REASON = "The server stopped before the task finished; send the request again."
RUNNING_STATES = frozenset({TaskState.SUBMITTED, TaskState.WORKING})


def fail_interrupted(record: TaskRecord, reason: str) -> TaskStatusUpdateEvent:
    """Mark a task whose run died as failed with `reason`; returns the status event saying so."""
    task = record.task
    message = Message(
        role=Role.AGENT, parts=[Part(text=reason)], task_id=task.id, context_id=task.context_id
    )
    task.status = TaskStatus(state=TaskState.FAILED, message=message, timestamp=now_iso())
    task.history = [*(task.history or []), message]
    record.updated_at = time.time()
    return TaskStatusUpdateEvent(task_id=task.id, context_id=task.context_id, status=task.status)


def matches(record: TaskRecord, query: ListTasksRequest) -> bool:
    """Whether a record passes the ListTasks filters."""
    task = record.task
    if query.context_id is not None and task.context_id != query.context_id:
        return False
    if query.status is not None and task.status.state != query.status:
        return False
    after = query.status_timestamp_after
    return not (after is not None and (task.status.timestamp or "") <= after)


class TaskStore(ABC):
    """Persistence for tasks and push configs (memory, SQLite, Redis...)."""

    supports_event_log: bool = False

    @abstractmethod
    async def save(self, record: TaskRecord) -> None:
        """Insert or replace a task."""

    @abstractmethod
    async def get(self, owner: str, task_id: str) -> TaskRecord | None:
        """One task of this owner, or None."""

    @abstractmethod
    async def list_tasks(self, owner: str, query: ListTasksRequest) -> TaskPage:
        """This owner's tasks matching the filters, newest first, one page."""

    @abstractmethod
    async def save_push_config(self, record: PushRecord) -> None:
        """Insert or replace a push config (keyed by owner, task id and config id)."""

    @abstractmethod
    async def list_push_configs(self, owner: str, task_id: str) -> list[PushRecord]:
        """The push configs of one task."""

    @abstractmethod
    async def delete_push_config(self, owner: str, task_id: str, config_id: str) -> bool:
        """Remove a push config; False when there was none."""

    def append_event(self, record: TaskRecord, seq: int, event: dict[str, Any]) -> None:
        """Queue one stream event (1.0 StreamResponse form) with the task as it stands after it.

        Called synchronously, in event order, so a store can keep that order without locks;
        later `save` calls of the same task are written after it. Only stores with an event log.
        """
        return None

    async def read_events(
        self, owner: str, task_id: str, after_seq: int, *, wait: float = 0.0
    ) -> list[tuple[int, dict[str, Any]]]:
        """Events after a sequence number, oldest first; waits up to `wait` seconds for at least
        one when there is none yet. Only stores with an event log."""
        return []

    async def last_seq(self, owner: str, task_id: str) -> int:
        """The sequence number of a task's last logged event (0 when none)."""
        return 0

    async def request_cancel(self, owner: str, task_id: str) -> None:
        """Ask whichever replica runs the task to cancel it. Only stores with an event log."""
        return None

    def cancel_requests(self) -> AsyncIterator[tuple[str, str]]:
        """(owner, task id) of every cancel asked of any replica, as they come."""
        return _no_requests()

    async def recover(self, reason: str) -> int:
        """Fail the tasks whose run was interrupted (the process died mid-task) with `reason`;
        returns how many. Called when a server starts."""
        return 0

    async def close(self) -> None:
        """Release resources."""
        return None


async def _no_requests() -> AsyncIterator[tuple[str, str]]:
    return
    yield
