"""Contract: Milady cloud agents (`client.cloud_agents`, reference §11.2 and the jobs of §7).

Job polling runs on a fake clock for the cassettes (no real sleeping) and on a
recording real clock for the emulator, whose provisioning is made short.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from eliza_tools import (
    AsyncElizaCloud,
    ElizaCloud,
    InsufficientCreditsError,
    InvalidRequestError,
    NotFoundError,
)
from eliza_tools._sse import AsyncStream
from eliza_tools._transport import Clock
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes.milady import configure
from eliza_tools.errors import JobTimeoutError, SandboxDownError
from eliza_tools.resources.cloud_agents import AsyncCloudAgents, SyncCloudAgents
from eliza_tools.types.cloud_agents import StreamEvent
from tests.contract.conftest import Backend
from tests.contract.helpers import resolved
from tests.fixtures.clock import FakeClock

NAME = "contract-agent"


class RecordingClock(Clock):
    """The real clock, remembering every sleep (to check the polling interval)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        super().sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await super().asleep(seconds)


@dataclass
class Agents:
    """The resource under test plus what the tests need to know about its backend."""

    api: SyncCloudAgents | AsyncCloudAgents
    clock: FakeClock | RecordingClock
    kind: str
    emulator: EmulatorHandle | None


@pytest.fixture(params=["sync", "async"])
def agents(request: pytest.FixtureRequest, backend: Backend) -> Iterator[Agents]:
    """`cloud.cloud_agents` on a sync or async client; emulated provisioning is made short."""
    fake = backend.kind == "cassette"
    clock: FakeClock | RecordingClock = FakeClock() if fake else RecordingClock()
    handle: EmulatorHandle | None = None
    if backend.kind == "emulator":
        handle = request.getfixturevalue("emulator")
        configure(handle.emulator, provision_seconds=0.5, poll_interval_ms=1000.0)
    client: ElizaCloud | AsyncElizaCloud = (
        backend.sync(max_retries=0, clock=clock)
        if request.param == "sync"
        else backend.async_(max_retries=0, clock=clock)
    )
    yield Agents(client.cloud_agents, clock, backend.kind, handle)
    if isinstance(client, ElizaCloud):
        client.close()


def _slow_provisioning(h: Agents) -> None:
    """Make the emulator's provisioning outlast the test (it never waits for it)."""
    if h.emulator is not None:
        configure(h.emulator.emulator, provision_seconds=1000.0)


async def _running(h: Agents) -> str:
    """Create an agent and provision it, waiting for the job; returns its id."""
    agent = await resolved(h.api.create(NAME))
    result = await resolved(h.api.provision(agent.id, wait=True))
    assert result.status == "running"
    return str(agent.id)


async def _events(stream: Any) -> list[StreamEvent]:
    """All events of a sync `Stream`, or of the `AsyncStream` an async call opens."""
    if inspect.isawaitable(stream):
        opened: AsyncStream[StreamEvent] = await stream
        async with opened:
            return [event async for event in opened]
    with stream:
        return list(stream)


async def test_cloud_agents_list(agents: Agents) -> None:
    created = await resolved(agents.api.create(NAME))
    listed = await resolved(agents.api.list())
    assert [a.id for a in listed] == [created.id]
    assert listed[0].agent_name == NAME
    assert listed[0].status == "pending"


async def test_cloud_agents_create(agents: Agents) -> None:
    agent = await resolved(
        agents.api.create(NAME, agent_config={"character": "milady"}, environment_vars={"A": "1"})
    )
    assert agent.agent_name == NAME
    assert agent.status == "pending"
    assert not agent.running
    assert agent.created_at


async def test_cloud_agents_create_needs_five_dollars(agents: Agents) -> None:
    if agents.emulator is not None:
        agents.emulator.set_balance(4.25)
    with pytest.raises(InsufficientCreditsError) as excinfo:
        await resolved(agents.api.create(NAME))
    assert excinfo.value.status_code == 402
    assert excinfo.value.required_usd == 5.0
    assert excinfo.value.balance_usd == 4.25


