"""App shapes (`/api/v1/apps/**`, reference §11.1).

The `app`, its users and its earnings transactions are raw database rows, in
snake_case on the wire; the analytics, monetization and earnings summaries are
camelCase. The app key is returned only by `create` and `regenerate_api_key`,
as a `SecretStr` that never shows itself in repr, str or logs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, SecretStr

from eliza_tools.types._base import ElizaModel, RequestModel, SnakeCaseModel, SnakeCaseRequest

AnalyticsPeriod = Literal["hourly", "daily", "monthly"]
RequestsView = Literal["stats", "logs", "visitors", "timeline"]


class App(SnakeCaseModel):
    """An app (the DB row). It never carries the key itself, only `api_key_id`."""

    id: str
    name: str
    description: str | None = None
    slug: str | None = None
    organization_id: str | None = None
    app_url: str | None = None
    website_url: str | None = None
    contact_email: str | None = None
    logo_url: str | None = None
    allowed_origins: list[str] = Field(default_factory=list)
    linked_character_ids: list[str] = Field(default_factory=list)
    api_key_id: str | None = None
    is_active: bool = True
    monetization_enabled: bool = False
    total_requests: int | None = None
    total_credits_used: str | float | None = None  # a numeric string on the real server
    created_at: str | None = None
    updated_at: str | None = None


class CreateAppRequest(SnakeCaseRequest):
    """The body of `POST /apps` (`skipGitHubRepo` is the one camelCase field)."""

    name: str = Field(min_length=1, max_length=100)
    app_url: str = Field(pattern=r"^https?://\S+$")
    description: str | None = None
    website_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    contact_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    allowed_origins: list[str] | None = None
    logo_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    skip_github_repo: bool | None = Field(default=None, alias="skipGitHubRepo")


class UpdateAppRequest(SnakeCaseRequest):
    """The body of `PUT /apps/{id}`; `""` clears `website_url` and `logo_url`."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = None
    app_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    website_url: str | None = Field(default=None, pattern=r"^(https?://\S+)?$")
    logo_url: str | None = Field(default=None, pattern=r"^(https?://\S+)?$")
    contact_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    allowed_origins: list[str] | None = None
    is_active: bool | None = None
    linked_character_ids: list[str] | None = Field(default=None, max_length=4)


class CreatedApp(ElizaModel):
    """`POST /apps`: the app and its key, shown this once (keep it: it cannot be read again)."""

    app: App
    api_key: SecretStr
    github_repo: Any = None
    warnings: list[str] = Field(default_factory=list)


class NameCheck(ElizaModel):
    """`POST /apps/check-name`."""

    available: bool
    slug: str | None = None
    conflict_type: str | None = None
    suggested_name: str | None = None


class DeletedApp(ElizaModel):
    """`DELETE /apps/{id}`: `success` may be false with HTTP 200 when cleanup partly failed."""

    success: bool
    message: str = ""
    cleaned: Any = None
    errors: list[Any] = Field(default_factory=list)


class AnalyticsPoint(SnakeCaseModel):
    """One period of `GET …/analytics` (`unique_users` counts distinct IPs)."""

    period_start: str
    total_requests: int = 0
    unique_users: int = 0
    new_users: int = 0
    total_cost: float | str = 0


class AnalyticsTotals(ElizaModel):
    """The `totalStats` of `GET …/analytics`."""

    total_requests: int = 0
    total_users: int = 0
    total_credits_used: float | str = 0


class AnalyticsRange(ElizaModel):
    """The `period` of `GET …/analytics`."""

    type: str
    start: str
    end: str


class AppAnalytics(ElizaModel):
    """`GET …/analytics`."""

    analytics: list[AnalyticsPoint]
    total_stats: AnalyticsTotals
    period: AnalyticsRange


class RequestAnalytics(ElizaModel):
    """`GET …/analytics/requests`: the key named by the view (`stats`, `logs`, …) is set."""

    stats: dict[str, Any] | None = None
    logs: list[dict[str, Any]] | None = None
    visitors: list[dict[str, Any]] | None = None
    timeline: list[dict[str, Any]] | None = None


class AppUser(SnakeCaseModel):
    """A raw `app_users` row."""

    id: str
    app_id: str | None = None
    user_id: str | None = None
    total_requests: int | None = None
    total_credits_used: float | str | None = None
    first_seen_at: str | None = None
    last_seen_at: str | None = None


