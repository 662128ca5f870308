"""ManagerOptions (Milady's defaults, validation, backoff) and the VirtualClock test aid."""

from __future__ import annotations

import asyncio

import pytest

from eliza_tools.cloud import ManagerOptions
from eliza_tools.cloud.testing import VirtualClock
from eliza_tools.errors import InvalidRequestError


def test_defaults_are_miladys() -> None:
    options = ManagerOptions()
    assert (options.backup_interval, options.heartbeat_interval) == (60.0, 30.0)
    assert (options.max_failures, options.reconnect_attempts) == (3, 10)
    assert options.reconnect_delays() == [3, 6, 12, 24, 48, 60, 60, 60, 60]
    assert options.allow_private is False


def test_backoff_follows_the_options() -> None:
    options = ManagerOptions(
        reconnect_attempts=4, reconnect_delay=1, reconnect_multiplier=3, reconnect_max_delay=5
    )
    assert options.reconnect_delays() == [1, 3, 5]
    assert ManagerOptions(reconnect_attempts=1).reconnect_delays() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("heartbeat_interval", 0),
        ("backup_interval", -1),
        ("max_failures", 0),
        ("reconnect_attempts", 0),
        ("reconnect_multiplier", 0.5),
        ("reconnect_delay", -0.1),
    ],
)
def test_bad_options_name_the_field(field: str, value: float) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        ManagerOptions(**{field: value})  # type: ignore[arg-type]
    assert caught.value.field == field


async def test_virtual_clock_wakes_sleepers_in_deadline_order() -> None:
    clock = VirtualClock()
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.asleep(seconds)
        woke.append((name, clock.now()))

    tasks = [asyncio.create_task(sleeper(n, s), name=n) for n, s in (("b", 60), ("a", 30))]
    await clock.run_until(lambda: len(woke) == 2, lambda: tasks)
    assert woke == [("a", 30), ("b", 60)] and clock.t == 60
    assert sorted(clock.sleeps) == [("a", 30), ("b", 60)]
    assert not await clock.jump(lambda: tasks)  # nobody left to wake


async def test_virtual_clock_drops_cancelled_sleepers() -> None:
    clock = VirtualClock()
    task = asyncio.create_task(clock.asleep(10))
    await clock.settle(lambda: [task])
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not await clock.jump(lambda: [task]) and clock.t == 0
