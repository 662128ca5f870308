"""Fixtures for the cloud-agent lifecycle tests: a fast-provisioning emulator and a client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from eliza_tools.client import AsyncElizaCloud
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes import milady


@pytest.fixture
def fast_emulator(emulator: EmulatorHandle) -> EmulatorHandle:
    """The emulator with provisioning jobs done by the first poll, 1 ms after the 202.

    (A job still running at that poll would say `intervalMs: 5000`, unscaled, as the
    real server does, and the client would wait those 5 s.)
    """
    milady.configure(emulator.emulator, provision_seconds=0, poll_interval_ms=20)
    return emulator


@pytest.fixture
async def cloud(fast_emulator: EmulatorHandle) -> AsyncIterator[AsyncElizaCloud]:
    """An async client of the emulator; checks that no task outlives the test."""
    async with AsyncElizaCloud(fast_emulator.api_key, fast_emulator.base_url) as client:
        yield client
    assert asyncio.all_tasks() == {asyncio.current_task()}, "a background task leaked"
