"""A spend guard: the toolkit refuses a call that would take it over its budget.

Before a billed call the toolkit reserves the call's estimated cost (from the
price table); when the call returns, the reservation is replaced by what it
really cost (the server's figure when it gives one, otherwise the estimate).
Concurrent calls reserve under a lock, so two parallel calls cannot both slip
under the limit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from eliza_tools.errors import ElizaCloudError


def usd(value: float) -> str:
    """Dollars as people write them: `$0.06`, or `$0.0012` for fractions of a cent."""
    return f"${value:.2f}" if round(value, 2) == round(value, 6) else f"${value:.4f}"


class BudgetExceededError(ElizaCloudError):
    """The call would take the toolkit's spending over `budget_usd`; nothing was sent."""

    def __init__(self, *, tool: str, estimate: float, spent: float, limit: float) -> None:
        super().__init__(
            f"{tool} would cost about {usd(estimate)}, but only {usd(max(0.0, limit - spent))} "
            f"of the {usd(limit)} budget is left ({usd(spent)} spent)"
        )
        self.tool = tool
        self.estimate = estimate
        self.spent = spent
        self.limit = limit


@dataclass(frozen=True)
class Reservation:
    """An amount held for one call in flight."""

    amount: float


class Budget:
    """Spending so far, in USD, against an optional limit (None: track only)."""

    def __init__(self, limit_usd: float | None = None) -> None:
        if limit_usd is not None and limit_usd < 0:
            raise ValueError("budget_usd must be >= 0")
        self.limit_usd = limit_usd
        self._spent = 0.0
        self._held = 0.0
        self._lock = threading.Lock()

    @property
    def spent_usd(self) -> float:
        """What finished calls cost."""
        return self._spent

    @property
    def remaining_usd(self) -> float | None:
        """What is left of the limit (None without a limit)."""
        if self.limit_usd is None:
            return None
        return max(0.0, self.limit_usd - self._spent - self._held)

    def reserve(self, tool: str, estimate: float) -> Reservation:
        """Hold `estimate` for a call, or raise `BudgetExceededError`."""
        with self._lock:
            committed = self._spent + self._held
            if self.limit_usd is not None and committed + estimate > self.limit_usd + 1e-9:
                raise BudgetExceededError(
                    tool=tool, estimate=estimate, spent=committed, limit=self.limit_usd
                )
            self._held += estimate
        return Reservation(estimate)

    def settle(self, reservation: Reservation, actual: float | None) -> None:
        """The call finished: swap the hold for its real cost (None: the estimate)."""
        with self._lock:
            self._held -= reservation.amount
            self._spent = round(self._spent + (reservation.amount if actual is None else actual), 9)

    def release(self, reservation: Reservation) -> None:
        """The call failed before the server did any work: drop the hold."""
        with self._lock:
            self._held -= reservation.amount
