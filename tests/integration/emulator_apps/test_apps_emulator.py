"""Emulator-only checks of the app routes: key rotation, the history quirk, payout rules."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from eliza_tools import AuthenticationError, ConflictError, ElizaCloud
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes.apps import add_earnings
from tests.fixtures.emulator import auth_headers


@pytest.fixture
def cloud(emulator: EmulatorHandle) -> Iterator[ElizaCloud]:
    with ElizaCloud(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0) as client:
        yield client


def test_regenerating_deletes_the_old_key_at_once(
    emulator: EmulatorHandle, cloud: ElizaCloud
) -> None:
    created = cloud.apps.create("Keyed", "https://keyed.example.com")
    old = created.api_key.get_secret_value()
    with ElizaCloud(api_key=old, base_url=emulator.base_url, max_retries=0) as as_app:
        assert [a.id for a in as_app.apps.list()] == [created.app.id]  # the app key works
        new = cloud.apps.regenerate_api_key(created.app.id).api_key.get_secret_value()
        with pytest.raises(AuthenticationError) as excinfo:
            as_app.apps.list()
        assert excinfo.value.status_code == 500
    with ElizaCloud(api_key=new, base_url=emulator.base_url, max_retries=0) as renewed:
        assert renewed.apps.get(created.app.id).name == "Keyed"


def test_history_type_ignores_offset_like_the_real_route(
    emulator: EmulatorHandle, cloud: ElizaCloud
) -> None:
    app_id = cloud.apps.create("History", "https://history.example.com").app.id
    for amount in (1.0, 2.0, 3.0):
        add_earnings(emulator.emulator, app_id, amount)
    page = cloud.apps.earnings_history(app_id, limit=2, offset=2, type="earning")
    assert [t.amount for t in page.transactions] == [3.0, 2.0]  # offset dropped
    assert page.pagination.offset == 0
    assert [t.amount for t in cloud.apps.iter_earnings_history(app_id, type="earning")] == [
        3.0,
        2.0,
        1.0,
    ]


def test_payout_rules_and_access(emulator: EmulatorHandle, cloud: ElizaCloud) -> None:
    app_id = cloud.apps.create("Payout", "https://payout.example.com").app.id
    add_earnings(emulator.emulator, app_id, 30.0)
    with httpx.Client(base_url=emulator.site_url, timeout=10) as raw:
        path = f"/api/v1/apps/{app_id}/earnings/withdraw"
        body = {"amount": 26.0, "idempotency_key": "k" * 16}
        off = raw.post(path, json=body, headers=auth_headers(emulator.api_key))
        assert off.status_code == 400 and off.json()["code"] == "validation_error"
        cloud.apps.update_monetization(app_id, monetization_enabled=True)
        too_much = raw.post(
            path, json={"amount": 31.0}, headers=auth_headers(emulator.api_key)
        ).json()
        assert too_much["error"] == "Insufficient withdrawable balance"
        stranger = emulator.new_account(balance=10)
        denied = raw.post(path, json=body, headers=auth_headers(stranger))
        assert denied.status_code == 403
        assert raw.get(f"/api/v1/apps/{app_id}", headers=auth_headers(stranger)).status_code == 403
        assert raw.get("/api/v1/apps/not-a-uuid", headers=auth_headers(stranger)).status_code == 404
        admin = raw.post(f"/__emulator__/apps/{app_id}/earnings", json={"amount": -1})
        assert admin.status_code == 400 and admin.json()["error"].startswith("amount")
    assert cloud.apps.withdraw(app_id, 26.0).new_balance == 4.0


def test_name_conflict_is_a_409_with_a_suggestion(cloud: ElizaCloud) -> None:
    cloud.apps.create("Twin", "https://twin.example.com")
    with pytest.raises(ConflictError) as excinfo:
        cloud.apps.create("Twin", "https://twin.example.com")
    assert excinfo.value.body["conflictType"] == "app"
    assert excinfo.value.body["suggestedName"].startswith("Twin-")
