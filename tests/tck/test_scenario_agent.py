"""The TCK scenario agent behaves as the TCK's feature files say (on our server, loopback)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from a2a import A2AClient, Message, Part, Role, Task, TaskArtifactUpdateEvent, TaskState, get_text
from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import LiveServer, collect
from tests.tck.scenario_agent import SCENARIOS, scenario_for, tck_agent, tck_card


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with LiveServer(create_app(tck_agent, tck_card(), store=InMemoryTaskStore())) as live:
        yield live.url


def msg(message_id: str) -> Message:
    return Message(role=Role.USER, message_id=message_id, parts=[Part(text="tck")])


def test_the_longest_prefix_wins() -> None:
    assert scenario_for("tck-artifact-file-url-123") is SCENARIOS["tck-artifact-file-url"]
    assert scenario_for("tck-artifact-file-123") is SCENARIOS["tck-artifact-file"]
    assert scenario_for("something-else") is None


async def test_unary_scenarios(url: str) -> None:
    async with await A2AClient.from_url(url) as client:
        done = await client.send_message(msg("tck-complete-task-1"))
        assert isinstance(done, Task) and done.status.state is TaskState.COMPLETED
        assert get_text(done) == "Hello from TCK"
        file_url = await client.send_message(msg("tck-artifact-file-url-1"))
        assert isinstance(file_url, Task) and file_url.artifacts
        part = file_url.artifacts[0].parts[0]
        assert (part.url, part.filename, part.media_type) == (
            "https://example.com/output.txt",
            "output.txt",
            "text/plain",
        )
        data = await client.send_message(msg("tck-artifact-data-1"))
        assert isinstance(data, Task) and data.artifacts
        assert data.artifacts[0].parts[0].data == {"key": "value", "count": 42}
        reply = await client.send_message(msg("tck-message-response-1"))
        assert isinstance(reply, Message) and get_text(reply) == "Direct message response"
        rejected = await client.send_message(msg("tck-reject-task-1"))
        assert isinstance(rejected, Task) and rejected.status.state is TaskState.REJECTED


async def test_chunked_stream(url: str) -> None:
    async with await A2AClient.from_url(url) as client:
        events = await collect(client.stream_message(msg("tck-stream-artifact-chunked-1")))
    chunks = [e for e in events if isinstance(e, TaskArtifactUpdateEvent)]
    assert [get_text(c) for c in chunks] == ["chunk-1 ", "chunk-2"]
    assert [c.append for c in chunks] == [None, True]
    assert chunks[-1].last_chunk is True
    assert len({c.artifact.artifact_id for c in chunks}) == 1
