"""The contract suite: the same assertions on every backend.

Each test gets a `backend` that builds clients against one of:
- `cassette`: replayed recordings in tests/cassettes/contract/<test>.yaml, written by hand
  from the response shapes of the real server (see tests/cassettes/README.md);
- `emulator`: the local emulator on a loopback socket;
- `live`: the real elizaOS Cloud (marked `live`; skipped without ELIZACLOUD_API_KEY).
  `pytest tests/contract --record-cassettes` re-records the cassettes from the live cloud.

A difference between the emulator and the cassettes is a failing test.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import vcr  # type: ignore[import-untyped]

from eliza_tools import AsyncElizaCloud, ElizaCloud
from tests.fakes import FAKE_API_KEY, LIVE_BASE_URL

CASSETTES = Path(__file__).parent.parent / "cassettes" / "contract"
SECRET_HEADERS = ["authorization", "x-api-key", "cookie", "set-cookie"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-cassettes",
        action="store_true",
        help="re-record the contract cassettes from the live cloud (needs ELIZACLOUD_API_KEY)",
    )


def _json_body_matcher(r1: Any, r2: Any) -> None:
    """Bodies match when they are equal JSON; non-JSON bodies (multipart) are not compared."""
    try:
        left, right = json.loads(r1.body or b"null"), json.loads(r2.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return
    assert left == right, f"request body differs: {left!r} != {right!r}"


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    return response


@dataclass
class Backend:
    """Makes clients for one backend; `kind` is cassette, emulator or live."""

    kind: str
    base_url: str
    api_key: str
    cassette: Path | None = None

    def sync(self, **kwargs: Any) -> ElizaCloud:
        """A blocking client on this backend (no client-side rate limiting: replay is instant)."""
        kwargs.setdefault("rate_limit", self.kind == "live")
        return ElizaCloud(api_key=self.api_key, base_url=self.base_url, **kwargs)

    def async_(self, **kwargs: Any) -> AsyncElizaCloud:
        """An asyncio client on this backend."""
        kwargs.setdefault("rate_limit", self.kind == "live")
        return AsyncElizaCloud(api_key=self.api_key, base_url=self.base_url, **kwargs)


BACKENDS = [
    "cassette",
    "emulator",
    pytest.param("live", marks=pytest.mark.live),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """One backend per parameter; the cassette is named after the test function."""
    kind: str = request.param
    name = request.node.originalname
    cassette = CASSETTES / f"{name}.yaml"
    if kind == "emulator":
        emulator = request.getfixturevalue("emulator")
        yield Backend(kind, emulator.base_url, emulator.api_key)
        return
    if kind == "live":
        live_key = os.environ.get("ELIZACLOUD_API_KEY")
        if not live_key:
            pytest.skip("live: set ELIZACLOUD_API_KEY to run against the real cloud")
        if not request.config.getoption("--record-cassettes"):
            yield Backend(kind, os.environ.get("ELIZACLOUD_BASE_URL", LIVE_BASE_URL), live_key)
            return
        recorder = _vcr(record_mode="all")
        with recorder.use_cassette(str(cassette)):
            yield Backend(kind, LIVE_BASE_URL, live_key, cassette)
        return
    if not cassette.exists():
        pytest.fail(f"missing cassette {cassette.relative_to(CASSETTES.parent.parent.parent)}")
    with _vcr(record_mode="none").use_cassette(str(cassette)) as tape:
        yield Backend(kind, LIVE_BASE_URL, FAKE_API_KEY, cassette)
        # Every recorded interaction must have been used: the client made the calls we expect.
        assert tape.all_played, f"not every interaction of {cassette.name} was played"


def _vcr(record_mode: str) -> vcr.VCR:
    recorder = vcr.VCR(
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "path", "query", "json_body"],
        filter_headers=SECRET_HEADERS,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("json_body", _json_body_matcher)
    return recorder


@pytest.fixture(params=["sync", "async"])
def cloud(
    request: pytest.FixtureRequest, backend: Backend
) -> Iterator[ElizaCloud | AsyncElizaCloud]:
    """A sync or an async client on the backend; tests `await resolved(...)` either result."""
    client: ElizaCloud | AsyncElizaCloud = (
        backend.sync(max_retries=0) if request.param == "sync" else backend.async_(max_retries=0)
    )
    yield client
    if isinstance(client, ElizaCloud):
        client.close()
