"""`CloudManager`: one asyncio connection to one Milady cloud agent (the seeds' CloudManager).

States (`ConnectionState`)::

    disconnected → connecting → connected → reconnecting → error
          ↑              │          ↑            │           │
          └──────────────┴──────────┴────────────┘───────────┘

- `connect(agent_id)` provisions the agent and **waits for the job** (the real
  server answers 202 with a job; Milady's client never waited), reads the agent,
  then starts two loops: backups (a snapshot every 60 s; failures are logged and
  counted, never fatal) and the health monitor (a heartbeat every 30 s).
- The heartbeat reads the JSON-RPC body: the bridge answers **HTTP 200 with
  -32000** for a dead sandbox, which Milady's monitor took for "alive". After 3
  consecutive failures the state goes `reconnecting`; up to 10 attempts follow
  (provision, then a heartbeat that must answer), waiting 3 s, 6 s, 12 s, ...
  capped at 60 s between attempts (none after the last). Success: `connected`.
  All failed: `error`, and both loops stop (call `connect` again, or `disconnect`).
- `disconnect()` takes a final snapshot (when connected), stops both loops and
  clears the connection. `aclose()` (or leaving `async with`) does the same and
  ends every `changes()` iterator. Cancelling `connect` leaves nothing running.

Every state change goes to the `on_change` callbacks, to every `changes()`
iterator and to the `eliza_tools.cloud` logger. All timing goes through the
injected `clock` (`now()` / `await asleep()`), so tests drive it with a fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from enum import StrEnum
from types import TracebackType
from typing import Any

from eliza_tools._sse import AsyncStream
from eliza_tools._transport import Clock
from eliza_tools.client import AsyncElizaCloud
from eliza_tools.cloud.urls import validate_base_url
from eliza_tools.errors import ElizaCloudError, InvalidRequestError
from eliza_tools.resources.cloud_agents import DEFAULT_ROOM
from eliza_tools.types.cloud_agents import AgentReply, CloudAgent, Snapshot, StreamEvent

log = logging.getLogger("eliza_tools.cloud")


class ConnectionState(StrEnum):
    """Milady's connection states."""

    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class StateChange:
    """One transition: from `previous` to `state`, why, and when (`clock.now()`)."""

    previous: ConnectionState
    state: ConnectionState
    agent_id: str | None
    reason: str
    at: float

    def __str__(self) -> str:
        return f"{self.previous} -> {self.state}: {self.reason}"


_POSITIVE = (
    "backup_interval",
    "heartbeat_interval",
    "heartbeat_timeout",
    "provision_timeout",
    "reconnect_max_delay",
)
_AT_LEAST_ONE = ("max_failures", "reconnect_attempts", "reconnect_multiplier")


@dataclass(frozen=True, slots=True)
class ManagerOptions:
    """Timings and limits; the defaults are Milady's (seconds)."""

    backup_interval: float = 60.0
    heartbeat_interval: float = 30.0
    heartbeat_timeout: float = 10.0
    max_failures: int = 3
    reconnect_attempts: int = 10
    reconnect_delay: float = 3.0
    reconnect_multiplier: float = 2.0
    reconnect_max_delay: float = 60.0
    #: How long `connect` (and each reconnect attempt) waits for the provisioning job.
    provision_timeout: float = 600.0
    final_snapshot: bool = True
    #: Lift the base-URL screen (plain http, loopback): for the emulator only.
    allow_private: bool = False

    def __post_init__(self) -> None:
        for name in _POSITIVE:
            if getattr(self, name) <= 0:
                raise InvalidRequestError(name, "must be > 0")
        for name in _AT_LEAST_ONE:
            if getattr(self, name) < 1:
                raise InvalidRequestError(name, "must be >= 1")
        if self.reconnect_delay < 0:
            raise InvalidRequestError("reconnect_delay", "must be >= 0")

    def reconnect_delays(self) -> list[float]:
        """The pauses between reconnect attempts: 3, 6, 12, 24, 48, 60, 60, 60, 60 by default."""
        delays = []
        delay = self.reconnect_delay
        for _ in range(self.reconnect_attempts - 1):
            delays.append(min(delay, self.reconnect_max_delay))
            delay *= self.reconnect_multiplier
        return delays


@dataclass(slots=True)
class HealthStats:
    """Counters a dashboard (or a test) can read."""

    heartbeats: int = 0
    heartbeat_failures: int = 0
    consecutive_failures: int = 0
    backups: int = 0
    backup_failures: int = 0
    reconnect_attempts: int = 0
    last_error: str | None = None
    last_backup: Snapshot | None = field(default=None, repr=False)


class NotConnectedError(ElizaCloudError):
    """A chat or snapshot was asked for while no agent is connected."""


StateCallback = Callable[[StateChange], Any]


