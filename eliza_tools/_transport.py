"""The one place HTTP happens: auth headers, rate limiting, retries, timeouts.

The retry and rate-limit logic is written once, as a generator (`_plan`) that
yields *actions* (`Sleep`, `Send`) and receives their outcomes. The sync and
async transports are thin drivers that perform those actions with blocking or
awaitable I/O. That keeps the two twins from drifting apart and lets the tests
drive the policy with a fake clock and fake responses, without sockets.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypedDict, TypeVar

import httpx

from eliza_tools._version import __version__
from eliza_tools.config import Secret, mask_secret
from eliza_tools.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    error_from_response,
)

T = TypeVar("T")

USER_AGENT = f"eliza-tools/{__version__} (python; httpx)"
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2


class RouteFamily(StrEnum):
    """Rate-limit presets the server applies, per route family (reference §0.4)."""

    STANDARD = "standard"  # 60 / min
    RELAXED = "relaxed"  # 200 / min
    CRITICAL = "critical"  # 5 / 5 min
    UNLIMITED = "unlimited"  # routes the server does not wrap (voice, milady agents)


RATE_LIMIT_PRESETS: dict[RouteFamily, tuple[int, float]] = {
    RouteFamily.STANDARD: (60, 60.0),
    RouteFamily.RELAXED: (200, 60.0),
    RouteFamily.CRITICAL: (5, 300.0),
}


@dataclass(frozen=True)
class RetryPolicy:
    """When a failed attempt may be tried again.

    `READ` is for idempotent calls. `WRITE` is for calls that change state or
    cost money (image, video, TTS, clone, uploads): they are retried only when
    the server provably did not do the work, so a user never pays twice.
    """

    retry_statuses: frozenset[int]
    retry_connect_errors: bool = True
    retry_read_errors: bool = False  # a broken read may mean the server did the work

    def should_retry(self, outcome: httpx.Response | Exception) -> bool:
        """Whether this outcome of an attempt is worth another attempt."""
        if isinstance(outcome, httpx.Response):
            return outcome.status_code in self.retry_statuses
        if isinstance(outcome, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
            return self.retry_connect_errors  # nothing reached the server
        if isinstance(outcome, httpx.TransportError):
            return self.retry_read_errors
        return False


READ = RetryPolicy(
    retry_statuses=frozenset({408, 409, 429, 500, 502, 503, 504}), retry_read_errors=True
)
WRITE = RetryPolicy(retry_statuses=frozenset({429, 503}))


class Clock:
    """Time source of the transport; tests replace it to avoid real sleeping."""

    def now(self) -> float:
        """Monotonic seconds."""
        return time.monotonic()

    def wall(self) -> float:
        """Wall-clock epoch seconds (to read ISO `X-RateLimit-Reset`)."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Block for `seconds`."""
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        """Await for `seconds`."""
        await asyncio.sleep(seconds)


class RateLimiter:
    """Client-side limiter keyed by route family that also obeys the server's headers.

    It keeps a sliding window of send times per family (the server's presets),
    and when a response says `X-RateLimit-Remaining: 0` it holds that family
    until `X-RateLimit-Reset`. A busy agent then waits instead of collecting 429s.
    """

    def __init__(
        self, clock: Clock, presets: Mapping[RouteFamily, tuple[int, float]] | None = None
    ) -> None:
        self._clock = clock
        self._presets = dict(RATE_LIMIT_PRESETS if presets is None else presets)
        self._sent: dict[RouteFamily, list[float]] = {}
        self._blocked_until: dict[RouteFamily, float] = {}
        self._lock = threading.Lock()

    def reserve(self, family: RouteFamily) -> float:
        """Take a slot for one request; return how long to wait before sending it."""
        if family not in self._presets and family not in self._blocked_until:
            return 0.0
        with self._lock:
            now = self._clock.now()
            start = max(now, self._blocked_until.get(family, 0.0))
            preset = self._presets.get(family)
            if preset is not None:
                limit, window = preset
                sent = self._sent.setdefault(family, [])
                while sent and sent[0] <= now - window:
                    sent.pop(0)
                if len(sent) >= limit:
                    start = max(start, sent[len(sent) - limit] + window)
                sent.append(start)
            return start - now

    def observe(self, family: RouteFamily, headers: httpx.Headers) -> None:
        """Follow the server's own count: hold the family when it says nothing is left."""
        remaining = headers.get("x-ratelimit-remaining")
        reset = headers.get("x-ratelimit-reset")
        if remaining is None or reset is None:
            return
        try:
            if int(remaining) > 0:
                return
        except ValueError:
            return
        wait = _seconds_until(reset, self._clock.wall())
        if wait is not None and wait > 0:
            with self._lock:
                self._blocked_until[family] = self._clock.now() + wait


