"""Waiting for a container deployment on a fake clock: running, failed, timed out."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from eliza_tools import APITimeoutError, AsyncElizaCloud, ContainerDeploymentError, ElizaCloud
from tests.fakes import FAKE_API_KEY
from tests.fixtures.clock import FakeClock

BASE = "http://cloud.test/api/v1"


def _row(status: str, error: str | None = None) -> dict[str, Any]:
    return {
        "success": True,
        "data": {"id": "c1", "name": "n", "status": status, "error_message": error},
    }


def _handler(statuses: list[dict[str, Any]]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=statuses.pop(0) if len(statuses) > 1 else statuses[0])

    return handler


def _sync(statuses: list[dict[str, Any]], clock: FakeClock) -> ElizaCloud:
    http = httpx.Client(transport=httpx.MockTransport(_handler(statuses)))
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, clock=clock, rate_limit=False)


def test_polls_at_the_interval_until_running(fake_clock: FakeClock) -> None:
    with _sync([_row("pending"), _row("building"), _row("running")], fake_clock) as cloud:
        container = cloud.containers.wait_until_running("c1")
    assert container.status == "running"
    assert fake_clock.sleeps == [10.0, 10.0]


def test_a_failed_deployment_raises_with_the_reason(fake_clock: FakeClock) -> None:
    with (
        _sync([_row("deploying"), _row("failed", "image not found")], fake_clock) as cloud,
        pytest.raises(ContainerDeploymentError, match="image not found") as excinfo,
    ):
        cloud.containers.wait_until_running("c1")
    assert excinfo.value.container.status == "failed"


def test_gives_up_at_the_timeout_without_oversleeping(fake_clock: FakeClock) -> None:
    with _sync([_row("building")], fake_clock) as cloud, pytest.raises(APITimeoutError):
        cloud.containers.wait_until_running("c1", timeout=25, poll_interval=10)
    assert fake_clock.sleeps == [10.0, 10.0, 5.0]


async def test_async_twin_uses_the_same_clock(fake_clock: FakeClock) -> None:
    statuses = [_row("pending"), _row("running")]
    http = httpx.AsyncClient(transport=httpx.MockTransport(_handler(statuses)))
    async with AsyncElizaCloud(
        FAKE_API_KEY, BASE, http_client=http, clock=fake_clock, rate_limit=False
    ) as cloud:
        container = await cloud.containers.wait_until_running("c1", poll_interval=3)
    assert container.status == "running"
    assert fake_clock.sleeps == [3.0]