async def test_cloud_agents_create_validates_before_sending(agents: Agents) -> None:
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(agents.api.create(""))
    assert excinfo.value.field == "agent_name"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(agents.api.create(NAME, character_id="not-a-uuid"))
    assert excinfo.value.field == "character_id"


async def test_cloud_agents_get(agents: Agents) -> None:
    agent_id = await _running(agents)
    agent = await resolved(agents.api.get(agent_id))
    assert agent.id == agent_id
    assert agent.running
    assert agent.bridge_url is not None and agent.bridge_url.startswith("http")
    assert agent.error_count == 0


async def test_cloud_agents_shutdown(agents: Agents) -> None:
    agent_id = await _running(agents)
    result = await resolved(agents.api.shutdown(agent_id))
    assert result.agent_id == agent_id
    assert result.action == "shutdown"
    assert result.previous_status == "running"
    assert (await resolved(agents.api.get(agent_id))).status == "stopped"


async def test_cloud_agents_suspend(agents: Agents) -> None:
    agent_id = await _running(agents)
    result = await resolved(agents.api.suspend(agent_id))
    assert result.action == "suspend"
    assert result.previous_status == "running"
    backups = await resolved(agents.api.backups(agent_id))
    assert [b.snapshot_type for b in backups] == ["pre-shutdown"]


async def test_cloud_agents_delete(agents: Agents) -> None:
    agent = await resolved(agents.api.create(NAME))
    assert await resolved(agents.api.delete(agent.id)) is None
    with pytest.raises(NotFoundError):
        await resolved(agents.api.get(agent.id))


async def test_cloud_agents_provision(agents: Agents) -> None:
    _slow_provisioning(agents)
    agent = await resolved(agents.api.create(NAME))
    first = await resolved(agents.api.provision(agent.id))
    assert first.queued and first.job_id
    assert first.agent_id == agent.id
    assert not first.already_in_progress
    assert first.polling is not None and first.polling.interval is not None
    assert first.polling.endpoint == f"/api/v1/jobs/{first.job_id}"
    # A second call while the job runs is the server's 409: the same job, not an error.
    again = await resolved(agents.api.provision(agent.id))
    assert again.already_in_progress
    assert again.job_id == first.job_id


async def test_cloud_agents_provision_wait(agents: Agents) -> None:
    agent = await resolved(agents.api.create(NAME))
    result = await resolved(agents.api.provision(agent.id, wait=True))
    assert result.job is not None and result.job.status == "completed"
    assert result.agent is not None and result.agent.running
    assert result.status == "running"
    # It slept the interval the server asked for before polling the job.
    assert result.polling is not None
    assert agents.clock.sleeps[0] == pytest.approx(result.polling.interval)


async def test_cloud_agents_resume(agents: Agents) -> None:
    agent_id = await _running(agents)
    await resolved(agents.api.suspend(agent_id))
    result = await resolved(agents.api.resume(agent_id, wait=True))
    assert result.agent is not None and result.agent.running
    # Resuming a running agent answers 200 at once, without a job.
    already = await resolved(agents.api.resume(agent_id))
    assert not already.queued
    assert already.status == "running"
    assert already.bridge_url is not None


async def test_cloud_agents_job(agents: Agents) -> None:
    _slow_provisioning(agents)
    agent = await resolved(agents.api.create(NAME))
    started = await resolved(agents.api.provision(agent.id))
    job = await resolved(agents.api.job(started.job_id))
    assert job.id == started.job_id
    assert job.status in ("pending", "in_progress", "completed")
    assert job.polling is not None
    assert job.polling.should_continue is (not job.done)


async def test_cloud_agents_wait_job_timeout(agents: Agents) -> None:
    _slow_provisioning(agents)
    agent = await resolved(agents.api.create(NAME))
    started = await resolved(agents.api.provision(agent.id))
    with pytest.raises(JobTimeoutError) as excinfo:
        await resolved(agents.api.wait_job(started.job_id, wait_timeout=0.2))
    assert excinfo.value.job_id == started.job_id
    assert excinfo.value.status in ("pending", "in_progress")
    assert sum(agents.clock.sleeps) == pytest.approx(0.2, abs=0.05)  # never past the deadline


