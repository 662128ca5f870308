"""Billing settings shapes (`GET|PUT /api/v1/billing/settings`, reference §11.3). USD amounts."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from eliza_tools.types._base import ElizaModel, RequestModel


class AutoTopUp(ElizaModel):
    """Automatic top-up: buy `amount` USD when the balance falls under `threshold`."""

    enabled: bool = False
    amount: float | None = None
    threshold: float | None = None
    has_payment_method: bool = False


class BillingSettings(ElizaModel):
    """The organization's billing settings; `limits` (GET) and `message` (PUT) when sent."""

    auto_top_up: AutoTopUp = Field(default_factory=AutoTopUp)
    pay_as_you_go_from_earnings: bool = False
    limits: dict[str, Any] | None = None
    message: str | None = None


class AutoTopUpUpdate(RequestModel):
    """The `autoTopUp` part of the PUT body."""

    enabled: bool | None = None
    amount: float | None = Field(default=None, ge=1, le=1000)
    threshold: float | None = Field(default=None, ge=0, le=1000)


class BillingSettingsUpdate(RequestModel):
    """The body of `PUT /billing/settings`."""

    auto_top_up: AutoTopUpUpdate | None = None
    pay_as_you_go_from_earnings: bool | None = None
