"""A SQLite task store (WAL): the default for a served agent, so tasks survive a restart.

Calls run inline on the event loop: each is one short indexed statement in WAL mode with
`synchronous=NORMAL` (no fsync per commit), well under a millisecond, which is cheaper than
a thread hop per request.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from typing_extensions import override

from a2a.stores.base import (
    DEFAULT_PAGE_SIZE,
    RUNNING_STATES,
    PushRecord,
    TaskPage,
    TaskRecord,
    TaskStore,
    decode_page_token,
    encode_page_token,
    fail_interrupted,
)
from a2a.types import ListTasksRequest, Task, TaskPushNotificationConfig

_SCHEMA = """
CREATE TABLE IF NOT EXISTS a2a_tasks (
    owner TEXT NOT NULL,
    id TEXT NOT NULL,
    context_id TEXT,
    state TEXT NOT NULL,
    status_ts TEXT,
    updated_at REAL NOT NULL,
    dialect TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (owner, id)
);
CREATE INDEX IF NOT EXISTS a2a_tasks_by_update ON a2a_tasks (owner, updated_at DESC, id);
CREATE TABLE IF NOT EXISTS a2a_push_configs (
    owner TEXT NOT NULL,
    task_id TEXT NOT NULL,
    config_id TEXT NOT NULL,
    dialect TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (owner, task_id, config_id)
);
"""


class SQLiteTaskStore(TaskStore):
    """Tasks and push configs in one SQLite file (or `:memory:`)."""

    def __init__(self, path: str | Path = "a2a_tasks.sqlite3") -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._pending: dict[tuple[str, str], tuple[Any, ...]] = {}
        self._committed: asyncio.Future[None] | None = None

    async def save(self, record: TaskRecord) -> None:
        """Write a task; returns once it is committed.

        Saves arriving in the same event-loop turn share one transaction (group commit), so
        a busy server pays one commit per batch instead of one per task.
        """
        task = record.task
        self._pending[(record.owner, task.id)] = (
            record.owner,
            task.id,
            task.context_id,
            task.status.state.value,
            task.status.timestamp,
            record.updated_at,
            record.dialect,
            task.model_dump_json(by_alias=True, exclude_none=True),
        )
        if self._committed is None:
            loop = asyncio.get_running_loop()
            self._committed = loop.create_future()
            loop.call_soon(self._commit)
        await asyncio.shield(self._committed)

    def _commit(self) -> None:
        """Write every pending task in one transaction and wake their savers."""
        future, self._committed = self._committed, None
        rows = list(self._pending.values())
        self._pending.clear()
        try:
            if rows:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT OR REPLACE INTO a2a_tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
                )
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if future is not None and not future.done():
                future.set_exception(exc)
            return
        if future is not None and not future.done():
            future.set_result(None)

    @override
    async def get(self, owner: str, task_id: str) -> TaskRecord | None:
        self._commit()  # reads see every save that was asked for
        row = self._db.execute(
            "SELECT body, dialect, updated_at FROM a2a_tasks WHERE owner = ? AND id = ?",
            (owner, task_id),
        ).fetchone()
        if row is None:
            return None
        return TaskRecord(Task.model_validate_json(row[0]), owner, row[1], row[2])

    @override
    async def list_tasks(self, owner: str, query: ListTasksRequest) -> TaskPage:
        self._commit()
        where = ["owner = ?"]
        args: list[Any] = [owner]
        if query.context_id is not None:
            where.append("context_id = ?")
            args.append(query.context_id)
        if query.status is not None:
            where.append("state = ?")
            args.append(query.status.value)
        if query.status_timestamp_after is not None:
            where.append("status_ts > ?")
            args.append(query.status_timestamp_after)
        clause = " AND ".join(where)
        total = self._db.execute(f"SELECT COUNT(*) FROM a2a_tasks WHERE {clause}", args).fetchone()
        offset = decode_page_token(query.page_token)
        size = query.page_size or DEFAULT_PAGE_SIZE
        rows = self._db.execute(
            f"SELECT body, dialect, updated_at FROM a2a_tasks WHERE {clause} "
            "ORDER BY updated_at DESC, id LIMIT ? OFFSET ?",
            [*args, size, offset],
        ).fetchall()
        records = [TaskRecord(Task.model_validate_json(b), owner, d, u) for b, d, u in rows]
        more = offset + size < total[0]
        return TaskPage(records, total[0], encode_page_token(offset + size) if more else "")

    @override
    async def save_push_config(self, record: PushRecord) -> None:
        config = record.config
        self._db.execute(
            "INSERT OR REPLACE INTO a2a_push_configs VALUES (?, ?, ?, ?, ?)",
            (
                record.owner,
                config.task_id or "",
                config.id or "",
                record.dialect,
                config.model_dump_json(by_alias=True, exclude_none=True),
            ),
        )

    @override
    async def list_push_configs(self, owner: str, task_id: str) -> list[PushRecord]:
        rows = self._db.execute(
            "SELECT body, dialect FROM a2a_push_configs WHERE owner = ? AND task_id = ? "
            "ORDER BY rowid",
            (owner, task_id),
        ).fetchall()
        return [
            PushRecord(TaskPushNotificationConfig.model_validate_json(b), owner, d) for b, d in rows
        ]

    @override
    async def delete_push_config(self, owner: str, task_id: str, config_id: str) -> bool:
        cursor = self._db.execute(
            "DELETE FROM a2a_push_configs WHERE owner = ? AND task_id = ? AND config_id = ?",
            (owner, task_id, config_id),
        )
        return cursor.rowcount > 0

    async def recover(self, reason: str) -> int:
        """Fail the tasks left submitted or working by a process that died (one server owns
        the file, so at start-up none of them can still be running)."""
        marks = ",".join("?" * len(RUNNING_STATES))
        rows = self._db.execute(
            f"SELECT owner, body, dialect FROM a2a_tasks WHERE state IN ({marks})",
            [s.value for s in RUNNING_STATES],
        ).fetchall()
        for owner, body, dialect in rows:
            record = TaskRecord(Task.model_validate_json(body), owner, dialect, 0.0)
            fail_interrupted(record, reason)
            await self.save(record)
        return len(rows)

    @override
    async def close(self) -> None:
        self._commit()
        self._db.close()
