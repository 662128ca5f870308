"""Contract: billing settings (`client.billing`, reference §11.3)."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, BadRequestError, ElizaCloud, InvalidRequestError
from tests.contract.helpers import resolved


async def test_billing_settings(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    settings = await resolved(cloud.billing.settings())
    assert settings.auto_top_up.enabled is False
    assert settings.auto_top_up.has_payment_method is False
    assert settings.pay_as_you_go_from_earnings is False
    assert settings.limits  # GET adds the server's limits


async def test_billing_update_settings(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    settings = await resolved(
        cloud.billing.update_settings(
            auto_top_up_amount=20, auto_top_up_threshold=5, pay_as_you_go_from_earnings=True
        )
    )
    assert settings.auto_top_up.amount == 20
    assert settings.auto_top_up.threshold == 5
    assert settings.pay_as_you_go_from_earnings is True
    assert settings.message  # PUT adds a message
    # Enabling auto top-up needs a default payment method.
    with pytest.raises(BadRequestError) as excinfo:
        await resolved(cloud.billing.update_settings(auto_top_up_enabled=True))
    assert "payment method" in str(excinfo.value)


async def test_billing_update_settings_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud,
) -> None:
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.billing.update_settings(auto_top_up_amount=5000))
    assert excinfo.value.field == "auto_top_up.amount"
    with pytest.raises(InvalidRequestError):
        await resolved(cloud.billing.update_settings())
