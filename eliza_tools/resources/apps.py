"""`client.apps`: apps, their analytics, users, monetization, earnings and domains (§11.1).

Quirks of the real server this module absorbs:

- most app routes answer an auth failure with HTTP 500; the error tree maps it to
  `AuthenticationError` from the message;
- the app key comes back only from `create` and `regenerate_api_key`; it is a
  `SecretStr` and never appears in repr, str or logs;
- `earnings/history` ignores `offset` when `type` is given, so the history
  iterator pages without `type` and filters on the client;
- a withdrawal carries an idempotency key (generated when not given), so the
  client may retry it: the server pays a key once.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from typing import Any, Unpack

import httpx
from pydantic import TypeAdapter

from eliza_tools._resource import (
    APIResource,
    Async,
    AsyncResource,
    ModeT,
    Pages,
    Sync,
    SyncResource,
    aiter_pages,
    endpoint,
    iter_pages,
    parse_as,
    path_id,
)
from eliza_tools._transport import WRITE, Call, RequestOptions, RetryPolicy, RouteFamily
from eliza_tools.errors import InvalidRequestError
from eliza_tools.types._base import validate_request
from eliza_tools.types.apps import (
    AnalyticsPeriod,
    App,
    AppAnalytics,
    AppEarnings,
    CreateAppRequest,
    CreatedApp,
    DeletedApp,
    DomainAdded,
    DomainList,
    DomainRequest,
    DomainStatus,
    EarningsHistoryPage,
    EarningsTransaction,
    Monetization,
    MonetizationUpdate,
    NameCheck,
    RegeneratedKey,
    RequestAnalytics,
    RequestsView,
    UpdateAppRequest,
    UsersPage,
    Withdrawal,
    WithdrawRequest,
)

# App routes are not rate limited on the server, except those given a family below.
_FAMILY = RouteFamily.UNLIMITED
#: With an idempotency key the server pays a key once, so a withdrawal may be retried
#: even when the answer was lost on the way back.
WITHDRAW_POLICY = RetryPolicy(
    retry_statuses=frozenset({429, 502, 503, 504}), retry_read_errors=True
)
HISTORY_PAGE = 50


def _path(app_id: str, tail: str = "") -> str:
    return f"/apps/{path_id(app_id, 'app_id')}{tail}"


def _key(name: str, data_type: Any) -> Callable[[httpx.Response], Any]:
    """A `Call.parse` returning the body's `name` field as `data_type`."""
    adapter: TypeAdapter[Any] = TypeAdapter(data_type)

    def parse(response: httpx.Response) -> Any:
        return adapter.validate_python(response.json()[name])

    return parse


