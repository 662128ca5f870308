"""Credit shapes (`/api/v1/credits/*`). Balances are USD numbers."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from eliza_tools.types._base import ElizaModel

# The server defines no thresholds for the org balance; these are Milady's (reference §11.3).
LOW_BALANCE_USD = 2.0
CRITICAL_BALANCE_USD = 0.5


class CreditBalance(ElizaModel):
    """`GET /credits/balance`: the balance in USD, with the low / critical flags."""

    balance: float

    @property
    def low(self) -> bool:
        """Below $2.00."""
        return self.balance < LOW_BALANCE_USD

    @property
    def critical(self) -> bool:
        """Below $0.50."""
        return self.balance < CRITICAL_BALANCE_USD


class CreditSummary(ElizaModel):
    """`GET /credits/summary`: organization, agents, apps, earnings, recent transactions."""

    success: bool = True
    organization: dict[str, Any] = Field(default_factory=dict)
    agents: list[dict[str, Any]] = Field(default_factory=list)
    agents_summary: dict[str, Any] = Field(default_factory=dict)
    apps: list[dict[str, Any]] = Field(default_factory=list)
    earnings: dict[str, Any] = Field(default_factory=dict)
    recent_transactions: list[dict[str, Any]] = Field(default_factory=list)
    pricing: dict[str, Any] = Field(default_factory=dict)

    @property
    def credit_balance(self) -> float | None:
        """The organization's balance in USD, when the server included it."""
        value = self.organization.get("creditBalance")
        return float(value) if isinstance(value, int | float | str) and value != "" else None
