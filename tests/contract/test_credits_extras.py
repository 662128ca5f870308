"""Contract: credit transactions, Stripe checkout and verify, the top-up URL (§7, §11.3).

A checkout is paid by the Stripe webhook; on the emulator the test pays it with
the emulator-only switch, on the cassettes the server already answers "paid".
"""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, BadRequestError, ElizaCloud, InvalidRequestError
from eliza_tools.emulator.routes.billing import pay_checkout
from tests.contract.conftest import Backend
from tests.contract.helpers import resolved

SUCCESS = "http://localhost:3000/billing/success"
CANCEL = "http://localhost:3000/billing/cancel"


async def test_credits_balance_top_up_url(
    backend: Backend, cloud: ElizaCloud | AsyncElizaCloud
) -> None:
    balance = await resolved(cloud.credits.balance())
    site = backend.base_url.removesuffix("/api/v1")
    assert balance.top_up_url == site + "/dashboard/settings?tab=billing"
    assert balance.low == (balance.balance < 2.0)


async def test_credits_transactions(
    request: pytest.FixtureRequest, backend: Backend, cloud: ElizaCloud | AsyncElizaCloud
) -> None:
    if backend.kind == "emulator":
        request.getfixturevalue("emulator").set_balance(30.0)  # journals a +5 adjustment
    page = await resolved(cloud.credits.transactions(limit=10))
    assert page.total == len(page.transactions) >= 1
    entry = page.transactions[0]
    assert entry.amount == 5.0
    assert entry.type and entry.created_at
    assert page.period["end"]


async def test_credits_checkout(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    session = await resolved(cloud.credits.checkout(10, SUCCESS, CANCEL))
    assert session.url.startswith("http")
    assert session.session_id.startswith("cs_")
    with pytest.raises(BadRequestError) as excinfo:  # not on the redirect allow-list
        await resolved(cloud.credits.checkout(10, "https://evil.example.com/ok", CANCEL))
    assert "success_url" in str(excinfo.value)
    with pytest.raises(InvalidRequestError) as invalid:
        await resolved(cloud.credits.checkout(0, SUCCESS, CANCEL))
    assert invalid.value.field == "credits"


async def test_credits_verify(
    request: pytest.FixtureRequest, backend: Backend, cloud: ElizaCloud | AsyncElizaCloud
) -> None:
    session = await resolved(cloud.credits.checkout(10, SUCCESS, CANCEL))
    unpaid = await resolved(cloud.credits.verify(session.session_id))
    assert not unpaid.paid
    assert unpaid.error == "Payment not completed"
    if backend.kind == "emulator":
        pay_checkout(request.getfixturevalue("emulator").emulator, session.session_id)
    paid = await resolved(cloud.credits.verify(session.session_id))
    assert paid.paid
    assert paid.amount == 10
