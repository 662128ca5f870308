"""An in-memory task store: fast, per process, gone on restart.

Tasks are kept as their JSON text (one string per task, not a tree of objects): the garbage
collector then has almost nothing to walk however many tasks pile up, which keeps a busy
server's per-request cost flat, and a stored task can never be changed by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing_extensions import override

from a2a.stores.base import (
    DEFAULT_PAGE_SIZE,
    PushRecord,
    TaskPage,
    TaskRecord,
    TaskStore,
    decode_page_token,
    encode_page_token,
)
from a2a.types import ListTasksRequest, Task


@dataclass(frozen=True, slots=True)
class _Row:
    body: str
    dialect: str
    updated_at: float
    context_id: str | None
    state: str
    status_ts: str | None

    def record(self, owner: str) -> TaskRecord:
        return TaskRecord(Task.model_validate_json(self.body), owner, self.dialect, self.updated_at)

    def matches(self, query: ListTasksRequest) -> bool:
        if query.context_id is not None and self.context_id != query.context_id:
            return False
        if query.status is not None and self.state != query.status.value:
            return False
        after = query.status_timestamp_after
        return after is None or (self.status_ts or "") > after


class InMemoryTaskStore(TaskStore):
    """Tasks and push configs in dicts."""

    def __init__(self) -> None:
        self._tasks: dict[str, dict[str, _Row]] = {}
        self._push: dict[tuple[str, str], dict[str, PushRecord]] = {}

    @override
    async def save(self, record: TaskRecord) -> None:
        task = record.task
        self._tasks.setdefault(record.owner, {})[task.id] = _Row(
            task.model_dump_json(by_alias=True, exclude_none=True),
            record.dialect,
            record.updated_at,
            task.context_id,
            task.status.state.value,
            task.status.timestamp,
        )

    @override
    async def get(self, owner: str, task_id: str) -> TaskRecord | None:
        row = self._tasks.get(owner, {}).get(task_id)
        return None if row is None else row.record(owner)

    @override
    async def list_tasks(self, owner: str, query: ListTasksRequest) -> TaskPage:
        rows = [(tid, r) for tid, r in self._tasks.get(owner, {}).items() if r.matches(query)]
        rows.sort(key=lambda item: (-item[1].updated_at, item[0]))
        offset = decode_page_token(query.page_token)
        size = query.page_size or DEFAULT_PAGE_SIZE
        page = [r.record(owner) for _, r in rows[offset : offset + size]]
        more = offset + size < len(rows)
        return TaskPage(page, len(rows), encode_page_token(offset + size) if more else "")

    @override
    async def save_push_config(self, record: PushRecord) -> None:
        key = (record.owner, record.config.task_id or "")
        self._push.setdefault(key, {})[record.config.id or ""] = record

    @override
    async def list_push_configs(self, owner: str, task_id: str) -> list[PushRecord]:
        return list(self._push.get((owner, task_id), {}).values())

    @override
    async def delete_push_config(self, owner: str, task_id: str, config_id: str) -> bool:
        return self._push.get((owner, task_id), {}).pop(config_id, None) is not None
