"""An in-memory task store: fast, per process, gone on restart."""

from __future__ import annotations

from a2a.stores.base import (
    DEFAULT_PAGE_SIZE,
    PushRecord,
    TaskPage,
    TaskRecord,
    TaskStore,
    decode_page_token,
    encode_page_token,
    matches,
)
from a2a.types import ListTasksRequest


class InMemoryTaskStore(TaskStore):
    """Tasks and push configs in dicts (the records are kept by reference, not copied)."""

    def __init__(self) -> None:
        self._tasks: dict[tuple[str, str], TaskRecord] = {}
        self._push: dict[tuple[str, str], dict[str, PushRecord]] = {}

    async def save(self, record: TaskRecord) -> None:
        self._tasks[(record.owner, record.task.id)] = record

    async def get(self, owner: str, task_id: str) -> TaskRecord | None:
        return self._tasks.get((owner, task_id))

    async def list_tasks(self, owner: str, query: ListTasksRequest) -> TaskPage:
        found = [r for (o, _), r in self._tasks.items() if o == owner and matches(r, query)]
        found.sort(key=lambda r: (-r.updated_at, r.task.id))
        offset = decode_page_token(query.page_token)
        size = query.page_size or DEFAULT_PAGE_SIZE
        page = found[offset : offset + size]
        more = offset + size < len(found)
        return TaskPage(page, len(found), encode_page_token(offset + size) if more else "")

    async def save_push_config(self, record: PushRecord) -> None:
        key = (record.owner, record.config.task_id or "")
        self._push.setdefault(key, {})[record.config.id or ""] = record

    async def list_push_configs(self, owner: str, task_id: str) -> list[PushRecord]:
        return list(self._push.get((owner, task_id), {}).values())

    async def delete_push_config(self, owner: str, task_id: str, config_id: str) -> bool:
        return self._push.get((owner, task_id), {}).pop(config_id, None) is not None
