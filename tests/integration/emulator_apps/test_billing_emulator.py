"""Emulator-only checks of billing: the payment-method switch, paying a checkout, 500s."""

from __future__ import annotations

import httpx

from eliza_tools import ElizaCloud
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes.billing import set_payment_method
from tests.fakes import OTHER_FAKE_API_KEY
from tests.fixtures.emulator import auth_headers


def test_checkout_pays_once_and_auto_top_up_needs_a_card(emulator: EmulatorHandle) -> None:
    with ElizaCloud(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0) as cloud:
        own = f"{emulator.site_url}/done"  # the app's own URL is on the allow-list
        session = cloud.credits.checkout(7.5, own, own)
        with httpx.Client(timeout=10) as raw:
            assert raw.get(session.url).json()["paid"] is False
            pay = f"{emulator.site_url}/__emulator__/checkout/{session.session_id}/pay"
            assert raw.post(pay).json()["paid"] is True
            raw.post(pay)  # the webhook again: credited once
        assert cloud.credits.balance().balance == 25.0 + 7.5
        assert cloud.credits.transactions().transactions[0].amount == 7.5
        set_payment_method(emulator.emulator, True)
        enabled = cloud.billing.update_settings(auto_top_up_enabled=True, auto_top_up_amount=10)
        assert enabled.auto_top_up.enabled and enabled.auto_top_up.has_payment_method


def test_transactions_answer_every_failure_with_500(emulator: EmulatorHandle) -> None:
    with httpx.Client(base_url=emulator.site_url, timeout=10) as raw:
        bad = raw.get("/api/credits/transactions", headers=auth_headers(OTHER_FAKE_API_KEY))
        assert bad.status_code == 500 and "error" in bad.json()
        odd = raw.get("/api/credits/transactions?limit=x", headers=auth_headers(emulator.api_key))
        assert odd.status_code == 500
        switch = raw.post("/__emulator__/billing/payment-method", json={"hasPaymentMethod": 1})
        assert switch.status_code == 400
