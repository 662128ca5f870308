"""Waiting for the server: one poller for jobs, deployments and voice clones.

A wait is written once, as a *plan*: a generator that yields the `Call`s to run
and the seconds to sleep, and receives each call's result (a call's error is
thrown into the plan at its `yield`, so the plan may catch it). `run_plan` and
`arun_plan` are the two thin drivers doing that I/O, blocking or awaitable, and
sleeping through the client's clock so tests can use a fake one. `Poller` holds
the timing of one wait (interval, backoff, timeout) and its predicate, and
`poll` is the plan that repeats a call until the predicate holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar, cast

from eliza_tools._transport import AsyncTransport, Call, Clock, SyncTransport

T = TypeVar("T")

Step = Call[Any] | float
"""What a plan asks for: a call to run, or seconds to sleep."""
Plan = Generator[Step, Any, T]


class Poller(Generic[T]):
    """The timing and the stop rule of one wait, measured on `clock` from its creation.

    `done(value)` says whether a polled value ends the wait; it may raise instead
    (a failed job). Between polls it sleeps `interval` seconds, multiplied by
    `backoff` after each sleep up to `max_interval`; `advice(value)`, when given,
    may replace the interval with the server's (None keeps it). No sleep passes the
    deadline; once `timeout` seconds have passed, `expired(last value, waited)` is
    raised (the last value is None if nothing was polled yet).
    """

    def __init__(
        self,
        clock: Clock,
        *,
        timeout: float,
        interval: float,
        done: Callable[[T], bool],
        expired: Callable[[T | None, float], Exception],
        backoff: float = 1.0,
        max_interval: float = math.inf,
        advice: Callable[[T], float | None] | None = None,
    ) -> None:
        self._clock = clock
        self._started = clock.now()
        self._timeout = timeout
        self._interval = interval
        self._done = done
        self._expired = expired
        self._backoff = backoff
        self._max_interval = max_interval
        self._advice = advice
        self._last: T | None = None

    def finished(self, value: T) -> bool:
        """Whether `value` ends the wait (it also takes the server's interval advice)."""
        self._last = value
        advised = self._advice(value) if self._advice is not None else None
        if advised is not None:
            self._interval = advised
        return self._done(value)

    def pause(self) -> float:
        """Seconds to sleep before the next poll; raises `expired` once the time is up."""
        waited = self._clock.now() - self._started
        if waited >= self._timeout:
            raise self._expired(self._last, waited)
        pause = min(self._interval, self._timeout - waited)
        self._interval = min(self._interval * self._backoff, self._max_interval)
        return pause


def poll(poller: Poller[T], call: Callable[[], Call[T]]) -> Plan[T]:
    """The plan that runs `call()` until `poller` says done, pausing in between."""
    while True:
        value: T = yield call()
        if poller.finished(value):
            return value
        yield poller.pause()


class _Runner(Generic[T]):
    """Feeds a plan the outcome of its last step; what the two drivers share."""

    def __init__(self, plan: Plan[T]) -> None:
        self._plan = plan
        self.outcome: Any = None
        self.error: Exception | None = None
        self.result: T

    def next_step(self) -> Step | None:
        """The plan's next step, or None once it has returned (its value is `result`)."""
        outcome, error = self.outcome, self.error
        self.outcome, self.error = None, None
        try:
            return self._plan.throw(error) if error is not None else self._plan.send(outcome)
        except StopIteration as done:
            self.result = cast(T, done.value)
            return None


def run_plan(transport: SyncTransport, plan: Plan[T]) -> T:
    """Carry out a plan with blocking I/O; returns what the plan returns."""
    runner = _Runner(plan)
    while (step := runner.next_step()) is not None:
        if not isinstance(step, Call):
            transport.core.clock.sleep(step)
            continue
        try:
            runner.outcome = transport.run(step)
        except Exception as exc:  # handed to the plan, which may recover or re-raise
            runner.error = exc
    return runner.result


async def arun_plan(transport: AsyncTransport, plan: Plan[T]) -> T:
    """Async twin of `run_plan`."""
    runner = _Runner(plan)
    while (step := runner.next_step()) is not None:
        if not isinstance(step, Call):
            await transport.core.clock.asleep(step)
            continue
        try:
            runner.outcome = await transport.run(step)
        except Exception as exc:  # handed to the plan, which may recover or re-raise
            runner.error = exc
    return runner.result
