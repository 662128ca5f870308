"""The credit ledger: one USD balance per account and a journal of every movement.

Billed routes call `charge` before doing the work; it debits atomically or
refuses, and the route shapes its own 402 from the refusal. `/credits/balance`
and `/credits/summary` read the same records, so they always agree.
"""

from __future__ import annotations

import uuid

from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.store import Record, Store


def balance(store: Store, account_id: str) -> float:
    """The account's balance in USD (0 for an unknown account)."""
    account = store.get("accounts", account_id)
    return float(account["balance"]) if account else 0.0


def _record(store: Store, account: Record, amount: float, type_: str, description: str) -> None:
    account["balance"] = round(float(account["balance"]) + amount, 6)
    store.put("accounts", account["id"], account)
    entry_id = str(uuid.uuid4())
    store.put(
        "transactions",
        entry_id,
        {
            "id": entry_id,
            "accountId": account["id"],
            "amount": round(amount, 6),
            "type": type_,
            "description": description,
            "createdAt": now_iso(),
        },
    )


def charge(store: Store, account_id: str, amount: float, description: str) -> bool:
    """Debit `amount` USD if the balance covers it; False (and nothing changed) otherwise."""
    with store.transaction():
        account = store.get("accounts", account_id)
        if account is None or float(account["balance"]) < amount:
            return False
        if amount > 0:
            _record(store, account, -amount, "debit", description)
        return True


def credit(store: Store, account_id: str, amount: float, description: str) -> None:
    """Add `amount` USD (a refund or a top-up)."""
    with store.transaction():
        account = store.get("accounts", account_id)
        if account is not None:
            _record(store, account, amount, "credit", description)


def set_balance(store: Store, account_id: str, value: float) -> None:
    """Force the balance (admin API); the difference is journaled as an adjustment."""
    with store.transaction():
        account = store.get("accounts", account_id)
        if account is not None:
            _record(store, account, value - float(account["balance"]), "adjustment", "admin")


def transactions(store: Store, account_id: str) -> list[Record]:
    """The account's journal, newest first."""
    entries = [t for t in store.list("transactions") if t["accountId"] == account_id]
    return entries[::-1]
