"""Running a `CloudTool`: clients, the spend guard and error conversion, shared by every adapter.

`ToolRuntime.run` / `arun` return `(content, artifact)`: the short text for the
LLM and either the typed `ToolResult` or a `ToolFailure` holding the typed
exception. With `raise_errors=True` cloud errors propagate instead (the
program opts out of error-as-message handling).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from eliza_tools.client import AsyncElizaCloud, ElizaCloud
from eliza_tools.config import Settings, resolve_settings
from eliza_tools.errors import ElizaCloudError, InsufficientCreditsError
from eliza_tools.tools.base import CloudTool, ToolContext, ToolInput, ToolResult, adrive, drive
from eliza_tools.tools.budget import Budget, Reservation
from eliza_tools.tools.messages import ToolFailure, failure_from

Outcome = tuple[str, ToolResult | ToolFailure]


class ToolRuntime:
    """Clients, context and budget of one toolkit.

    Give it a client of either kind (or neither: the key comes from the
    environment). The twin of the other kind is created on first use from the
    same settings, so sync and async tool calls both run natively.
    """

    def __init__(
        self,
        client: ElizaCloud | AsyncElizaCloud | None,
        context: ToolContext,
        budget: Budget,
        *,
        raise_errors: bool = False,
    ) -> None:
        # Resolving now makes a missing key fail at construction, naming the variable.
        self.settings: Settings = client.settings if client is not None else resolve_settings()
        self._sync = client if isinstance(client, ElizaCloud) else None
        self._async = client if isinstance(client, AsyncElizaCloud) else None
        self._async_bound = False
        self._per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncElizaCloud] = (
            weakref.WeakKeyDictionary()
        )
        self.context = context
        self.budget = budget
        self.raise_errors = raise_errors

    @property
    def sync_client(self) -> ElizaCloud:
        """The blocking client (created from the settings when not given)."""
        if self._sync is None:
            self._sync = ElizaCloud(self.settings.api_key.get(), self.settings.base_url)
        return self._sync

    @property
    def async_client(self) -> AsyncElizaCloud:
        """The asyncio client of the running event loop.

        An httpx connection pool belongs to the loop that opened it, so each loop
        gets its own client: the given one serves the first loop that uses it,
        and `asyncio.run(tool.ainvoke(...))` called twice still works.
        """
        loop = asyncio.get_running_loop()
        client = self._per_loop.get(loop)
        if client is None:
            if self._async is not None and not self._async_bound:
                client, self._async_bound = self._async, True
            else:
                client = AsyncElizaCloud(self.settings.api_key.get(), self.settings.base_url)
            self._per_loop[loop] = client
        return client

    def run(self, tool: CloudTool[Any, Any], args: ToolInput) -> Outcome:
        """Run a tool on the blocking client."""
        hold = self._reserve(tool, args)
        if isinstance(hold, ToolFailure):
            return hold.message, hold
        try:
            result: ToolResult = drive(tool.plan(self.sync_client, args, self.context))
        except ElizaCloudError as exc:
            balance = self._balance() if _needs_balance(exc) else None
            return self._failed(tool, hold, exc, balance)
        return self._succeeded(hold, result)

    async def arun(self, tool: CloudTool[Any, Any], args: ToolInput) -> Outcome:
        """Run a tool on the asyncio client."""
        hold = self._reserve(tool, args)
        if isinstance(hold, ToolFailure):
            return hold.message, hold
        try:
            result: ToolResult = await adrive(tool.plan(self.async_client, args, self.context))
        except ElizaCloudError as exc:
            balance = await self._abalance() if _needs_balance(exc) else None
            return self._failed(tool, hold, exc, balance)
        return self._succeeded(hold, result)

    def failure(self, tool: str, exc: Exception, balance: float | None = None) -> ToolFailure:
        """The LLM-facing form of an exception raised for `tool`."""
        return failure_from(tool, exc, site_url=self.settings.site_url, balance_usd=balance)

    # Most 402 answers carry the amount needed but not the balance; the message
    # promises both, so look the balance up (a free call) when it is missing.
    def _balance(self) -> float | None:
        try:
            return self.sync_client.credits.balance().balance
        except ElizaCloudError:
            return None

    async def _abalance(self) -> float | None:
        try:
            return (await self.async_client.credits.balance()).balance
        except ElizaCloudError:
            return None

    def _reserve(self, tool: CloudTool[Any, Any], args: ToolInput) -> Reservation | ToolFailure:
        estimate = tool.estimate(args) if tool.estimate is not None else 0.0
        try:
            return self.budget.reserve(tool.name, estimate)
        except ElizaCloudError as exc:
            if self.raise_errors:
                raise
            return self.failure(tool.name, exc)

    def _failed(
        self, tool: CloudTool[Any, Any], hold: Reservation, exc: Exception, balance: float | None
    ) -> Outcome:
        self.budget.release(hold)
        if self.raise_errors:
            raise exc
        failure = self.failure(tool.name, exc, balance)
        return failure.message, failure

    def _succeeded(self, hold: Reservation, result: ToolResult) -> Outcome:
        self.budget.settle(hold, result.cost_usd)
        return result.summary(), result

    def close(self) -> None:
        """Close the blocking client if this runtime created or was given one."""
        if self._sync is not None:
            self._sync.close()

    async def aclose(self) -> None:
        """Close the blocking client and the asyncio client of the running loop."""
        self.close()
        client = self._per_loop.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()


def _needs_balance(exc: Exception) -> bool:
    return isinstance(exc, InsufficientCreditsError) and exc.balance_usd is None
