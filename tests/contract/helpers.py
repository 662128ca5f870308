"""Helpers for contract tests that run on sync and async clients alike."""

from __future__ import annotations

import inspect
from typing import Any


async def resolved(value: Any) -> Any:
    """Await a coroutine from the async client; pass a sync client's result through."""
    if inspect.isawaitable(value):
        return await value
    return value
