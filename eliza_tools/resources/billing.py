"""`client.billing`: auto top-up and pay-as-you-go settings (`/api/v1/billing/settings`, §11.3)."""

from __future__ import annotations

from typing import Any, Unpack

import httpx

from eliza_tools._resource import APIResource, ModeT, endpoint
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.errors import InvalidRequestError
from eliza_tools.types._base import validate_request
from eliza_tools.types.billing import BillingSettings, BillingSettingsUpdate

PATH = "/billing/settings"


def _parse(response: httpx.Response) -> BillingSettings:
    """`{success, settings, limits?, message?}` as one `BillingSettings`."""
    body: dict[str, Any] = response.json()
    extra = {key: body[key] for key in ("limits", "message") if key in body}
    return BillingSettings.model_validate({**body.get("settings", {}), **extra})


def _settings(**options: Unpack[RequestOptions]) -> Call[BillingSettings]:
    """Auto top-up and pay-as-you-go settings, with the server's limits."""
    return Call("GET", PATH, _parse, family=RouteFamily.STANDARD, options=options)


def _update_settings(
    *,
    auto_top_up_enabled: bool | None = None,
    auto_top_up_amount: float | None = None,
    auto_top_up_threshold: float | None = None,
    pay_as_you_go_from_earnings: bool | None = None,
    **options: Unpack[RequestOptions],
) -> Call[BillingSettings]:
    """Change some settings (USD: amount 1..1000, threshold 0..1000).

    Enabling auto top-up needs a default payment method, else `BadRequestError`.
    """
    top_up = {
        "enabled": auto_top_up_enabled,
        "amount": auto_top_up_amount,
        "threshold": auto_top_up_threshold,
    }
    body = validate_request(
        BillingSettingsUpdate,
        auto_top_up={k: v for k, v in top_up.items() if v is not None} or None,
        pay_as_you_go_from_earnings=pay_as_you_go_from_earnings,
    ).to_wire()
    if not body:
        raise InvalidRequestError("settings", "give at least one setting to change")
    return Call(
        "PUT", PATH, _parse, family=RouteFamily.STANDARD, policy=WRITE, json=body, options=options
    )


class Billing(APIResource[ModeT]):
    """Billing settings."""

    settings = endpoint(_settings)
    update_settings = endpoint(_update_settings)
