"""`client.credits`: balance, summary, transactions, checkout (`/api/v1/credits/*`, §7, §11.3)."""

from __future__ import annotations

from typing import Any, Unpack

import httpx

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.errors import InvalidRequestError
from eliza_tools.types._base import validate_request
from eliza_tools.types.credits import (
    CheckoutRequest,
    CheckoutSession,
    CheckoutVerification,
    CreditBalance,
    CreditSummary,
    CreditTransactions,
)

#: Milady's top-up link, on the site the client talks to.
TOP_UP_PATH = "/dashboard/settings?tab=billing"


def _with_top_up_url(response: httpx.Response) -> CreditBalance:
    balance = CreditBalance.model_validate_json(response.content)
    site = f"{response.request.url.scheme}://{response.request.url.netloc.decode()}"
    return balance.model_copy(update={"top_up_url": site + TOP_UP_PATH})


def _balance(*, fresh: bool = False, **options: Unpack[RequestOptions]) -> Call[CreditBalance]:
    """The organization's balance in USD, with `low` (< $2.00) and `critical` (< $0.50).

    `top_up_url` is the billing page of the site the client talks to.
    """
    return Call(
        "GET",
        "/credits/balance",
        _with_top_up_url,
        family=RouteFamily.UNLIMITED,
        params={"fresh": "true"} if fresh else None,
        options=options,
    )


def _summary(**options: Unpack[RequestOptions]) -> Call[CreditSummary]:
    """Organization, agent budgets, apps, earnings and recent transactions."""
    return Call(
        "GET",
        "/credits/summary",
        parse_as(CreditSummary),
        family=RouteFamily.STANDARD,
        options=options,
    )


def _transactions(
    *, limit: int = 100, hours: float | None = None, **options: Unpack[RequestOptions]
) -> Call[CreditTransactions]:
    """Ledger entries, newest first (`hours` keeps only the recent ones).

    This route lives outside /api/v1 and answers any failure, auth included, with 500.
    """
    if limit < 1:
        raise InvalidRequestError("limit", "must be at least 1")
    if hours is not None and hours <= 0:
        raise InvalidRequestError("hours", "must be positive")
    params: dict[str, Any] = {"limit": limit}
    if hours is not None:
        params["hours"] = hours
    return Call(
        "GET",
        "/api/credits/transactions",
        parse_as(CreditTransactions),
        family=RouteFamily.STANDARD,
        params=params,
        site_path=True,
        options=options,
    )


def _checkout(
    credits: float, success_url: str, cancel_url: str, **options: Unpack[RequestOptions]
) -> Call[CheckoutSession]:
    """Start a Stripe checkout for `credits` USD (1..1000); open the returned `url` to pay.

    Both URLs must be on the server's allow-list (its own site, localhost:3000/3001,
    milady.ai), else `BadRequestError` ("Invalid success_url").
    """
    body = validate_request(
        CheckoutRequest, credits=credits, success_url=success_url, cancel_url=cancel_url
    )
    return Call(
        "POST",
        "/credits/checkout",
        parse_as(CheckoutSession),
        family=RouteFamily.STANDARD,
        policy=WRITE,
        json=body.to_wire(),
        options=options,
    )


def _verify(session_id: str, **options: Unpack[RequestOptions]) -> Call[CheckoutVerification]:
    """Whether a checkout was paid (`paid` is false, with HTTP 200, until it is)."""
    if not session_id:
        raise InvalidRequestError("session_id", "must not be empty")
    return Call(
        "GET",
        "/credits/verify",
        parse_as(CheckoutVerification),
        family=RouteFamily.STANDARD,
        params={"session_id": session_id},
        options=options,
    )


class Credits(APIResource[ModeT]):
    """Credits: balance, summary, transactions and buying more (checkout, verify)."""

    balance = endpoint(_balance)
    summary = endpoint(_summary)
    transactions = endpoint(_transactions)
    checkout = endpoint(_checkout)
    verify = endpoint(_verify)
