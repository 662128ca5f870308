"""Contract: apps (`client.apps`, reference §11.1).

Earnings have no public source in the emulator, so its tests book them with the
emulator-only switch first; the cassettes hold what the real server then answers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from eliza_tools import (
    AsyncElizaCloud,
    AuthenticationError,
    BadRequestError,
    ElizaCloud,
    InvalidRequestError,
    NotFoundError,
)
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes.apps import add_earnings
from eliza_tools.resources.apps import AsyncApps, SyncApps
from eliza_tools.types.apps import EarningsTransaction
from tests.contract.conftest import Backend
from tests.contract.helpers import resolved
from tests.fakes import OTHER_FAKE_API_KEY

NAME = "Contract App"
URL = "https://contract.example.com"
DOMAIN = "shop.example.com"
WITHDRAW_KEY = "contract-withdrawal-0001"


@dataclass
class Apps:
    """The resource under test and, on the emulator, its handle."""

    api: SyncApps | AsyncApps
    emulator: EmulatorHandle | None

    def earn(self, app_id: str, *amounts: float) -> None:
        """Book earnings on the emulator (the cassettes already hold them)."""
        if self.emulator is not None:
            for amount in amounts:
                add_earnings(self.emulator.emulator, app_id, amount)


@pytest.fixture
def apps(
    request: pytest.FixtureRequest, cloud: ElizaCloud | AsyncElizaCloud, backend: Backend
) -> Apps:
    handle = request.getfixturevalue("emulator") if backend.kind == "emulator" else None
    return Apps(cloud.apps, handle)


async def _app_id(apps: Apps) -> str:
    created = await resolved(apps.api.create(NAME, URL))
    return str(created.app.id)


async def _collect(
    items: Iterator[EarningsTransaction] | AsyncIterator[EarningsTransaction],
) -> list[EarningsTransaction]:
    if isinstance(items, AsyncIterator):
        return [t async for t in items]
    return list(items)


async def test_apps_list(apps: Apps) -> None:
    app_id = await _app_id(apps)
    listed = await resolved(apps.api.list())
    assert [a.id for a in listed] == [app_id]
    assert listed[0].allowed_origins == [URL]  # the server's default


async def test_apps_create(apps: Apps) -> None:
    created = await resolved(
        apps.api.create(NAME, URL, description="Contract tests", website_url="https://example.com")
    )
    assert created.app.name == NAME
    assert created.app.app_url == URL
    assert created.app.description == "Contract tests"
    assert created.app.slug
    key = created.api_key.get_secret_value()
    assert key.startswith("eliza_") and len(key) == 70
    assert key not in repr(created) and key not in str(created)
    assert "api_key" not in created.app.model_dump()  # the row never carries the key


async def test_apps_create_validates_before_sending(apps: Apps) -> None:
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(apps.api.create(NAME, "not a url"))
    assert excinfo.value.field == "app_url"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(apps.api.create("", URL))
    assert excinfo.value.field == "name"


async def test_apps_auth_failure_is_a_500(
    backend: Backend, cloud: ElizaCloud | AsyncElizaCloud
) -> None:
    options = {"api_key": OTHER_FAKE_API_KEY, "base_url": backend.base_url, "max_retries": 0}
    with pytest.raises(AuthenticationError) as excinfo:
        if isinstance(cloud, ElizaCloud):
            with ElizaCloud(**options) as sync_client:  # type: ignore[arg-type]
                sync_client.apps.list()
        else:
            async with AsyncElizaCloud(**options) as async_client:  # type: ignore[arg-type]
                await async_client.apps.list()
    assert excinfo.value.status_code == 500  # the real route's status; the class is right


async def test_apps_check_name(apps: Apps) -> None:
    await _app_id(apps)
    taken = await resolved(apps.api.check_name(NAME))
    assert not taken.available
    assert taken.conflict_type == "app"
    assert taken.suggested_name
    free = await resolved(apps.api.check_name("Unused Name"))
    assert free.available
    assert free.slug == "unused-name"


async def test_apps_get(apps: Apps) -> None:
    app_id = await _app_id(apps)
    app = await resolved(apps.api.get(app_id))
    assert app.id == app_id
    assert app.is_active
    assert not app.monetization_enabled


async def test_apps_update(apps: Apps) -> None:
    app_id = await _app_id(apps)
    app = await resolved(apps.api.update(app_id, description="Updated", website_url=""))
    assert app.description == "Updated"
    assert app.website_url is None  # "" clears it
    with pytest.raises(InvalidRequestError):
        await resolved(apps.api.update(app_id))


async def test_apps_delete(apps: Apps) -> None:
    app_id = await _app_id(apps)
    deleted = await resolved(apps.api.delete(app_id))
    assert deleted.success
    with pytest.raises(NotFoundError):
        await resolved(apps.api.get(app_id))


async def test_apps_analytics(apps: Apps) -> None:
    app_id = await _app_id(apps)
    report = await resolved(
        apps.api.analytics(app_id, period="daily", start_date="2026-04-01", end_date="2026-04-03")
    )
    assert report.period.type == "daily"
    assert len(report.analytics) == 3
    assert report.analytics[0].period_start.startswith("2026-04-01")
    assert report.total_stats.total_requests == sum(p.total_requests for p in report.analytics)


async def test_apps_request_analytics(apps: Apps) -> None:
    app_id = await _app_id(apps)
    report = await resolved(apps.api.request_analytics(app_id, "stats"))
    assert report.stats is not None
    assert {"totalRequests", "uniqueIps", "byType"} <= set(report.stats)


async def test_apps_users(apps: Apps) -> None:
    app_id = await _app_id(apps)
    page = await resolved(apps.api.users(app_id, limit=10))
    assert page.pagination["limit"] == 10
    assert page.pagination["total"] == len(page.users)


async def test_apps_monetization(apps: Apps) -> None:
    app_id = await _app_id(apps)
    settings = await resolved(apps.api.monetization(app_id))
    assert not settings.monetization_enabled
    assert settings.total_creator_earnings == 0


async def test_apps_update_monetization(apps: Apps) -> None:
    app_id = await _app_id(apps)
    settings = await resolved(
        apps.api.update_monetization(
            app_id, monetization_enabled=True, inference_markup_percentage=20
        )
    )
    assert settings.monetization_enabled
    assert settings.inference_markup_percentage == 20
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(apps.api.update_monetization(app_id, purchase_share_percentage=101))
    assert excinfo.value.field == "purchase_share_percentage"


async def test_apps_earnings(apps: Apps) -> None:
    app_id = await _app_id(apps)
    apps.earn(app_id, 40.0)
    report = await resolved(apps.api.earnings(app_id, days=30))
    summary = report.earnings.summary
    assert summary is not None
    assert summary.total_lifetime_earnings == 40.0
    assert summary.withdrawable_balance == 40.0
    assert summary.payout_threshold == 25.0


async def test_apps_earnings_history(apps: Apps) -> None:
    app_id = await _app_id(apps)
    apps.earn(app_id, 40.0, 2.5)
    page = await resolved(apps.api.earnings_history(app_id, limit=1))
    assert len(page.transactions) == 1
    assert page.transactions[0].amount == 2.5  # newest first
    assert page.pagination.has_more


async def test_apps_iter_earnings_history(apps: Apps) -> None:
    app_id = await _app_id(apps)
    apps.earn(app_id, 30.0, 20.0, 10.0)
    every = await _collect(apps.api.iter_earnings_history(app_id, page_size=2))
    assert [t.amount for t in every] == [10.0, 20.0, 30.0]
    # `type` is filtered here: the server would ignore `offset` and loop on page one.
    none = await _collect(apps.api.iter_earnings_history(app_id, type="withdrawal", page_size=2))
    assert none == []


async def test_apps_withdraw(apps: Apps) -> None:
    app_id = await _app_id(apps)
    apps.earn(app_id, 40.0)
    await resolved(apps.api.update_monetization(app_id, monetization_enabled=True))
    paid = await resolved(apps.api.withdraw(app_id, 30.0, idempotency_key=WITHDRAW_KEY))
    assert paid.new_balance == 10.0
    again = await resolved(apps.api.withdraw(app_id, 30.0, idempotency_key=WITHDRAW_KEY))
    assert again.transaction_id == paid.transaction_id  # paid once
    assert again.new_balance == 10.0
    with pytest.raises(BadRequestError):  # under the $25 payout threshold
        await resolved(apps.api.withdraw(app_id, 5.0, idempotency_key=WITHDRAW_KEY + "-b"))


async def test_apps_regenerate_api_key(apps: Apps) -> None:
    created = await resolved(apps.api.create(NAME, URL))
    fresh = await resolved(apps.api.regenerate_api_key(created.app.id))
    key = fresh.api_key.get_secret_value()
    assert key.startswith("eliza_")
    assert key != created.api_key.get_secret_value()
    assert key not in repr(fresh)


async def test_apps_domains(apps: Apps) -> None:
    app_id = await _app_id(apps)
    listed = await resolved(apps.api.domains(app_id))
    assert len(listed.domains) == 1
    primary = listed.domains[0]
    assert primary.is_primary
    assert primary.subdomain and primary.custom_domain is None


async def test_apps_add_domain(apps: Apps) -> None:
    app_id = await _app_id(apps)
    added = await resolved(apps.api.add_domain(app_id, DOMAIN))
    assert added.domain == DOMAIN
    assert not added.verified
    assert not added.is_apex_domain
    assert added.dns_instructions and added.verification_records
    with pytest.raises(InvalidRequestError):
        await resolved(apps.api.add_domain(app_id, "xn--bcher-kva.example"))


async def test_apps_remove_domain(apps: Apps) -> None:
    app_id = await _app_id(apps)
    await resolved(apps.api.add_domain(app_id, DOMAIN))
    assert await resolved(apps.api.remove_domain(app_id, DOMAIN)) is None
    listed = await resolved(apps.api.domains(app_id))
    assert listed.domains[0].custom_domain is None


async def test_apps_domain_status(apps: Apps) -> None:
    app_id = await _app_id(apps)
    await resolved(apps.api.add_domain(app_id, DOMAIN))
    status = await resolved(apps.api.domain_status(app_id, DOMAIN))
    assert status.domain == DOMAIN
    assert not status.verified
    assert status.status == "pending"


async def test_apps_verify_domain(apps: Apps) -> None:
    app_id = await _app_id(apps)
    await resolved(apps.api.add_domain(app_id, DOMAIN))
    status = await resolved(apps.api.verify_domain(app_id, DOMAIN))
    assert status.verified
    assert status.ssl_status == "active"