def _day(value: str | date | None, field: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    raise InvalidRequestError(field, "expected an ISO date string, a date or a datetime")


# -- the app itself -------------------------------------------------------------------------


def _list(**options: Unpack[RequestOptions]) -> Call[list[App]]:
    """The organization's apps."""
    return Call("GET", "/apps", _key("apps", list[App]), family=_FAMILY, options=options)


def _create(
    name: str,
    app_url: str,
    *,
    description: str | None = None,
    website_url: str | None = None,
    contact_email: str | None = None,
    allowed_origins: list[str] | None = None,
    logo_url: str | None = None,
    skip_github_repo: bool | None = None,
    **options: Unpack[RequestOptions],
) -> Call[CreatedApp]:
    """Create an app. The result's `api_key` is shown this once: store it now.

    `allowed_origins` defaults to `[app_url]` on the server. A taken name is a
    `ConflictError` whose `body` has `conflictType` and `suggestedName`.
    """
    body = validate_request(
        CreateAppRequest,
        name=name,
        app_url=app_url,
        description=description,
        website_url=website_url,
        contact_email=contact_email,
        allowed_origins=allowed_origins,
        logo_url=logo_url,
        skip_github_repo=skip_github_repo,
    )
    return Call(
        "POST",
        "/apps",
        parse_as(CreatedApp),
        family=_FAMILY,
        policy=WRITE,
        json=body.to_wire(),
        options=options,
    )


def _check_name(name: str, **options: Unpack[RequestOptions]) -> Call[NameCheck]:
    """Whether a name (and its slug) is free, with a suggestion when it is not."""
    if not name.strip():
        raise InvalidRequestError("name", "must not be empty")
    return Call(
        "POST",
        "/apps/check-name",
        parse_as(NameCheck),
        family=_FAMILY,
        json={"name": name},
        options=options,
    )


def _get(app_id: str, **options: Unpack[RequestOptions]) -> Call[App]:
    """One app."""
    return Call("GET", _path(app_id), _key("app", App), family=_FAMILY, options=options)


def _update(
    app_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
    app_url: str | None = None,
    website_url: str | None = None,
    logo_url: str | None = None,
    contact_email: str | None = None,
    allowed_origins: list[str] | None = None,
    is_active: bool | None = None,
    linked_character_ids: list[str] | None = None,
    **options: Unpack[RequestOptions],
) -> Call[App]:
    """Change some fields (`""` clears `website_url` / `logo_url`); at most 4 characters."""
    body = validate_request(
        UpdateAppRequest,
        name=name,
        description=description,
        app_url=app_url,
        website_url=website_url,
        logo_url=logo_url,
        contact_email=contact_email,
        allowed_origins=allowed_origins,
        is_active=is_active,
        linked_character_ids=linked_character_ids,
    ).to_wire()
    if not body:
        raise InvalidRequestError("fields", "give at least one field to change")
    return Call(
        "PUT",
        _path(app_id),
        _key("app", App),
        family=_FAMILY,
        policy=WRITE,
        json=body,
        options=options,
    )


def _delete(app_id: str, **options: Unpack[RequestOptions]) -> Call[DeletedApp]:
    """Delete an app; `success` is false (with HTTP 200) when part of the cleanup failed."""
    return Call(
        "DELETE", _path(app_id), parse_as(DeletedApp), family=_FAMILY, policy=WRITE, options=options
    )


def _regenerate_api_key(app_id: str, **options: Unpack[RequestOptions]) -> Call[RegeneratedKey]:
    """A new app key, shown this once; the old key stops working at once."""
    return Call(
        "POST",
        _path(app_id, "/regenerate-api-key"),
        parse_as(RegeneratedKey),
        family=RouteFamily.STANDARD,  # STRICT (10 / min) on the server
        policy=WRITE,
        options=options,
    )


# -- analytics and users --------------------------------------------------------------------


def _analytics(
    app_id: str,
    *,
    period: AnalyticsPeriod = "daily",
    start_date: str | date | None = None,
    end_date: str | date | None = None,
    **options: Unpack[RequestOptions],
) -> Call[AppAnalytics]:
    """Requests, distinct visitors and cost per period (default: daily, last 30 days)."""
    if period not in ("hourly", "daily", "monthly"):
        raise InvalidRequestError("period", "must be hourly, daily or monthly")
    params = {
        "period": period,
        "start_date": _day(start_date, "start_date"),
        "end_date": _day(end_date, "end_date"),
    }
    return Call(
        "GET",
        _path(app_id, "/analytics"),
        parse_as(AppAnalytics),
        family=_FAMILY,
        params={k: v for k, v in params.items() if v is not None},
        options=options,
    )


def _request_analytics(
    app_id: str,
    view: RequestsView = "stats",
    *,
    limit: int | None = None,
    **options: Unpack[RequestOptions],
) -> Call[RequestAnalytics]:
    """Request-level analytics: `stats`, `logs`, `visitors` or `timeline` (`limit` <= 100)."""
    if view not in ("stats", "logs", "visitors", "timeline"):
        raise InvalidRequestError("view", "must be stats, logs, visitors or timeline")
    if limit is not None and not 1 <= limit <= 100:
        raise InvalidRequestError("limit", "must be between 1 and 100")
    params: dict[str, Any] = {"view": view}
    if limit is not None:
        params["limit"] = limit
    return Call(
        "GET",
        _path(app_id, "/analytics/requests"),
        parse_as(RequestAnalytics),
        family=RouteFamily.STANDARD,
        params=params,
        options=options,
    )


def _users(
    app_id: str, *, limit: int | None = None, **options: Unpack[RequestOptions]
) -> Call[UsersPage]:
    """The app's users (raw rows; the server offers no offset)."""
    return Call(
        "GET",
        _path(app_id, "/users"),
        parse_as(UsersPage),
        family=_FAMILY,
        params={"limit": limit} if limit is not None else None,
        options=options,
    )


# -- monetization and earnings --------------------------------------------------------------


def _monetization(app_id: str, **options: Unpack[RequestOptions]) -> Call[Monetization]:
    """The app's monetization settings and its creator earnings so far."""
    return Call(
        "GET",
        _path(app_id, "/monetization"),
        _key("monetization", Monetization),
        family=_FAMILY,
        options=options,
    )


def _update_monetization(
    app_id: str,
    *,
    monetization_enabled: bool | None = None,
    inference_markup_percentage: float | None = None,
    purchase_share_percentage: float | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Monetization]:
    """Turn monetization on or off and set the markups (0..1000 % and 0..100 %)."""
    body = validate_request(
        MonetizationUpdate,
        monetization_enabled=monetization_enabled,
        inference_markup_percentage=inference_markup_percentage,
        purchase_share_percentage=purchase_share_percentage,
    ).to_wire()
    if not body:
        raise InvalidRequestError("fields", "give at least one setting to change")
    return Call(
        "PUT",
        _path(app_id, "/monetization"),
        _key("monetization", Monetization),
        family=_FAMILY,
        policy=WRITE,
        json=body,
        options=options,
    )


def _earnings(
    app_id: str, *, days: int | None = None, **options: Unpack[RequestOptions]
) -> Call[AppEarnings]:
    """Earnings summary, breakdown and chart over the last `days` (1..90)."""
    if days is not None and not 1 <= days <= 90:
        raise InvalidRequestError("days", "must be between 1 and 90")
    return Call(
        "GET",
        _path(app_id, "/earnings"),
        parse_as(AppEarnings),
        family=_FAMILY,
        params={"days": days} if days is not None else None,
        options=options,
    )


def _earnings_history(
    app_id: str,
    *,
    limit: int = HISTORY_PAGE,
    offset: int = 0,
    type: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[EarningsHistoryPage]:
    """One page of earnings transactions. Note: the server ignores `offset` when `type` is set
    (use `iter_earnings_history(type=...)` to read them all)."""
    if limit < 1:
        raise InvalidRequestError("limit", "must be at least 1")
    if offset < 0:
        raise InvalidRequestError("offset", "must not be negative")
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if type is not None:
        params["type"] = type
    return Call(
        "GET",
        _path(app_id, "/earnings/history"),
        parse_as(EarningsHistoryPage),
        family=_FAMILY,
        params=params,
        options=options,
    )


def _withdraw(
    app_id: str,
    amount: float,
    *,
    idempotency_key: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Withdrawal]:
    """Withdraw `amount` USD of earnings (at least the payout threshold, $25 by default).

    Only the app's creator may. The `idempotency_key` (16..64 characters, generated
    when not given) makes retries safe: the server pays one key once. To retry a
    withdrawal yourself after an error, pass the same key again.
    """
    body = validate_request(
        WithdrawRequest, amount=amount, idempotency_key=idempotency_key or uuid.uuid4().hex
    )
    return Call(
        "POST",
        _path(app_id, "/earnings/withdraw"),
        parse_as(Withdrawal),
        family=RouteFamily.CRITICAL,
        policy=WITHDRAW_POLICY,
        json=body.to_wire(),
        options=options,
    )


# -- domains --------------------------------------------------------------------------------


def _domains(app_id: str, **options: Unpack[RequestOptions]) -> Call[DomainList]:
    """The app's domains (its subdomain and custom domain)."""
    return Call(
        "GET", _path(app_id, "/domains"), parse_as(DomainList), family=_FAMILY, options=options
    )


def _domain_call(
    method: str, app_id: str, tail: str, domain: str, parse: Any, options: RequestOptions
) -> Call[Any]:
    body = validate_request(DomainRequest, domain=domain)
    if body.domain.lower().startswith("xn--") or ".xn--" in body.domain.lower():
        raise InvalidRequestError("domain", "punycode (xn--) domains are not accepted")
    return Call(
        method,
        _path(app_id, "/domains" + tail),
        parse,
        family=_FAMILY,
        policy=WRITE,
        json=body.to_wire(),
        options=options,
    )


def _add_domain(app_id: str, domain: str, **options: Unpack[RequestOptions]) -> Call[DomainAdded]:
    """Attach a custom domain; the result says which DNS records to set."""
    return _domain_call("POST", app_id, "", domain, parse_as(DomainAdded), options)


def _remove_domain(app_id: str, domain: str, **options: Unpack[RequestOptions]) -> Call[None]:
    """Detach a custom domain (the server takes it in the DELETE's JSON body)."""
    return _domain_call("DELETE", app_id, "", domain, lambda response: None, options)


def _domain_status(
    app_id: str, domain: str, **options: Unpack[RequestOptions]
) -> Call[DomainStatus]:
    """Where a custom domain stands: DNS configured, verified, SSL."""
    return _domain_call("POST", app_id, "/status", domain, parse_as(DomainStatus), options)


def _verify_domain(
    app_id: str, domain: str, **options: Unpack[RequestOptions]
) -> Call[DomainStatus]:
    """Ask the server to check the DNS records now."""
    return _domain_call("POST", app_id, "/verify", domain, parse_as(DomainStatus), options)


# -- the resource ---------------------------------------------------------------------------


def _history_pages(
    app_id: str, type: str | None, page_size: int
) -> Pages[EarningsHistoryPage, EarningsTransaction]:
    """How `iter_earnings_history` pages. `type` is applied here, not sent: the server
    would ignore `offset` with it."""

    def kept(page: EarningsHistoryPage) -> list[EarningsTransaction]:
        return [t for t in page.transactions if type is None or t.type == type]

    def next_offset(page: EarningsHistoryPage, offset: int) -> int | None:
        if not page.pagination.has_more or not page.transactions:
            return None
        return offset + len(page.transactions)

    return Pages(
        lambda offset: _earnings_history(app_id, limit=page_size, offset=offset),
        kept,
        next_offset,
    )


class Apps(APIResource[ModeT]):
    """Apps: the app, analytics, users, monetization, earnings, key and domains."""

    list = endpoint(_list)
    create = endpoint(_create)
    check_name = endpoint(_check_name)
    get = endpoint(_get)
    update = endpoint(_update)
    delete = endpoint(_delete)
    analytics = endpoint(_analytics)
    request_analytics = endpoint(_request_analytics)
    users = endpoint(_users)
    monetization = endpoint(_monetization)
    update_monetization = endpoint(_update_monetization)
    earnings = endpoint(_earnings)
    earnings_history = endpoint(_earnings_history)
    withdraw = endpoint(_withdraw)
    regenerate_api_key = endpoint(_regenerate_api_key)
    domains = endpoint(_domains)
    add_domain = endpoint(_add_domain)
    remove_domain = endpoint(_remove_domain)
    domain_status = endpoint(_domain_status)
    verify_domain = endpoint(_verify_domain)


class SyncApps(SyncResource, Apps[Sync]):
    """Apps on the blocking client, with the earnings history iterator."""

    def iter_earnings_history(
        self, app_id: str, *, type: str | None = None, page_size: int = HISTORY_PAGE
    ) -> Iterator[EarningsTransaction]:
        """Every earnings transaction, newest first, fetched page by page.

        `type` is applied here, not sent: the server would ignore `offset` with it.
        """
        return iter_pages(self._transport, _history_pages(app_id, type, page_size))


class AsyncApps(AsyncResource, Apps[Async]):
    """Apps on the asyncio client; the twin of `SyncApps`."""

    def iter_earnings_history(
        self, app_id: str, *, type: str | None = None, page_size: int = HISTORY_PAGE
    ) -> AsyncIterator[EarningsTransaction]:
        """Async twin of `SyncApps.iter_earnings_history` (use `async for`)."""
        return aiter_pages(self._transport, _history_pages(app_id, type, page_size))
