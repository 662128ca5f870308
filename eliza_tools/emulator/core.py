"""The emulator object: configuration, state and the shared services routes use.

`Emulator` holds one `Store` (memory or SQLite), the rate limiter, the armed
faults and the configuration; every route reaches it as `ctx.emu`. Time-based
behaviour (video delay, voice-clone and container progress, jobs, rate-limit
windows) is divided by `speedup`; only `cli_session_ttl` is in real seconds, so
a test can expire a login session exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eliza_tools.emulator import auth, ledger
from eliza_tools.emulator.faults import Faults
from eliza_tools.emulator.ratelimit import RateLimiter
from eliza_tools.emulator.store import Record, Store


@dataclass
class EmulatorConfig:
    """How an emulator behaves; every field has a sensible default."""

    #: Starting USD balance of the default account.
    balance: float = 25.0
    #: Divides rate-limit windows and emulated processing times.
    speedup: float = 1.0
    #: Seconds `generate-video` blocks before answering (divided by `speedup`), like the real
    #: synchronous route.
    video_delay: float = 3.0
    #: SQLite file keeping the state across restarts; None keeps it in memory.
    state_path: str | Path | None = None
    #: Real seconds a CLI login session stays valid (the server uses 10 minutes).
    cli_session_ttl: float = 600.0
    #: Emulated seconds an instant voice clone takes (professional takes 60 times longer).
    clone_seconds: float = 30.0
    #: Emulated seconds a container takes from `pending` to `running`.
    container_seconds: float = 60.0


class Emulator:
    """State and services shared by every route of one emulator app."""

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.store = Store(self.config.state_path)
        self.limiter = RateLimiter(self.config.speedup)
        self.faults = Faults()
        self.api_key, self.account_id = self._default_account()

    def _default_account(self) -> tuple[str, str]:
        """The account and plain key printed at start; a restored state keeps its own."""
        meta = self.store.get("meta", "default")
        if meta is not None:
            return str(meta["apiKey"]), str(meta["accountId"])
        with self.store.transaction():
            account = auth.create_account(self.store, self.config.balance)
            key = auth.issue_key(self.store, account["id"], "emulator default key")
            # The emulator keeps the default key in clear so a restart can print it again.
            self.store.put("meta", "default", {"apiKey": key, "accountId": account["id"]})
        return key, str(account["id"])

    # -- time -----------------------------------------------------------------------------
    def elapsed(self, since: float) -> float:
        """Emulated seconds since a wall-clock timestamp (scaled by `speedup`)."""
        return (time.time() - since) * self.config.speedup

    # -- admin ----------------------------------------------------------------------------
    def new_account(self, balance: float | None = None) -> tuple[str, str]:
        """Create another account with its own key; returns `(api_key, account_id)`."""
        with self.store.transaction():
            account = auth.create_account(
                self.store, self.config.balance if balance is None else balance
            )
            key = auth.issue_key(self.store, account["id"])
        return key, str(account["id"])

    def account(self, api_key: str | None = None) -> Record:
        """The account of a key (default: the default key)."""
        found = auth.account_for_key(self.store, api_key or self.api_key)
        if found is None:
            raise KeyError("unknown API key")
        return found

    def set_balance(self, value: float, api_key: str | None = None) -> None:
        """Force an account's balance in USD."""
        ledger.set_balance(self.store, self.account(api_key)["id"], value)

    def balance(self, api_key: str | None = None) -> float:
        """An account's balance in USD."""
        return ledger.balance(self.store, self.account(api_key)["id"])

    def reset(self) -> None:
        """Forget all state except the default key, which gets the starting balance again."""
        meta = self.store.get("meta", "default")
        key_entry = self.store.get("api_keys", auth.hash_key(self.api_key))
        with self.store.transaction():
            self.store.clear()
            account: Record = {"id": self.account_id, "name": "Emulator Org"}
            account.update(balance=self.config.balance, createdAt=auth.now_iso())
            self.store.put("accounts", self.account_id, account)
            if meta is not None and key_entry is not None:
                self.store.put("meta", "default", meta)
                self.store.put("api_keys", auth.hash_key(self.api_key), key_entry)
        self.limiter.reset()
        self.faults.clear()

    def snapshot(self) -> dict[str, Any]:
        """Counts per kind and the default balance, for the admin API."""
        kinds = ("accounts", "agents", "documents", "voices", "jobs", "tasks", "containers")
        return {
            "balance": self.balance(),
            "counts": {kind: len(self.store.list(kind)) for kind in kinds},
            "faults": len(self.faults.pending()),
            "persistent": self.store.persistent,
        }
