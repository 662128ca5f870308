"""The client against the emulator's fault injection: each fault ends as the retry policy
promises (recovered, or the right typed error), a billed call is never charged twice, and
nothing hangs (short client timeouts, tiny backoff, every test under a hard time limit).

Reads (`models.list`, READ) retry 408/409/429/5xx and broken connections. Billed calls
(`images.generate`, chat; WRITE) retry only 429 and 503, where the server provably did not
do the work.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from eliza_tools import ElizaCloud
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    ServiceUnavailableError,
)

pytestmark = pytest.mark.timeout(30)

IMAGES = "/api/v1/generate-image"
MODELS = "/api/v1/models"
CHAT = "/api/v1/chat/completions"


class Counter:
    """Counts the requests the client actually sent, per path."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)

    def count(self, path: str) -> int:
        return self.paths.count(path)


def make_client(
    emulator: EmulatorHandle, counter: Counter, *, timeout: float = 5.0, **kwargs: Any
) -> ElizaCloud:
    http = httpx.Client(timeout=timeout, event_hooks={"request": [counter]}, **kwargs)
    cloud = ElizaCloud(
        emulator.api_key, emulator.base_url, http_client=http, rate_limit=False, max_retries=3
    )
    cloud._core.backoff_base = 0.01  # keep retries fast; Retry-After still rules when sent
    return cloud


@pytest.fixture
def counter() -> Counter:
    return Counter()


@pytest.fixture
def cloud(emulator: EmulatorHandle, counter: Counter) -> Iterator[ElizaCloud]:
    with make_client(emulator, counter) as client:
        yield client


def image_price(cloud: ElizaCloud, emulator: EmulatorHandle) -> float:
    before = emulator.balance()
    cloud.images.generate("a calibration image")
    return before - emulator.balance()


# -- 429 with Retry-After ------------------------------------------------------------------


