"""`client.credits`: balance and summary (`/api/v1/credits/*`)."""

from __future__ import annotations

from typing import Unpack

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as
from eliza_tools._transport import Call, RequestOptions, RouteFamily
from eliza_tools.types.credits import CreditBalance, CreditSummary


def _balance(*, fresh: bool = False, **options: Unpack[RequestOptions]) -> Call[CreditBalance]:
    """The organization's balance in USD, with `low` (< $2.00) and `critical` (< $0.50)."""
    return Call(
        "GET",
        "/credits/balance",
        parse_as(CreditBalance),
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


class Credits(APIResource[ModeT]):
    """Credits: balance and summary."""

    balance = endpoint(_balance)
    summary = endpoint(_summary)
