"""Failures on demand, for the client's reliability tests.

A fault matches a request by path (exact, or an `fnmatch` pattern such as
`/api/v1/voice/*`) and optionally by method, and fires for the next `times`
matching requests (every one when `times` is None). It can delay the request
and then let it through, answer with a chosen status and JSON body, or drop the
connection without any answer. Faults run in an ASGI middleware in front of
everything else, so they also hit routes that do their own rate limiting.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import threading
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

ADMIN_PREFIX = "/__emulator__"


@dataclass
class Fault:
    """One injected failure; see the module docstring."""

    path: str
    method: str | None = None
    status: int | None = None
    body: Any = None
    delay: float = 0.0
    drop: bool = False
    times: int | None = 1
    headers: dict[str, str] | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method and self.method.upper() != method:
            return False
        return path == self.path or fnmatch.fnmatchcase(path, self.path)


class Faults:
    """The thread-safe list of pending faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        """Arm a fault."""
        if fault.times is not None and fault.times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        """The armed faults, in order."""
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching a request, counting this use."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None


def _drop_connection(send: Send) -> bool:
    """Close the socket under uvicorn's `send`, so the client sees no answer at all."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if cycle is None or transport is None:
        return False
    transport.close()
    # Tell uvicorn the peer is gone so it neither logs nor tries a 500 on a closed socket.
    cycle.disconnected = True
    return True


class FaultMiddleware:
    """ASGI middleware applying `Faults` before the app sees the request."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Delay, drop or answer the request as the first matching fault says, else pass it on."""
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        fault = self.faults.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault.drop:
            if not _drop_connection(send):
                # No transport to close (not under uvicorn): start a reply and break it off.
                await send({"type": "http.response.start", "status": 200, "headers": []})
                raise ConnectionAbortedError("fault: dropped connection")
            return
        if fault.status is None:
            await self.app(scope, receive, send)
            return
        body = json.dumps(fault.body if fault.body is not None else {"error": "Injected fault"})
        await send(
            {
                "type": "http.response.start",
                "status": fault.status,
                "headers": [(b"content-type", b"application/json")]
                + [(k.lower().encode(), str(v).encode()) for k, v in (fault.headers or {}).items()],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})