def _seconds_until(reset: str, wall_now: float) -> float | None:
    """`X-RateLimit-Reset` is an ISO-8601 timestamp on the real server; accept epoch too."""
    try:
        value = float(reset)
    except ValueError:
        try:
            value = datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    if value < 1e9:  # a small number is "seconds from now", not an epoch
        return value
    return value - wall_now


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every resource method."""

    timeout: float
    max_retries: int
    extra_headers: dict[str, str]


@dataclass
class Call(Generic[T]):
    """One API call, described independently of sync or async I/O.

    Resources build a `Call`; the client's transport runs it. `parse` turns the
    successful response into the method's return value.
    """

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    family: RouteFamily = RouteFamily.STANDARD
    policy: RetryPolicy = READ
    json: Any = None
    params: Mapping[str, Any] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None
    data: Mapping[str, Any] | None = None
    site_path: bool = False  # path is relative to the site root, not to /api/v1
    timeout: float | None = None
    options: RequestOptions = field(default_factory=lambda: RequestOptions())
    authenticated: bool = True
    # Called every `progress_interval` seconds with the elapsed time while waiting
    # for a slow response (video generation holds the request for minutes).
    progress: Callable[[float], None] | None = None
    progress_interval: float = 1.0


@dataclass(frozen=True)
class Sleep:
    """Action: wait this long before going on."""

    seconds: float


@dataclass(frozen=True)
class Send:
    """Action: send this request and report the response or the exception."""

    request: httpx.Request


Outcome = httpx.Response | Exception


class TransportCore:
    """Everything both transports share: request building and the retry plan."""

    def __init__(
        self,
        *,
        api_key: Secret,
        base_url: str,
        site_url: str,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: bool = True,
        clock: Clock | None = None,
        default_headers: Mapping[str, str] | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
    ) -> None:
        self.base_url = base_url
        self.site_url = site_url
        self.timeout = timeout
        self.max_retries = max_retries
        self.clock = clock or Clock()
        self.limiter = RateLimiter(self.clock) if rate_limit else None
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._api_key = api_key
        key = api_key.get()
        # The edge rejects some Bearer-only calls: send the key both ways, as the official SDK does.
        self._auth_headers = {"Authorization": f"Bearer {key}", "X-API-Key": key}
        self._base_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if default_headers:
            self._base_headers.update(default_headers)

    def __repr__(self) -> str:
        return f"TransportCore(base_url={self.base_url!r}, api_key={self._api_key!r})"

    def url_for(self, call: Call[Any]) -> str:
        """Absolute URL of a call's path."""
        root = self.site_url if call.site_path else self.base_url
        return root + call.path

    def build_request(
        self, client: httpx.Client | httpx.AsyncClient, call: Call[Any], *, static: bool = False
    ) -> httpx.Request:
        """Turn a Call into an httpx.Request with auth, timeout and user headers.

        The static headers (User-Agent, Accept) live on the pooled httpx client
        (see `http_client_defaults`); only what varies is passed per request,
        which keeps the hot path as cheap as a bare httpx call. `static=True`
        adds them per request, for an httpx client the user brought.
        """
        extra = call.options.get("extra_headers")
        headers = dict(self._base_headers) if static else {}
        if call.authenticated:
            if not self._api_key.get():
                raise ConfigurationError(
                    f"{call.method} {call.path} needs an API key, but this client was made "
                    "with anonymous=True; pass api_key=... or set ELIZACLOUD_API_KEY"
                )
            headers.update(self._auth_headers)
        if extra:
            headers.update(extra)
        timeout = call.options.get("timeout", call.timeout)
        return client.build_request(
            call.method,
            self.url_for(call),
            json=call.json,
            params=call.params,
            files=call.files,
            data=call.data,
            headers=headers,
            timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
        )

    def http_client_defaults(self) -> dict[str, Any]:
        """Keyword arguments for the pooled httpx client a transport creates."""
        return {
            "timeout": self.timeout,
            "headers": self._base_headers,
            "follow_redirects": False,
            # httpx's default pool (100 connections, 20 kept alive) on purpose: keeping
            # more alive made 64 concurrent calls several times slower in bench/transport.py,
            # because httpcore scans every pooled connection for each request.
        }

    def backoff(self, attempt: int, response: httpx.Response | None) -> float:
        """Delay before retry number `attempt` (1-based): the server's word, else backoff."""
        if response is not None:
            hinted = _server_wait(response, self.clock.wall())
            if hinted is not None:
                return min(hinted, self.backoff_cap * 4)
        delay: float = min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))
        return delay * (0.5 + random.random() / 2)  # jitter: spread retrying clients apart

    def plan(
        self, call: Call[Any], request: httpx.Request
    ) -> Generator[Sleep | Send, Outcome, Any]:
        """The retry plan for one call; yields actions, returns the successful response."""
        max_retries = call.options.get("max_retries", self.max_retries)
        attempt = 0
        while True:
            if self.limiter is not None:
                wait = self.limiter.reserve(call.family)
                if wait > 0:
                    yield Sleep(wait)
            outcome = yield Send(request)
            if isinstance(outcome, httpx.Response) and self.limiter is not None:
                self.limiter.observe(call.family, outcome.headers)
            if isinstance(outcome, httpx.Response) and outcome.status_code < 400:
                return outcome
            if attempt < max_retries and call.policy.should_retry(outcome):
                attempt += 1
                response = outcome if isinstance(outcome, httpx.Response) else None
                yield Sleep(self.backoff(attempt, response))
                continue
            raise _as_error(outcome, request, self._api_key)


