"""Retry policy, backoff and the rate limiter, driven by a fake clock (no real sleeping)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from eliza_tools import (
    APIConnectionError,
    AsyncElizaCloud,
    ElizaCloud,
    InternalServerError,
    RateLimitError,
    ServiceUnavailableError,
)
from eliza_tools._transport import RateLimiter, RouteFamily
from tests.fakes import FAKE_API_KEY
from tests.fixtures.clock import FakeClock

BASE = "http://cloud.test/api/v1"
Handler = Callable[[httpx.Request], httpx.Response]


def _scripted(outcomes: list[httpx.Response | Exception]) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return handler, seen


def _client(handler: Handler, clock: FakeClock, **kwargs: object) -> ElizaCloud:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, clock=clock, **kwargs)  # type: ignore[arg-type]


def ok_balance() -> httpx.Response:
    """A fresh response each time: httpx responses are single-use."""
    return httpx.Response(200, json={"balance": 3.0})


def image_ok() -> httpx.Response:
    return httpx.Response(200, json={"images": [{"url": "http://x/1.png"}], "numImages": 1})


def test_sends_both_auth_headers_and_user_agent(fake_clock: FakeClock) -> None:
    handler, seen = _scripted([ok_balance()])
    with _client(handler, fake_clock) as cloud:
        assert cloud.credits.balance().balance == 3.0
    headers = seen[0].headers
    assert headers["authorization"] == f"Bearer {FAKE_API_KEY}"
    assert headers["x-api-key"] == FAKE_API_KEY
    assert headers["user-agent"].startswith("eliza-tools/")


def test_read_retries_5xx_with_exponential_backoff(fake_clock: FakeClock) -> None:
    handler, seen = _scripted(
        [httpx.Response(500, json={"error": "boom"}), httpx.Response(502), ok_balance()]
    )
    with _client(handler, fake_clock, max_retries=3, rate_limit=False) as cloud:
        assert cloud.credits.balance().balance == 3.0
    assert len(seen) == 3
    first, second = fake_clock.sleeps
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0  # base 0.5 s doubling, with jitter


def test_read_gives_up_after_max_retries(fake_clock: FakeClock) -> None:
    handler, seen = _scripted([httpx.Response(500, json={"error": "boom"})] * 3)
    with (
        _client(handler, fake_clock, max_retries=2, rate_limit=False) as cloud,
        pytest.raises(InternalServerError),
    ):
        cloud.credits.balance()
    assert len(seen) == 3


def test_retry_after_header_is_honoured(fake_clock: FakeClock) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "7"}, json={"error": "Too many requests"})
    handler, _ = _scripted([limited, ok_balance()])
    with _client(handler, fake_clock, rate_limit=False) as cloud:
        cloud.credits.balance()
    assert fake_clock.sleeps == [7.0]


def test_iso_rate_limit_reset_is_honoured_on_429(fake_clock: FakeClock) -> None:
    reset = datetime.fromtimestamp(fake_clock.wall() + 12, tz=UTC).isoformat()
    limited = httpx.Response(429, headers={"X-RateLimit-Reset": reset}, json={"error": "x"})
    handler, _ = _scripted([limited, ok_balance()])
    with _client(handler, fake_clock, rate_limit=False) as cloud:
        cloud.credits.balance()
    assert fake_clock.sleeps == [pytest.approx(12.0, abs=0.01)]


def test_billed_call_is_not_retried_on_500(fake_clock: FakeClock) -> None:
    # The server may have generated (and charged for) the image before failing.
    handler, seen = _scripted([httpx.Response(500, json={"error": "No images were generated"})])
    with _client(handler, fake_clock, max_retries=5) as cloud, pytest.raises(InternalServerError):
        cloud.images.generate("fox")
    assert len(seen) == 1


def test_billed_call_is_not_retried_after_a_broken_read(fake_clock: FakeClock) -> None:
    handler, seen = _scripted([httpx.ReadError("connection reset")])
    with _client(handler, fake_clock, max_retries=5) as cloud, pytest.raises(APIConnectionError):
        cloud.images.generate("fox")
    assert len(seen) == 1


@pytest.mark.parametrize(
    "first",
    [
        httpx.ConnectError("refused"),
        httpx.Response(429, headers={"Retry-After": "1"}, json={"error": "x"}),
        httpx.Response(503, json={"error": "Image generation service is not configured"}),
    ],
)
def test_billed_call_retries_when_the_work_provably_did_not_happen(
    fake_clock: FakeClock, first: httpx.Response | Exception
) -> None:
    handler, seen = _scripted([first, image_ok()])
    with _client(handler, fake_clock) as cloud:
        assert cloud.images.generate("fox").num_images == 1
    assert len(seen) == 2


def test_per_call_max_retries_and_timeout(fake_clock: FakeClock) -> None:
    handler, seen = _scripted([httpx.Response(503, json={"error": "down"})])
    with (
        _client(handler, fake_clock, max_retries=5) as cloud,
        pytest.raises(ServiceUnavailableError),
    ):
        cloud.credits.balance(max_retries=0, timeout=3.5)
    assert len(seen) == 1
    assert seen[0].extensions["timeout"]["read"] == 3.5


def test_rate_limit_error_when_retries_run_out(fake_clock: FakeClock) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "2"}, json={"error": "Too many requests"})
    handler, _ = _scripted([limited, limited])
    with (
        _client(handler, fake_clock, max_retries=1) as cloud,
        pytest.raises(RateLimitError) as excinfo,
    ):
        cloud.credits.balance()
    assert excinfo.value.retry_after == 2.0


def test_connection_error_is_typed_and_names_the_route(fake_clock: FakeClock) -> None:
    handler, _ = _scripted([httpx.ConnectError("refused")] * 3)
    with (
        _client(handler, fake_clock, max_retries=2) as cloud,
        pytest.raises(APIConnectionError) as excinfo,
    ):
        cloud.credits.balance()
    assert "/credits/balance" in str(excinfo.value)
    assert FAKE_API_KEY not in str(excinfo.value)


async def test_async_twin_follows_the_same_policy(fake_clock: FakeClock) -> None:
    handler, seen = _scripted([httpx.Response(502), ok_balance()])
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncElizaCloud(FAKE_API_KEY, BASE, http_client=http, clock=fake_clock) as cloud:
        assert (await cloud.credits.balance()).balance == 3.0
    assert len(seen) == 2 and len(fake_clock.sleeps) == 1


def test_limiter_spaces_calls_of_a_family(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(fake_clock, {RouteFamily.CRITICAL: (5, 300.0)})
    waits = [limiter.reserve(RouteFamily.CRITICAL) for _ in range(6)]
    assert waits[:5] == [0.0] * 5
    assert waits[5] == pytest.approx(300.0)
    assert limiter.reserve(RouteFamily.UNLIMITED) == 0.0


def test_limiter_obeys_remaining_zero_until_reset(fake_clock: FakeClock) -> None:
    limiter = RateLimiter(fake_clock, {})
    reset = datetime.fromtimestamp(fake_clock.wall() + 30, tz=UTC).isoformat()
    limiter.observe(
        RouteFamily.STANDARD,
        httpx.Headers({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}),
    )
    assert limiter.reserve(RouteFamily.STANDARD) == pytest.approx(30.0, abs=0.01)
    assert limiter.reserve(RouteFamily.RELAXED) == 0.0


def test_client_waits_instead_of_collecting_429s(fake_clock: FakeClock) -> None:
    reset = datetime.fromtimestamp(fake_clock.wall() + 20, tz=UTC).isoformat()
    spent = httpx.Response(
        200,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
        json={"success": True, "pricing": {"creditsPerDollar": 100}},
    )
    handler, seen = _scripted([spent, spent])
    with _client(handler, fake_clock) as cloud:
        cloud.credits.summary()
        cloud.credits.summary()
    assert len(seen) == 2
    assert fake_clock.sleeps == [pytest.approx(20.0, abs=0.01)]


def test_rate_limiter_can_be_turned_off(fake_clock: FakeClock) -> None:
    handler, _ = _scripted([ok_balance() for _ in range(3)])
    with _client(handler, fake_clock, rate_limit=False) as cloud:
        for _ in range(3):
            cloud.credits.balance()
    assert fake_clock.sleeps == []
