"""`VirtualClock`: drive `CloudManager` through minutes of heartbeats in milliseconds.

Time moves only when the test jumps it. `await clock.asleep(s)` parks the calling
task until the clock reaches its deadline; `await clock.jump(tasks)` first waits
(in real time) until every task of `tasks` is parked or done, so whatever HTTP
the woken loops do has finished, then moves to the earliest deadline and wakes
the tasks due. Orderings are therefore deterministic, real I/O included::

    clock = VirtualClock()
    manager = CloudManager(client, clock=clock)
    await manager.connect(agent_id)
    await clock.run_until(lambda: manager.state == "reconnecting", lambda: manager.tasks)
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from typing_extensions import override

from eliza_tools._transport import Clock

#: Real seconds a settle may take: the woken loops' HTTP round trips, on a loaded machine.
SETTLE_LIMIT = 10.0
TaskSource = Callable[[], Iterable[asyncio.Task[None]]]


@dataclass(order=True)
class _Sleeper:
    deadline: float
    seq: int
    future: asyncio.Future[None] = field(compare=False)
    task: asyncio.Task[object] | None = field(compare=False)


class VirtualClock(Clock):
    """A `Clock` whose time moves only on `jump()`; `sleeps` records `(task name, seconds)`."""

    def __init__(self, start: float = 0.0) -> None:
        self.t = start
        self.sleeps: list[tuple[str, float]] = []
        self._heap: list[_Sleeper] = []
        self._seq = itertools.count()
        self._parking = asyncio.Event()  # set whenever a task parks

    @override
    def now(self) -> float:
        return self.t

    @override
    def wall(self) -> float:
        return 1_800_000_000.0 + self.t

    @override
    def sleep(self, seconds: float) -> None:
        self.t += seconds  # nothing else can run meanwhile in a blocking sleep

    @override
    async def asleep(self, seconds: float) -> None:
        task = asyncio.current_task()
        self.sleeps.append((task.get_name() if task else "", seconds))
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, _Sleeper(self.t + seconds, next(self._seq), future, task))
        self._parking.set()
        await future  # a cancelled sleeper is dropped by the next jump

    def parked(self) -> set[asyncio.Task[object]]:
        """The tasks waiting on this clock now."""
        return {s.task for s in self._heap if s.task is not None and not s.future.done()}

    async def settle(self, tasks: TaskSource) -> None:
        """Wait (real time, up to `SETTLE_LIMIT` s) until every task is parked here or done."""
        async with asyncio.timeout(SETTLE_LIMIT):
            while busy := [t for t in tasks() if not t.done() and t not in self.parked()]:
                self._parking.clear()  # no await since `busy` was computed: nothing missed
                waiter = asyncio.ensure_future(self._parking.wait())
                try:
                    await asyncio.wait([*busy, waiter], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waiter.cancel()

    async def jump(self, tasks: TaskSource) -> bool:
        """Settle, then move to the next deadline and wake the sleepers due; False if none."""
        await self.settle(tasks)
        while self._heap and self._heap[0].future.done():
            heapq.heappop(self._heap)  # cancelled sleepers
        if not self._heap:
            return False
        self.t = max(self.t, self._heap[0].deadline)
        while self._heap and self._heap[0].deadline <= self.t:
            sleeper = heapq.heappop(self._heap)
            if not sleeper.future.done():
                sleeper.future.set_result(None)
        return True

    async def run_until(
        self, condition: Callable[[], bool], tasks: TaskSource, max_jumps: int = 1000
    ) -> None:
        """Jump until `condition()` holds (checked after each settle); raise if it never does."""
        for _ in range(max_jumps):
            await self.settle(tasks)
            if condition():
                return
            if not await self.jump(tasks):
                break
        await self.settle(tasks)
        if not condition():
            raise AssertionError(f"condition not reached by virtual time {self.t}")
