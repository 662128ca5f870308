"""Credit shapes (`/api/v1/credits/*`). Balances are USD numbers."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from eliza_tools.types._base import ElizaModel, SnakeCaseModel, SnakeCaseRequest

# The server defines no thresholds for the org balance; these are Milady's (reference §11.3).
LOW_BALANCE_USD = 2.0
CRITICAL_BALANCE_USD = 0.5


class CreditBalance(ElizaModel):
    """`GET /credits/balance`: the balance in USD, with the low / critical flags."""

    balance: float
    #: The billing page to add credits (the client fills it in from the site it talks to).
    top_up_url: str | None = None

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


class CreditTransaction(SnakeCaseModel):
    """One ledger row (snake_case on the wire); `amount` is USD, negative for a debit."""

    id: str
    amount: float
    type: str
    description: str | None = None
    organization_id: str | None = None
    metadata: dict[str, Any] | None = None
    stripe_payment_intent_id: str | None = None
    created_at: str | None = None


class CreditTransactions(ElizaModel):
    """`GET /api/credits/transactions` (no `success` field on this route)."""

    transactions: list[CreditTransaction]
    total: int = 0
    period: dict[str, Any] = Field(default_factory=dict)


class CheckoutRequest(SnakeCaseRequest):
    """The body of `POST /credits/checkout` (snake_case URLs on the wire)."""

    credits: float = Field(ge=1, le=1000)
    success_url: str = Field(pattern=r"^https?://\S+$")
    cancel_url: str = Field(pattern=r"^https?://\S+$")


class CheckoutSession(ElizaModel):
    """`POST /credits/checkout`: open `url` to pay; credits arrive with the payment."""

    url: str
    session_id: str


class CheckoutVerification(ElizaModel):
    """`GET /credits/verify`: `success` is false (HTTP 200) while the payment is not done."""

    success: bool
    amount: float | None = None
    message: str | None = None
    error: str | None = None

    @property
    def paid(self) -> bool:
        """Whether the checkout was paid."""
        return self.success