async def test_cloud_agents_snapshot(agents: Agents) -> None:
    agent_id = await _running(agents)
    snapshot = await resolved(agents.api.snapshot(agent_id))
    assert snapshot.snapshot_type == "manual"
    assert snapshot.size_bytes is not None and snapshot.size_bytes > 0
    backups = await resolved(agents.api.backups(agent_id))
    assert backups[0].id == snapshot.backup_id


async def test_cloud_agents_backups(agents: Agents) -> None:
    agent_id = await _running(agents)
    assert await resolved(agents.api.backups(agent_id)) == []
    first = await resolved(agents.api.snapshot(agent_id))
    second = await resolved(agents.api.snapshot(agent_id))
    backups = await resolved(agents.api.backups(agent_id))
    assert [b.id for b in backups] == [second.backup_id, first.backup_id]  # newest first
    assert {b.snapshot_type for b in backups} == {"manual"}


async def test_cloud_agents_restore(agents: Agents) -> None:
    agent_id = await _running(agents)
    snapshot = await resolved(agents.api.snapshot(agent_id))
    latest = await resolved(agents.api.restore(agent_id))
    assert latest.restored_from_backup_id == snapshot.backup_id
    chosen = await resolved(agents.api.restore(agent_id, snapshot.backup_id))
    assert chosen.restored_from_backup_id == snapshot.backup_id
    assert chosen.snapshot_type == "manual"


async def test_cloud_agents_pairing_token(agents: Agents) -> None:
    agent_id = await _running(agents)
    pairing = await resolved(agents.api.pairing_token(agent_id))
    secret = pairing.token.get_secret_value()
    assert len(secret) >= 16
    assert pairing.expires_in == 60
    assert secret not in repr(pairing) and secret not in str(pairing)


async def test_cloud_agents_bridge(agents: Agents) -> None:
    agent_id = await _running(agents)
    answer = await resolved(agents.api.bridge(agent_id, "status.get", rpc_id="s-1"))
    assert answer.id == "s-1"
    assert answer.result["status"] == "running"


async def test_cloud_agents_bridge_sandbox_down(agents: Agents) -> None:
    agent = await resolved(agents.api.create(NAME))  # never provisioned: no sandbox
    with pytest.raises(SandboxDownError) as excinfo:
        await resolved(agents.api.bridge(agent.id, "status.get"))
    assert excinfo.value.code == -32000
    assert "not running" in excinfo.value.message
    with pytest.raises(SandboxDownError):
        await resolved(agents.api.heartbeat(agent.id))


async def test_cloud_agents_send_message(agents: Agents) -> None:
    agent_id = await _running(agents)
    reply = await resolved(agents.api.send_message(agent_id, "hello there"))
    assert isinstance(reply.text, str) and reply.text


async def test_cloud_agents_sandbox_status(agents: Agents) -> None:
    agent_id = await _running(agents)
    status = await resolved(agents.api.sandbox_status(agent_id))
    assert status.status == "running"
    assert status.uptime is not None and status.uptime >= 0
    assert status.memories_count is not None


async def test_cloud_agents_heartbeat(agents: Agents) -> None:
    agent_id = await _running(agents)
    ack = await resolved(agents.api.heartbeat(agent_id))
    assert ack.method == "heartbeat.ack"
    assert ack.result is None
    assert "timestamp" in ack.params


async def test_cloud_agents_stream_message(agents: Agents) -> None:
    agent_id = await _running(agents)
    events = await _events(agents.api.stream_message(agent_id, "hello there"))
    assert events[0].event == "connected"
    assert events[-1].event == "done"
    text = "".join(event.text for event in events)
    assert text


async def test_cloud_agents_stream_message_sandbox_down(agents: Agents) -> None:
    agent = await resolved(agents.api.create(NAME))
    with pytest.raises(SandboxDownError) as excinfo:
        await _events(agents.api.stream_message(agent.id, "hello there"))
    assert "not running" in excinfo.value.message
