"""`CloudService`: what the local cloud API acts on (login, key, client, connection manager).

It plays the part of Milady's local runtime: it runs the browser login against
the upstream cloud, keeps the API key it yields **in memory only** (Milady
writes it to `milady.json`; we never touch the user's config file), and owns one
`AsyncElizaCloud` and one `CloudManager` while a key is set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from eliza_tools.client import AsyncElizaCloud
from eliza_tools.cloud.manager import CloudManager, ManagerOptions
from eliza_tools.config import normalize_base_url
from eliza_tools.errors import (
    APIConnectionError,
    AuthenticationError,
    ElizaCloudError,
    NotFoundError,
    PermissionDeniedError,
)
from eliza_tools.resources.credits import TOP_UP_PATH
from eliza_tools.types.credits import CreditBalance

log = logging.getLogger("eliza_tools.cloud.service")
T = TypeVar("T")

KEY_PREFIX_LENGTH = 12


class NotLoggedInError(ElizaCloudError):
    """A route needing the cloud was called before a login (or after a disconnect)."""


@dataclass(frozen=True)
class Status:
    """The answer of `GET /api/cloud/status`, before it becomes JSON."""

    connected: bool
    has_api_key: bool
    reason: str | None = None
    organization_id: str | None = None


class CloudService:
    """The upstream cloud as seen by the local API: one key, one client, one manager."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        options: ManagerOptions | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        self.site_url = self.base_url.removesuffix("/api/v1")
        self.options = options or ManagerOptions()
        self._login = AsyncElizaCloud(base_url=self.base_url, anonymous=True)
        self._manager: CloudManager | None = None  # with its client, while a key is set
        # Login sessions this server started: only those may be polled (a foreign
        # session id would hand someone else's key to us). Value: the key prefix once in.
        self._sessions: dict[str, str | None] = {}
        self._upstream_down = False
        self.lock = asyncio.Lock()  # connect / disconnect / shutdown / key change: one at a time
        self._polling = asyncio.Lock()  # two polls at once would race for the one-time key
        if api_key:
            self._use_key(api_key)

    @property
    def top_up_url(self) -> str:
        """The cloud's billing page."""
        return self.site_url + TOP_UP_PATH

    @property
    def manager(self) -> CloudManager | None:
        """The connection manager, while a key is set."""
        return self._manager

    def client(self) -> AsyncElizaCloud:
        """The authenticated client; `NotLoggedInError` when nobody is logged in."""
        return self.require_manager().client

    def require_manager(self) -> CloudManager:
        """The connection manager; `NotLoggedInError` when nobody is logged in."""
        if self._manager is None:
            raise NotLoggedInError(
                "Not connected to Eliza Cloud: log in first (POST /api/cloud/login)"
            )
        return self._manager

    def _use_key(self, key: str) -> None:
        self._manager = CloudManager(AsyncElizaCloud(key, self.base_url), options=self.options)

    # -- login ---------------------------------------------------------------------------

    async def start_login(self) -> tuple[str, str]:
        """Open a login session upstream; returns its id and the page to approve it on."""
        session = await self._upstream(self._login.auth.start_cli_login())
        self._sessions[session.session_id] = None
        return session.session_id, session.browser_url

    async def login_status(self, session_id: str) -> tuple[str, str | None]:
        """`(status, key prefix or error)`: pending, authenticated, expired or error."""
        async with self._polling:
            if session_id not in self._sessions:
                return "expired", "Session not found or expired"
            prefix = self._sessions[session_id]
            if prefix is not None:
                return "authenticated", prefix
            try:
                result = await self._upstream(self._login.auth.poll_cli_login(session_id))
            except NotFoundError:
                del self._sessions[session_id]
                return "expired", "Session not found or expired"
            if result.status == "pending":
                return "pending", None
            if result.api_key is None:  # approved, but the one-time key went elsewhere
                return "error", "API key already retrieved"
            key = result.api_key.get()
            prefix = result.key_prefix or key[:KEY_PREFIX_LENGTH]
            async with self.lock:  # a new key replaces the old one (and its connection)
                await self._forget_key()
                self._use_key(key)
            self._sessions[session_id] = prefix
            log.info("logged in to %s with key %s…", self.site_url, prefix)
            return "authenticated", prefix

    # -- status and credits --------------------------------------------------------------

    async def status(self) -> Status:
        """Whether the key works, with Milady's `reason` values when it does not."""
        if self._manager is None:
            reason = "runtime_not_started" if self._upstream_down else "not_authenticated"
            return Status(connected=False, has_api_key=False, reason=reason)
        client = self._manager.client
        try:
            # `balance` answers a bad key with 401; `summary` would say a bare 500.
            await self._upstream(client.credits.balance())
            summary = await self._upstream(client.credits.summary())
        except (AuthenticationError, PermissionDeniedError):
            return Status(False, True, "api_key_present_not_authenticated")
        except ElizaCloudError:  # unreachable or failing: the cloud side is not up
            return Status(False, True, "api_key_present_runtime_not_started")
        org = summary.organization.get("id")
        return Status(True, True, organization_id=str(org) if org is not None else None)

    async def balance(self) -> CreditBalance | None:
        """The balance, or None when nobody is logged in."""
        if self._manager is None:
            return None
        return await self._upstream(self._manager.client.credits.balance())

    # -- disconnect ----------------------------------------------------------------------

    async def disconnect(self) -> None:
        """Final snapshot and stop (if connected), then forget the key."""
        async with self.lock:
            await self._forget_key()

    async def _forget_key(self) -> None:
        manager, self._manager = self._manager, None
        if manager is not None:
            try:
                await manager.aclose()  # final snapshot of a connected agent
            finally:
                await manager.client.aclose()

    async def aclose(self) -> None:
        """Disconnect and close every connection pool (the server's shutdown)."""
        try:
            await self.disconnect()
        finally:
            await self._login.aclose()

    async def _upstream(self, call: Awaitable[T]) -> T:
        """Await an upstream call, remembering whether the cloud answered at all."""
        try:
            result = await call
        except APIConnectionError:
            self._upstream_down = True
            raise
        self._upstream_down = False
        return result