def _server_wait(response: httpx.Response, wall_now: float) -> float | None:
    retry_after = response.headers.get("retry-after")
    if retry_after is not None:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            pass
    if response.status_code == 429:
        reset = response.headers.get("x-ratelimit-reset")
        if reset is not None:
            wait = _seconds_until(reset, wall_now)
            if wait is not None:
                return max(0.0, wait)
    return None


def _as_error(outcome: Outcome, request: httpx.Request, secret: Secret | None = None) -> Exception:
    if isinstance(outcome, httpx.Response):
        content = outcome.content
        if secret is not None and secret.get():
            # A server that echoes the key in its error must not put it in our exception.
            content = content.replace(secret.get().encode(), mask_secret(secret.get()).encode())
        return error_from_response(outcome.status_code, content, outcome.headers)
    if isinstance(outcome, httpx.TimeoutException):
        return APITimeoutError(
            f"Request timed out: {request.method} {request.url}", request=request
        )
    if isinstance(outcome, httpx.TransportError):
        return APIConnectionError(
            f"Connection error on {request.method} {request.url}: {type(outcome).__name__}",
            request=request,
        )
    return outcome


class SyncTransport:
    """Runs Calls with blocking I/O over one pooled httpx.Client."""

    def __init__(self, core: TransportCore, http_client: httpx.Client | None = None) -> None:
        self.core = core
        self.http = http_client or httpx.Client(**core.http_client_defaults())
        self._static_headers = http_client is not None

    def _drive(self, call: Call[Any], *, stream: bool) -> httpx.Response:
        request = self.core.build_request(self.http, call, static=self._static_headers)
        plan = self.core.plan(call, request)
        action = next(plan)
        while True:
            if isinstance(action, Sleep):
                self.core.clock.sleep(action.seconds)
                outcome: Outcome = _NOTHING
            else:
                try:
                    outcome = self.http.send(action.request, stream=stream)
                    if stream and outcome.status_code >= 400:
                        outcome.read()  # the error body is needed to classify it
                        outcome.close()
                except httpx.TransportError as exc:
                    outcome = exc
            try:
                action = plan.send(outcome)
            except StopIteration as done:
                response: httpx.Response = done.value
                return response

    def run(self, call: Call[T]) -> T:
        """Send a call (with retries) and return its parsed result."""
        if call.progress is None:
            return call.parse(self._drive(call, stream=False))
        with _progress_thread(call.progress, call.progress_interval, self.core.clock):
            return call.parse(self._drive(call, stream=False))

    @contextmanager
    def stream(self, call: Call[Any]) -> Iterator[httpx.Response]:
        """Send a call and yield the open response; retries happen before the first byte."""
        response = self._drive(call, stream=True)
        try:
            yield response
        except httpx.TransportError as exc:
            raise _as_error(exc, response.request) from exc
        finally:
            response.close()

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()