class CloudManager:
    """One connection to one cloud agent; see the module docstring for the lifecycle.

    >>> async with AsyncElizaCloud() as cloud, CloudManager(cloud) as manager:
    ...     await manager.connect(agent_id)
    ...     reply = await manager.send_message("hello")

    The manager does not close `client`: its owner does.
    """

    def __init__(
        self,
        client: AsyncElizaCloud,
        *,
        options: ManagerOptions | None = None,
        clock: Clock | None = None,
        on_change: StateCallback | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.client = client
        self.options = options or ManagerOptions()
        self.clock = clock or Clock()
        self.stats = HealthStats()
        self._log = logger or log
        self._callbacks: list[StateCallback] = [on_change] if on_change else []
        self._queues: set[asyncio.Queue[StateChange | None]] = set()
        self._state = ConnectionState.DISCONNECTED
        self._agent_id: str | None = None
        self._agent: CloudAgent | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._lock = asyncio.Lock()
        self._url_checked = False

    # -- what can be observed --------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        """The current state."""
        return self._state

    @property
    def agent_id(self) -> str | None:
        """The agent being connected or connected (kept in `error`, for a retry)."""
        return self._agent_id

    @property
    def agent(self) -> CloudAgent | None:
        """The agent as read at the last (re)connect."""
        return self._agent

    @property
    def connected(self) -> bool:
        """Whether chat can go through now."""
        return self._state is ConnectionState.CONNECTED

    @property
    def tasks(self) -> frozenset[asyncio.Task[None]]:
        """The background loops currently owned (empty when disconnected)."""
        return frozenset(self._tasks)

    def add_listener(self, callback: StateCallback) -> None:
        """Call `callback(change)` on every state change (exceptions are logged, not raised)."""
        self._callbacks.append(callback)

    def changes(self) -> AsyncIterator[StateChange]:
        """Every state change from now on, until `aclose()`; `async for` it."""
        queue: asyncio.Queue[StateChange | None] = asyncio.Queue()
        self._queues.add(queue)
        return self._drain(queue)

    async def _drain(self, queue: asyncio.Queue[StateChange | None]) -> AsyncIterator[StateChange]:
        try:
            while (change := await queue.get()) is not None:
                yield change
        finally:
            self._queues.discard(queue)

    def _set(self, state: ConnectionState, reason: str) -> None:
        change = StateChange(self._state, state, self._agent_id, reason, self.clock.now())
        self._state = state
        level = logging.WARNING if state is ConnectionState.ERROR else logging.INFO
        self._log.log(level, "cloud agent %s: %s", change.agent_id or "-", change)
        for callback in list(self._callbacks):
            try:
                callback(change)
            except Exception:
                self._log.exception("state-change callback failed")
        for queue in self._queues:
            queue.put_nowait(change)

    # -- connect and disconnect ------------------------------------------------------------

    async def connect(self, agent_id: str) -> CloudAgent:
        """Provision `agent_id` (waiting for its job), read it, start backups and monitoring.

        Connecting to another agent disconnects the current one first (final snapshot
        included); connecting again to the connected agent returns it. On failure the
        state goes `error` then `disconnected` and the error is raised.
        """
        if not agent_id:
            raise InvalidRequestError("agent_id", "must not be empty")
        async with self._lock:
            if self._agent_id == agent_id and self.connected and self._agent is not None:
                return self._agent
            if self._agent_id is not None:
                await self._teardown(f"switching to agent {agent_id}")
            await self._check_url()
            self._agent_id = agent_id
            self._set(ConnectionState.CONNECTING, "provisioning")
            try:
                agent = await self._provision()
            except asyncio.CancelledError:
                self._clear()
                self._set(ConnectionState.DISCONNECTED, "connect cancelled")
                raise
            except Exception as exc:
                self._set(ConnectionState.ERROR, f"connect failed: {_describe(exc)}")
                self._clear()
                self._set(ConnectionState.DISCONNECTED, "connect failed")
                raise
            self._agent = agent
            self._start(self._backup_loop(), "backups")
            self._start(self._monitor_loop(), "monitor")
            self._set(ConnectionState.CONNECTED, f"agent {agent.agent_name or agent.id} is up")
            return agent

    async def disconnect(self) -> None:
        """Final snapshot (when connected), stop both loops, clear the connection."""
        async with self._lock:
            await self._teardown("disconnect requested")

    async def aclose(self) -> None:
        """Disconnect and end every `changes()` iterator. Safe to call twice."""
        try:
            await self.disconnect()
        finally:
            await self._stop_loops()  # also when disconnect itself was cancelled
            for queue in self._queues:
                queue.put_nowait(None)

    async def __aenter__(self) -> CloudManager:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _check_url(self) -> None:
        if not self._url_checked:
            url = self.client.settings.site_url
            await asyncio.to_thread(
                validate_base_url, url, allow_private=self.options.allow_private
            )
            self._url_checked = True

    async def _provision(self) -> CloudAgent:
        agents = self.client.cloud_agents
        agent_id = self._require_id()
        await agents.provision(agent_id, wait=True, wait_timeout=self.options.provision_timeout)
        return await agents.get(agent_id)

    async def _teardown(self, reason: str) -> None:
        if self._agent_id is None and self._state is ConnectionState.DISCONNECTED:
            return
        try:
            if self.connected and self.options.final_snapshot:
                await self._snapshot("final")
        finally:
            await self._stop_loops()
            self._clear()
            self._set(ConnectionState.DISCONNECTED, reason)

    def _clear(self) -> None:
        self._agent_id = None
        self._agent = None
        self.stats.consecutive_failures = 0

    def _require_id(self) -> str:
        if self._agent_id is None:
            raise NotConnectedError("no cloud agent is connected")
        return self._agent_id

    # -- the background loops --------------------------------------------------------------

    def _start(self, loop: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(loop, name=f"cloud-{name}:{self._agent_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _stop_loops(self) -> None:
        current = asyncio.current_task()
        tasks = [task for task in self._tasks if task is not current]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _backup_loop(self) -> None:
        while True:
            await self.clock.asleep(self.options.backup_interval)
            if self.connected:  # a snapshot of a sandbox being reconnected would only fail
                await self._snapshot("scheduled")

    async def _snapshot(self, why: str) -> Snapshot | None:
        agent_id = self._require_id()
        try:
            snapshot = await self.client.cloud_agents.snapshot(agent_id)
        except Exception as exc:
            self.stats.backup_failures += 1
            self._log.warning("cloud agent %s: %s backup failed: %s", agent_id, why, _describe(exc))
            return None
        self.stats.backups += 1
        self.stats.last_backup = snapshot
        self._log.info("cloud agent %s: %s backup %s", agent_id, why, snapshot.backup_id)
        return snapshot

    async def _monitor_loop(self) -> None:
        while True:
            await self.clock.asleep(self.options.heartbeat_interval)
            if await self._beat() or self.stats.consecutive_failures < self.options.max_failures:
                continue
            if not await self._reconnect():
                self._set(ConnectionState.ERROR, f"reconnect failed: {self.stats.last_error}")
                await self._stop_loops()  # the backups stop too; this task then ends
                return

    async def _beat(self) -> bool:
        """One heartbeat; a JSON-RPC error (dead sandbox) counts as a failure like no answer."""
        agent_id = self._require_id()
        self.stats.heartbeats += 1
        try:
            await self.client.cloud_agents.heartbeat(
                agent_id, timeout=self.options.heartbeat_timeout
            )
        except Exception as exc:
            self.stats.heartbeat_failures += 1
            self.stats.consecutive_failures += 1
            self.stats.last_error = _describe(exc)
            self._log.warning(
                "cloud agent %s: heartbeat failed (%d in a row): %s",
                agent_id,
                self.stats.consecutive_failures,
                self.stats.last_error,
            )
            return False
        self.stats.consecutive_failures = 0
        return True

    async def _reconnect(self) -> bool:
        failures = self.stats.consecutive_failures
        self._set(ConnectionState.RECONNECTING, f"{failures} heartbeats failed in a row")
        delays = self.options.reconnect_delays()
        for attempt in range(1, self.options.reconnect_attempts + 1):
            self.stats.reconnect_attempts += 1
            try:
                agent = await self._provision()
                await self.client.cloud_agents.heartbeat(
                    agent.id, timeout=self.options.heartbeat_timeout
                )
            except Exception as exc:
                self.stats.last_error = _describe(exc)
                self._log.warning(
                    "cloud agent %s: reconnect attempt %d/%d failed: %s",
                    self._agent_id,
                    attempt,
                    self.options.reconnect_attempts,
                    self.stats.last_error,
                )
                if attempt <= len(delays):
                    await self.clock.asleep(delays[attempt - 1])
                continue
            self._agent = agent
            self.stats.consecutive_failures = 0
            self._set(ConnectionState.CONNECTED, f"reconnected after {attempt} attempt(s)")
            return True
        return False

    # -- chat and backups on demand --------------------------------------------------------

    def _connected_id(self) -> str:
        if not self.connected or self._agent_id is None:
            raise NotConnectedError(f"no cloud agent is connected (state: {self._state})")
        return self._agent_id

    async def send_message(self, text: str, *, room_id: str = DEFAULT_ROOM) -> AgentReply:
        """Send `text` through the connected agent's bridge; returns its reply."""
        agent_id = self._connected_id()
        return await self.client.cloud_agents.send_message(agent_id, text, room_id=room_id)

    async def stream_message(
        self, text: str, *, room_id: str | None = DEFAULT_ROOM
    ) -> AsyncStream[StreamEvent]:
        """Stream the connected agent's reply (SSE): `async with` it, then `async for`."""
        return await self.client.cloud_agents.stream_message(
            self._connected_id(), text, room_id=room_id
        )

    async def snapshot(self) -> Snapshot:
        """Back the connected agent up now (errors raise, unlike the scheduled backups)."""
        snapshot = await self.client.cloud_agents.snapshot(self._connected_id())
        self.stats.backups += 1
        self.stats.last_backup = snapshot
        return snapshot


def _describe(exc: BaseException) -> str:
    """One line for logs and state reasons (messages never carry the API key)."""
    return " ".join(str(exc).split()) or type(exc).__name__
