"""Helpers for the emulator integration tests: an authenticated httpx client per emulator."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from eliza_tools.emulator import EmulatorHandle
from tests.fixtures.emulator import auth_headers


@pytest.fixture
def site(emulator: EmulatorHandle) -> Iterator[httpx.Client]:
    """A client at the fresh emulator's root, authenticated with its default key."""
    with httpx.Client(
        base_url=emulator.site_url, headers=auth_headers(emulator.api_key), timeout=10
    ) as client:
        yield client


@pytest.fixture
def shared(emulator_session: EmulatorHandle) -> Iterator[httpx.Client]:
    """A client at the shared emulator's root, authenticated with its default key."""
    with httpx.Client(
        base_url=emulator_session.site_url,
        headers=auth_headers(emulator_session.api_key),
        timeout=10,
    ) as client:
        yield client
