"""Task stores: in-memory, SQLite (durable, the default for a served agent)."""

from a2a.stores.base import PushRecord, TaskPage, TaskRecord, TaskStore
from a2a.stores.memory import InMemoryTaskStore
from a2a.stores.sqlite import SQLiteTaskStore

__all__ = [
    "InMemoryTaskStore",
    "PushRecord",
    "SQLiteTaskStore",
    "TaskPage",
    "TaskRecord",
    "TaskStore",
]