class AsyncTransport:
    """Runs Calls with asyncio I/O over one pooled httpx.AsyncClient."""

    def __init__(self, core: TransportCore, http_client: httpx.AsyncClient | None = None) -> None:
        self.core = core
        self.http = http_client or httpx.AsyncClient(**core.http_client_defaults())
        self._static_headers = http_client is not None

    async def _drive(self, call: Call[Any], *, stream: bool) -> httpx.Response:
        request = self.core.build_request(self.http, call, static=self._static_headers)
        plan = self.core.plan(call, request)
        action = next(plan)
        while True:
            if isinstance(action, Sleep):
                await self.core.clock.asleep(action.seconds)
                outcome: Outcome = _NOTHING
            else:
                try:
                    outcome = await self.http.send(action.request, stream=stream)
                    if stream and outcome.status_code >= 400:
                        await outcome.aread()
                        await outcome.aclose()
                except httpx.TransportError as exc:
                    outcome = exc
            try:
                action = plan.send(outcome)
            except StopIteration as done:
                response: httpx.Response = done.value
                return response

    async def run(self, call: Call[T]) -> T:
        """Send a call (with retries) and return its parsed result."""
        if call.progress is None:
            return call.parse(await self._drive(call, stream=False))
        ticker = asyncio.create_task(_progress_task(call.progress, call.progress_interval))
        try:
            return call.parse(await self._drive(call, stream=False))
        finally:
            ticker.cancel()

    @asynccontextmanager
    async def stream(self, call: Call[Any]) -> AsyncIterator[httpx.Response]:
        """Send a call and yield the open response; retries happen before the first byte."""
        response = await self._drive(call, stream=True)
        try:
            yield response
        except httpx.TransportError as exc:
            raise _as_error(exc, response.request) from exc
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.http.aclose()


@contextmanager
def _progress_thread(
    report: Callable[[float], None], interval: float, clock: Clock
) -> Iterator[None]:
    """Report elapsed time from a side thread while the caller blocks on I/O."""
    stop = threading.Event()
    started = clock.now()

    def tick() -> None:
        while not stop.wait(interval):
            report(clock.now() - started)

    thread = threading.Thread(target=tick, name="eliza-tools-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


async def _progress_task(report: Callable[[float], None], interval: float) -> None:
    started = time.monotonic()
    while True:
        await asyncio.sleep(interval)
        report(time.monotonic() - started)


class _Nothing(Exception):
    """Sent back into the plan after a Sleep (which has no outcome)."""


_NOTHING = _Nothing()

__all__ = [
    "READ",
    "WRITE",
    "APIStatusError",
    "AsyncTransport",
    "Call",
    "Clock",
    "RateLimiter",
    "RequestOptions",
    "RetryPolicy",
    "RouteFamily",
    "SyncTransport",
    "TransportCore",
]
