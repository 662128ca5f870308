"""Task stores: in-memory, SQLite (durable, the default for a served agent), and Redis (shared by
several replicas; needs the `[redis]` extra). `open_store(spec)` opens one from a string."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from a2a.stores.base import PushRecord, TaskPage, TaskRecord, TaskStore
from a2a.stores.memory import InMemoryTaskStore
from a2a.stores.sqlite import SQLiteTaskStore

if TYPE_CHECKING:
    from a2a.stores.redis import RedisTaskStore

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def open_store(spec: str, **options: Any) -> TaskStore:
    """A task store from a string: `memory`, `sqlite:PATH`, or a Redis URL
    (`redis://host:6379/0`, `rediss://…`, `unix://…`). `options` go to the store's constructor
    (e.g. `prefix=` or `replica_ttl=` for Redis). Raises ValueError naming what was wrong."""
    if spec in ("memory", "memory:"):
        return InMemoryTaskStore(**options)
    if spec.startswith(REDIS_SCHEMES):
        try:
            from a2a.stores.redis import RedisTaskStore
        except ImportError:
            raise ValueError(
                "store: a Redis store needs the redis package (pip install 'eliza-tools[redis]')"
            ) from None
        return RedisTaskStore(spec, **options)
    kind, _, path = spec.partition(":")
    if kind == "sqlite" and path:
        return SQLiteTaskStore(path, **options)
    raise ValueError(f"store: expected memory, sqlite:PATH or redis://HOST:PORT/DB, got {spec!r}")


def __getattr__(name: str) -> Any:
    # RedisTaskStore is imported on first use, so the redis package stays optional.
    if name == "RedisTaskStore":
        from a2a.stores.redis import RedisTaskStore

        return RedisTaskStore
    raise AttributeError(f"module 'a2a.stores' has no attribute {name!r}")


__all__ = [
    "InMemoryTaskStore",
    "PushRecord",
    "RedisTaskStore",
    "SQLiteTaskStore",
    "TaskPage",
    "TaskRecord",
    "TaskStore",
    "open_store",
]
