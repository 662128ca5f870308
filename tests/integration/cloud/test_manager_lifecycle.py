"""CloudManager on the emulator (real sockets) with a virtual clock.

The clock moves only when a test jumps it, after every background loop has parked,
so "three heartbeats" and "the 3 s, 6 s, ... delays" are exact, not timing guesses.
"""

from __future__ import annotations

import asyncio

import pytest

from eliza_tools.client import AsyncElizaCloud
from eliza_tools.cloud import (
    CloudManager,
    ConnectionState,
    ManagerOptions,
    NotConnectedError,
    StateChange,
    UnsafeURLError,
)
from eliza_tools.cloud.testing import VirtualClock
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes import milady
from eliza_tools.errors import InsufficientCreditsError

S = ConnectionState
LOCAL = ManagerOptions(allow_private=True)  # the emulator is plain http on loopback


async def _agent(cloud: AsyncElizaCloud) -> str:
    return (await cloud.cloud_agents.create("lifecycle-agent")).id


def _manager(cloud: AsyncElizaCloud, clock: VirtualClock, seen: list[StateChange]) -> CloudManager:
    return CloudManager(cloud, options=LOCAL, clock=clock, on_change=seen.append)


def _states(seen: list[StateChange]) -> list[str]:
    return [change.state.value for change in seen]


def _monitor_sleeps(clock: VirtualClock) -> list[float]:
    return [seconds for name, seconds in clock.sleeps if name.startswith("cloud-monitor")]


async def test_connect_runs_both_loops_and_disconnect_takes_a_final_snapshot(
    cloud: AsyncElizaCloud,
) -> None:
    clock, seen = VirtualClock(), list[StateChange]()
    agent_id = await _agent(cloud)
    manager = _manager(cloud, clock, seen)
    agent = await manager.connect(agent_id)
    assert agent.id == agent_id and agent.status == "running" and manager.connected
    assert sorted(t.get_name().split(":")[0] for t in manager.tasks) == [
        "cloud-backups",
        "cloud-monitor",
    ]

    # Two minutes: four heartbeats and two scheduled backups.
    await clock.run_until(lambda: clock.t >= 120, lambda: manager.tasks)
    await clock.settle(lambda: manager.tasks)
    assert manager.stats.heartbeats == 4 and manager.stats.heartbeat_failures == 0
    assert manager.stats.backups == 2

    await manager.disconnect()
    assert manager.stats.backups == 3  # the final snapshot
    backups = await cloud.cloud_agents.backups(agent_id)
    assert [b.snapshot_type for b in backups] == ["manual"] * 3
    assert _states(seen) == ["connecting", "connected", "disconnected"]
    assert manager.tasks == frozenset() and manager.agent_id is None


async def test_dead_sandbox_is_noticed_within_three_heartbeats_and_recovers(
    cloud: AsyncElizaCloud, fast_emulator: EmulatorHandle
) -> None:
    clock, seen = VirtualClock(), list[StateChange]()
    agent_id = await _agent(cloud)
    async with _manager(cloud, clock, seen) as manager:
        await manager.connect(agent_id)
        await clock.run_until(lambda: manager.stats.heartbeats == 1, lambda: manager.tasks)
        killed_at, beats = clock.t, manager.stats.heartbeats

        # The bridge still answers HTTP 200, with JSON-RPC -32000: that must count as dead.
        milady.set_sandbox_down(fast_emulator.emulator, agent_id, True)
        await clock.run_until(lambda: manager.state is S.RECONNECTING, lambda: manager.tasks)
        assert manager.stats.heartbeats - beats == 3
        assert clock.t - killed_at == 3 * 30
        assert "Sandbox unreachable" in (manager.stats.last_error or "")

        # First attempt fails (the sandbox is still down) and waits 3 s; then it is back.
        await clock.run_until(lambda: manager.stats.reconnect_attempts == 1, lambda: manager.tasks)
        milady.set_sandbox_down(fast_emulator.emulator, agent_id, False)
        await clock.run_until(lambda: manager.state is S.CONNECTED, lambda: manager.tasks)
        assert manager.stats.reconnect_attempts == 2
        # One good beat, three bad ones, the 3 s pause, then back to the 30 s rhythm.
        assert _monitor_sleeps(clock) == [30.0, 30.0, 30.0, 30.0, 3.0, 30.0]
        assert (await manager.send_message("still there?")).text == "You said: still there?"
    assert _states(seen) == [
        "connecting",
        "connected",
        "reconnecting",
        "connected",
        "disconnected",
    ]
    assert seen[3].reason == "reconnected after 2 attempt(s)"


async def test_a_sandbox_that_never_comes_back_ends_in_error_after_ten_attempts(
    cloud: AsyncElizaCloud, fast_emulator: EmulatorHandle
) -> None:
    clock, seen = VirtualClock(), list[StateChange]()
    agent_id = await _agent(cloud)
    manager = _manager(cloud, clock, seen)
    await manager.connect(agent_id)
    milady.set_sandbox_down(fast_emulator.emulator, agent_id, True)
    await clock.run_until(lambda: manager.state is S.ERROR, lambda: manager.tasks)

    assert manager.stats.reconnect_attempts == 10
    # Three heartbeats, then the pauses between the ten attempts (none after the last).
    assert _monitor_sleeps(clock) == [30.0, 30.0, 30.0, 3, 6, 12, 24, 48, 60, 60, 60, 60]
    assert clock.t == 90 + 393 - 60
    assert manager.tasks == frozenset()  # both loops stopped
    # The backup at 60 s (still `connected`) failed and was only logged; the seven that
    # fell due while reconnecting (120 s ... 420 s) were skipped.
    assert manager.stats.backups == 0 and manager.stats.backup_failures == 1
    assert _states(seen) == ["connecting", "connected", "reconnecting", "error"]

    await manager.aclose()  # no final snapshot of a dead sandbox
    assert manager.state is S.DISCONNECTED and manager.stats.backup_failures == 1


