"""Contract: credits balance and summary."""

from __future__ import annotations

from eliza_tools import AsyncElizaCloud, ElizaCloud
from tests.contract.helpers import resolved


async def test_credits_balance(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    balance = await resolved(cloud.credits.balance())
    assert isinstance(balance.balance, float)
    assert balance.balance >= 0
    assert balance.low == (balance.balance < 2.0)
    assert balance.critical == (balance.balance < 0.5)


async def test_credits_summary(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    summary = await resolved(cloud.credits.summary())
    assert summary.success is True
    assert summary.credit_balance is not None and summary.credit_balance >= 0
    assert summary.pricing["creditsPerDollar"] == 100