class UsersPage(ElizaModel):
    """`GET …/users`: no offset; `total` is the number of rows returned."""

    users: list[AppUser]
    pagination: dict[str, Any] = Field(default_factory=dict)


class Monetization(ElizaModel):
    """`GET|PUT …/monetization` (markups in percent)."""

    monetization_enabled: bool
    inference_markup_percentage: float = 0
    purchase_share_percentage: float = 0
    platform_offset_amount: float = 0
    total_creator_earnings: float = 0


class MonetizationUpdate(RequestModel):
    """The body of `PUT …/monetization`."""

    monetization_enabled: bool | None = None
    inference_markup_percentage: float | None = Field(default=None, ge=0, le=1000)
    purchase_share_percentage: float | None = Field(default=None, ge=0, le=100)


class EarningsSummary(ElizaModel):
    """The `earnings.summary` of `GET …/earnings`, in USD."""

    total_lifetime_earnings: float = 0
    pending_balance: float = 0
    withdrawable_balance: float = 0
    total_withdrawn: float = 0
    payout_threshold: float = 0


class Earnings(ElizaModel):
    """The `earnings` of `GET …/earnings` (`summary` is null for an app with none yet)."""

    summary: EarningsSummary | None = None
    breakdown: Any = None
    recent_transactions: list[dict[str, Any]] = Field(default_factory=list)
    chart_data: list[dict[str, Any]] = Field(default_factory=list)


class AppEarnings(ElizaModel):
    """`GET …/earnings`."""

    earnings: Earnings
    monetization: Monetization | None = None


class EarningsTransaction(SnakeCaseModel):
    """One row of `GET …/earnings/history`; `amount` is USD (negative for withdrawals)."""

    id: str
    type: str
    amount: float | str
    description: str | None = None
    created_at: str | None = None


class EarningsPagination(ElizaModel):
    """`{limit, offset, hasMore}`."""

    limit: int
    offset: int = 0
    has_more: bool = False


class EarningsHistoryPage(ElizaModel):
    """`GET …/earnings/history`."""

    transactions: list[EarningsTransaction]
    pagination: EarningsPagination


class WithdrawRequest(SnakeCaseRequest):
    """The body of `POST …/earnings/withdraw`."""

    amount: float = Field(gt=0)
    idempotency_key: str = Field(min_length=16, max_length=64)


class Withdrawal(ElizaModel):
    """`POST …/earnings/withdraw`."""

    message: str = ""
    transaction_id: str
    new_balance: float


class RegeneratedKey(ElizaModel):
    """`POST …/regenerate-api-key`: the new key (the old one stops working at once)."""

    api_key: SecretStr
    message: str = ""


class DomainRecord(ElizaModel):
    """A DNS record to set: `{type, name, value}`."""

    type: str
    name: str
    value: str


class AppDomain(ElizaModel):
    """One entry of `GET …/domains`."""

    id: str
    subdomain: str | None = None
    subdomain_url: str | None = None
    custom_domain: str | None = None
    custom_domain_url: str | None = None
    custom_domain_verified: bool = False
    ssl_status: str | None = None
    is_primary: bool = False
    verification_records: list[DomainRecord] = Field(default_factory=list)
    created_at: str | None = None
    verified_at: str | None = None


class DomainList(ElizaModel):
    """`GET …/domains`."""

    domains: list[AppDomain]
    sandbox_url: str | None = None


class DomainRequest(RequestModel):
    """`{domain}`: 4..253 ASCII characters; punycode (`xn--`) is refused by the server."""

    domain: str = Field(min_length=4, max_length=253, pattern=r"^[\x21-\x7e]+$")


class DomainAdded(ElizaModel):
    """`POST …/domains`."""

    domain: str
    verified: bool = False
    verification_records: list[DomainRecord] = Field(default_factory=list)
    dns_instructions: list[DomainRecord] = Field(default_factory=list)
    is_apex_domain: bool = False


class DomainStatus(ElizaModel):
    """`POST …/domains/status` and `…/domains/verify`."""

    domain: str
    status: str | None = None
    configured: bool = False
    verified: bool = False
    ssl_status: str | None = None
    configured_by: str | None = None
    records: list[DomainRecord] = Field(default_factory=list)
    is_apex_domain: bool = False
    dns_instructions: list[DomainRecord] = Field(default_factory=list)
