"""The emulator's state: JSON records grouped by kind, plus stored files.

Everything (accounts, keys, ledger entries, agents, documents, voices, jobs,
tasks, CLI sessions, generated files) is a record `(kind, id) -> dict`. The
records live in memory; with a `path` they are also written through to SQLite
(WAL mode) so a restarted emulator finds them again. One re-entrant lock guards
the store, and `transaction()` makes a group of writes atomic for other threads
(the Python handle of `run_emulator`) and, with SQLite, on disk: a block that
raises is rolled back and memory reloaded from the file. In memory-only mode a
raising block keeps the writes it made before the error.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Record = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BLOB NOT NULL);
"""


def _copy(record: Record) -> Record:
    """A deep copy, so callers never mutate the store behind its lock."""
    copied: Record = json.loads(json.dumps(record))
    return copied


class Store:
    """Records by kind, in memory and optionally in a SQLite file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.lock = threading.RLock()
        self._records: dict[str, dict[str, Record]] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._depth = 0
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._load()

    @property
    def persistent(self) -> bool:
        """True when writes reach a SQLite file."""
        return self._db is not None

    def _load(self) -> None:
        assert self._db is not None
        for kind, rid, data in self._db.execute("SELECT kind, id, data FROM records ORDER BY seq"):
            self._records.setdefault(kind, {})[rid] = json.loads(data)

    def _file_row(self, name: str) -> tuple[str, bytes] | None:
        assert self._db is not None
        row = self._db.execute(
            "SELECT content_type, data FROM files WHERE name = ?", (name,)
        ).fetchone()
        return (str(row[0]), bytes(row[1])) if row else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and, on disk, one SQLite transaction for the whole block."""
        with self.lock:
            outer = self._depth == 0
            self._depth += 1
            try:
                if outer and self._db is not None:
                    self._db.execute("BEGIN IMMEDIATE")
                yield
                if outer and self._db is not None:
                    self._db.execute("COMMIT")
            except BaseException:
                if outer and self._db is not None:
                    self._db.execute("ROLLBACK")
                    # Memory may hold half the block: reload what the disk kept.
                    self._records.clear()
                    self._load()
                raise
            finally:
                self._depth -= 1

    def get(self, kind: str, rid: str) -> Record | None:
        """A copy of one record, or None."""
        with self.lock:
            record = self._records.get(kind, {}).get(rid)
            return _copy(record) if record is not None else None

    def list(self, kind: str) -> list[Record]:
        """Copies of every record of a kind, oldest first."""
        with self.lock:
            return [_copy(record) for record in self._records.get(kind, {}).values()]

    def put(self, kind: str, rid: str, record: Record) -> Record:
        """Insert or replace a record; returns it."""
        data = json.dumps(record)
        with self.transaction():
            self._records.setdefault(kind, {})[rid] = _copy(record)
            if self._db is not None:
                self._db.execute(
                    "INSERT INTO records (kind, id, seq, data) VALUES (?, ?, "
                    "(SELECT COALESCE(MAX(seq), 0) + 1 FROM records), ?) "
                    "ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data",
                    (kind, rid, data),
                )
        return record

    def delete(self, kind: str, rid: str) -> bool:
        """Remove a record; False when it did not exist."""
        with self.transaction():
            existed = self._records.get(kind, {}).pop(rid, None) is not None
            if self._db is not None:
                self._db.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, rid))
            return existed

    def put_file(self, name: str, content_type: str, data: bytes) -> None:
        """Store a generated file under `name` (e.g. `images/<id>.png`)."""
        with self.transaction():
            if self._db is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO files (name, content_type, data) VALUES (?, ?, ?)",
                    (name, content_type, data),
                )
            else:
                self._files[name] = (content_type, data)

    def get_file(self, name: str) -> tuple[str, bytes] | None:
        """`(content_type, bytes)` of a stored file, or None."""
        with self.lock:
            if self._db is not None:
                return self._file_row(name)
            return self._files.get(name)

    def clear(self) -> None:
        """Forget every record and file."""
        with self.transaction():
            self._records.clear()
            self._files.clear()
            if self._db is not None:
                self._db.execute("DELETE FROM records")
                self._db.execute("DELETE FROM files")

    def close(self) -> None:
        """Close the SQLite file, if any."""
        with self.lock:
            if self._db is not None:
                self._db.close()
                self._db = None