def test_429_sequence_with_retry_after_recovers_after_waiting(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    emulator.inject_fault(MODELS, status=429, headers={"Retry-After": "0.2"}, times=2)
    started = time.monotonic()
    assert cloud.models.list().data
    assert time.monotonic() - started >= 0.4  # waited as told, twice
    assert counter.count(MODELS) == 3


def test_429_on_a_billed_call_is_retried_and_charged_once(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    price = image_price(cloud, emulator)
    emulator.inject_fault(IMAGES, status=429, headers={"Retry-After": "0.1"}, times=2)
    before = emulator.balance()
    cloud.images.generate("a cat")
    assert emulator.balance() == pytest.approx(before - price)
    assert counter.count(IMAGES) == 1 + 3


def test_429_past_the_retry_budget_is_a_rate_limit_error(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    emulator.inject_fault(MODELS, status=429, headers={"Retry-After": "0.05"}, times=None)
    with pytest.raises(RateLimitError) as caught:
        cloud.models.list()
    assert caught.value.retry_after == pytest.approx(0.05)
    assert counter.count(MODELS) == 4  # one try and max_retries=3 retries, no more


# -- 500 / 503 bursts ------------------------------------------------------------------------


def test_500_burst_on_a_read_recovers(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    emulator.inject_fault(MODELS, status=500, times=3)
    assert cloud.models.list().data
    assert counter.count(MODELS) == 4


def test_500_on_a_billed_call_is_not_retried(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    before = emulator.balance()
    emulator.inject_fault(IMAGES, status=500, times=1)
    with pytest.raises(InternalServerError):
        cloud.images.generate("a cat")
    assert counter.count(IMAGES) == 1  # the server may have done the work: never sent again
    assert emulator.balance() == before


def test_503_burst_on_a_billed_call_recovers_and_charges_once(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    price = image_price(cloud, emulator)
    before = emulator.balance()
    emulator.inject_fault(IMAGES, status=503, times=2)
    cloud.images.generate("a dog")
    assert emulator.balance() == pytest.approx(before - price)
    assert counter.count(IMAGES) == 1 + 3


def test_503_that_does_not_end_is_service_unavailable(
    cloud: ElizaCloud, emulator: EmulatorHandle
) -> None:
    emulator.inject_fault(IMAGES, status=503, times=None)
    before = emulator.balance()
    with pytest.raises(ServiceUnavailableError):
        cloud.images.generate("a dog")
    assert emulator.balance() == before


# -- connection resets -------------------------------------------------------------------------


def test_connection_reset_on_a_read_recovers(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    emulator.inject_fault(MODELS, drop=True, times=2)
    assert cloud.models.list().data
    assert counter.count(MODELS) == 3


def test_connection_reset_on_a_billed_call_is_a_connection_error_not_a_retry(
    cloud: ElizaCloud, emulator: EmulatorHandle, counter: Counter
) -> None:
    before = emulator.balance()
    emulator.inject_fault(IMAGES, drop=True, times=1)
    with pytest.raises(APIConnectionError) as caught:
        cloud.images.generate("a cat")
    assert not isinstance(caught.value, APITimeoutError)
    assert counter.count(IMAGES) == 1
    assert emulator.balance() == before


def test_refused_connection_is_retried_then_typed(counter: Counter) -> None:
    http = httpx.Client(timeout=1.0, event_hooks={"request": [counter]})
    key = "eliza_" + "ab" * 32
    with ElizaCloud(key, "http://127.0.0.1:9/api/v1", http_client=http, max_retries=2) as cloud:
        cloud._core.backoff_base = 0.01
        with pytest.raises(APIConnectionError):
            cloud.images.generate("nobody listens")  # connect errors are safe to retry
    assert counter.count("/api/v1/generate-image") == 3


# -- slow responses past the timeout ------------------------------------------------------------


def test_slow_read_times_out_then_recovers(emulator: EmulatorHandle, counter: Counter) -> None:
    emulator.inject_fault(MODELS, delay=1.0, times=1)
    with make_client(emulator, counter, timeout=0.3) as cloud:
        started = time.monotonic()
        assert cloud.models.list().data
    assert counter.count(MODELS) == 2 and time.monotonic() - started < 5


def test_slow_read_past_every_retry_is_a_timeout_error(
    emulator: EmulatorHandle, counter: Counter
) -> None:
    emulator.inject_fault(MODELS, delay=1.0, times=None)
    with make_client(emulator, counter, timeout=0.2) as cloud, pytest.raises(APITimeoutError):
        cloud.models.list()
    assert counter.count(MODELS) == 4


def test_slow_billed_call_times_out_once_and_is_charged_at_most_once(
    emulator: EmulatorHandle, counter: Counter
) -> None:
    with make_client(emulator, counter, timeout=0.3) as cloud:
        price = image_price(cloud, emulator)
        before = emulator.balance()
        emulator.inject_fault(IMAGES, delay=0.6, times=1)
        with pytest.raises(APITimeoutError):
            cloud.images.generate("slow cat", timeout=0.3)  # the route's own default is 180 s
    assert counter.count(IMAGES) == 2  # the calibration call and the one timed-out attempt
    time.sleep(0.6)  # the server finishes the request the client gave up on
    assert emulator.balance() >= before - price - 1e-9


# -- truncated SSE streams ------------------------------------------------------------------------


class CutTransport(httpx.BaseTransport):
    """Cuts every event-stream response after `limit` bytes, as a dropped connection."""

    def __init__(self, limit: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.limit = limit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not response.headers.get("content-type", "").startswith("text/event-stream"):
            return response
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_Cut(response, self.limit),
            request=request,
        )

    def close(self) -> None:
        self.inner.close()


class _Cut(httpx.SyncByteStream):
    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.response = response
        self.limit = limit

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self.response.iter_raw():
            if sent + len(chunk) >= self.limit:
                yield chunk[: self.limit - sent]
                raise httpx.RemoteProtocolError("peer closed connection (test)")
            sent += len(chunk)
            yield chunk

    def close(self) -> None:
        self.response.close()


def test_truncated_chat_stream_is_a_connection_error_and_charged_once(
    emulator: EmulatorHandle, counter: Counter
) -> None:
    messages = [{"role": "user", "content": "tell me a long story " * 5}]
    http = httpx.Client(
        timeout=5.0, transport=CutTransport(120), event_hooks={"request": [counter]}
    )
    with ElizaCloud(emulator.api_key, emulator.base_url, http_client=http) as cloud:
        before = emulator.balance()
        chunks = []
        with pytest.raises(APIConnectionError):
            for chunk in cloud.chat.completions.create("gpt-4o-mini", messages, stream=True):
                chunks.append(chunk)
    assert counter.count(CHAT) == 1  # a stream that broke mid-way is never re-sent
    assert len(chunks) < 5
    spent = before - emulator.balance()
    assert spent >= 0
    with ElizaCloud(emulator.api_key, emulator.base_url) as cloud:
        before = emulator.balance()
        list(cloud.chat.completions.create("gpt-4o-mini", messages, stream=True))
        assert spent <= before - emulator.balance() + 1e-9  # at most one charge
