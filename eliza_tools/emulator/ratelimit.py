"""Fixed-window rate limiting with the real server's presets and headers (reference §0.4).

Windows are divided by the emulator's `speedup`, so a test that needs a 429 from
a 5-per-5-minutes route waits fractions of a second instead of minutes.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request

#: name -> (requests, window seconds), as `packages/lib/middleware/rate-limit.ts` defines them.
PRESETS: dict[str, tuple[int, float]] = {
    "STANDARD": (60, 60.0),
    "STRICT": (10, 60.0),
    "RELAXED": (200, 60.0),
    "CRITICAL": (5, 300.0),
    "BURST": (10, 1.0),
    "AGGRESSIVE": (100, 60.0),
    # `/api/a2a` runs its own limiter: 100 per minute per organization.
    "A2A": (100, 60.0),
}


@dataclass(frozen=True)
class Decision:
    """The outcome of one hit: allowed or not, and the headers to send."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: float
    retry_after: int

    def headers(self) -> dict[str, str]:
        """`X-RateLimit-*` headers; the reset is an ISO-8601 timestamp like the real server's."""
        reset = datetime.fromtimestamp(self.reset_at, UTC).isoformat(timespec="milliseconds")
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": reset.replace("+00:00", "Z"),
            "X-RateLimit-Policy": "in-memory",
        }


def bucket_identity(request: Request) -> str:
    """The real limiter's key: the API key if one is sent, else a shared public bucket."""
    key = request.headers.get("x-api-key")
    if key:
        return key
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    return token if token.startswith("eliza_") else "public"


class RateLimiter:
    """Counts hits per (bucket, identity) in fixed windows scaled by `speedup`."""

    def __init__(self, speedup: float = 1.0) -> None:
        self.speedup = speedup
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}

    def hit(self, preset: str, bucket: str, identity: str) -> Decision:
        """Record one request and decide whether it may proceed."""
        limit, window = PRESETS[preset]
        window /= self.speedup
        now = time.time()
        with self._lock:
            start, count = self._windows.get((bucket, identity), (now, 0))
            if now - start >= window:
                start, count = now, 0
            count += 1
            self._windows[(bucket, identity)] = (start, count)
        reset_at = start + window
        allowed = count <= limit
        return Decision(
            allowed=allowed,
            limit=limit,
            remaining=max(0, limit - count),
            reset_at=reset_at,
            retry_after=max(1, math.ceil(reset_at - now)),
        )

    def reset(self) -> None:
        """Forget every window."""
        with self._lock:
            self._windows.clear()
