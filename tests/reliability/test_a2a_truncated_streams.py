"""The A2A client against truncated event streams: it resumes with Last-Event-ID and gets every
event once, in order; when the stream keeps breaking it gives up with a typed A2A error after
`max_resumes` attempts instead of hanging or leaking an httpx exception."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from a2a.client import A2AClient
from a2a.jsonrpc import A2AError
from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from a2a.types import TaskArtifactUpdateEvent, TaskState, TaskStatusUpdateEvent
from tests.fixtures.a2a import (
    DroppingTransport,
    LiveServer,
    ScenarioAgent,
    collect,
    scenario_card,
)

pytestmark = pytest.mark.timeout(30)


def cut_every_stream(after: int) -> DroppingTransport:
    """Cuts every event stream after `after` events, as a flaky proxy closing on the peer."""
    return DroppingTransport(after, every=True, error=httpx.RemoteProtocolError)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    app = create_app(ScenarioAgent(), scenario_card(), store=InMemoryTaskStore())
    with LiveServer(app) as live:
        yield live


async def test_stream_cut_every_two_events_still_delivers_each_event_once(
    server: LiveServer,
) -> None:
    transport = cut_every_stream(after=2)
    http = httpx.AsyncClient(transport=transport, timeout=5)
    async with A2AClient(server.url, http_client=http, max_resumes=10) as client:
        events = await collect(client.stream_message("ticks"))
    await http.aclose()
    chunks = [e.artifact.parts[0].text for e in events if isinstance(e, TaskArtifactUpdateEvent)]
    assert chunks == [f"t{i}" for i in range(6)]
    last = events[-1]
    assert isinstance(last, TaskStatusUpdateEvent) and last.status.state is TaskState.COMPLETED
    assert transport.dropped > 3


async def test_stream_that_keeps_breaking_ends_in_a_typed_error(server: LiveServer) -> None:
    transport = cut_every_stream(after=1)
    http = httpx.AsyncClient(transport=transport, timeout=5)
    async with A2AClient(server.url, http_client=http, max_resumes=2) as client:
        with pytest.raises(A2AError, match="kept closing"):
            await collect(client.stream_message("ticks"))
    await http.aclose()
    assert transport.dropped == 3  # the first stream and two resumes, no more