async def test_a_failed_backup_does_not_disturb_the_connection(
    cloud: AsyncElizaCloud, fast_emulator: EmulatorHandle
) -> None:
    clock, seen = VirtualClock(), list[StateChange]()
    agent_id = await _agent(cloud)
    async with _manager(cloud, clock, seen) as manager:
        await manager.connect(agent_id)
        fast_emulator.inject_fault(f"/api/v1/milady/agents/{agent_id}/snapshot", status=500)
        await clock.run_until(lambda: manager.stats.backup_failures == 1, lambda: manager.tasks)
        assert manager.state is S.CONNECTED and len(manager.tasks) == 2
        fast_emulator.clear_faults()
        await clock.run_until(lambda: manager.stats.backups == 1, lambda: manager.tasks)
        assert manager.stats.heartbeat_failures == 0 and manager.state is S.CONNECTED
    assert _states(seen) == ["connecting", "connected", "disconnected"]


async def test_chat_goes_through_the_bridge_whole_and_streamed(cloud: AsyncElizaCloud) -> None:
    agent_id = await _agent(cloud)
    async with CloudManager(cloud, options=LOCAL, clock=VirtualClock()) as manager:
        with pytest.raises(NotConnectedError, match="disconnected"):
            await manager.send_message("too early")
        await manager.connect(agent_id)
        reply = await manager.send_message("hello")
        assert reply.text == "You said: hello"
        async with await manager.stream_message("streamed") as stream:
            events = [event async for event in stream]
        assert events[0].event == "connected" and events[-1].event == "done"
        assert "".join(e.text for e in events) == "You said: streamed"


async def test_a_failed_connect_goes_error_then_disconnected_and_raises(
    cloud: AsyncElizaCloud, fast_emulator: EmulatorHandle
) -> None:
    seen: list[StateChange] = []
    agent_id = await _agent(cloud)
    fast_emulator.set_balance(1.0)  # below the $5 gate of provisioning
    manager = _manager(cloud, VirtualClock(), seen)
    with pytest.raises(InsufficientCreditsError):
        await manager.connect(agent_id)
    assert _states(seen) == ["connecting", "error", "disconnected"]
    assert "connect failed" in seen[1].reason and manager.tasks == frozenset()


async def test_cancelling_connect_leaves_nothing_running(
    cloud: AsyncElizaCloud, fast_emulator: EmulatorHandle
) -> None:
    milady.configure(fast_emulator.emulator, provision_seconds=3600)  # never finishes here
    seen: list[StateChange] = []
    agent_id = await _agent(cloud)
    manager = _manager(cloud, VirtualClock(), seen)
    changes = manager.changes()
    connecting = asyncio.create_task(manager.connect(agent_id))
    assert (await anext(changes)).state is S.CONNECTING
    await asyncio.sleep(0.05)  # now inside the job polling
    connecting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await connecting
    assert _states(seen) == ["connecting", "disconnected"]
    assert manager.tasks == frozenset() and manager.agent_id is None
    await manager.aclose()
    assert [change.state async for change in changes] == [S.DISCONNECTED]


async def test_switching_agents_disconnects_the_first_with_a_final_snapshot(
    cloud: AsyncElizaCloud,
) -> None:
    first, second = await _agent(cloud), await _agent(cloud)
    async with CloudManager(cloud, options=LOCAL, clock=VirtualClock()) as manager:
        await manager.connect(first)
        assert (await manager.connect(first)).id == first  # already connected: no-op
        await manager.connect(second)
        assert manager.agent_id == second and len(manager.tasks) == 2
    assert [b.snapshot_type for b in await cloud.cloud_agents.backups(first)] == ["manual"]
    assert len(await cloud.cloud_agents.backups(second)) == 1


async def test_changes_iterator_sees_every_change_and_ends_on_close(
    cloud: AsyncElizaCloud,
) -> None:
    agent_id = await _agent(cloud)
    manager = CloudManager(cloud, options=LOCAL, clock=VirtualClock())
    changes = manager.changes()

    async def collect() -> list[str]:
        return [str(change.state) async for change in changes]

    reader = asyncio.create_task(collect())
    await manager.connect(agent_id)
    await manager.aclose()
    assert await asyncio.wait_for(reader, 5) == ["connecting", "connected", "disconnected"]


async def test_a_plain_http_or_loopback_base_url_is_refused_unless_allowed(
    cloud: AsyncElizaCloud,
) -> None:
    manager = CloudManager(cloud)  # allow_private defaults to False
    with pytest.raises(UnsafeURLError, match="https"):
        await manager.connect("any-agent")
    assert manager.state is S.DISCONNECTED and manager.agent_id is None
