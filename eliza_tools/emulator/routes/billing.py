"""Billing settings, credit transactions and Stripe checkout (reference §11.3).

- `GET|PUT /api/v1/billing/settings`: 401 `{success:false, error:"Unauthorized"}`;
  enabling auto top-up without a payment method is a 400.
- `GET /api/credits/transactions` (no /v1): `{transactions, total, period}` from the
  ledger, no `success`; every failure, auth included, is a 500 `{error}`.
- `POST /api/v1/credits/checkout`: both URLs must be on the allow-list (the
  emulator's own site, localhost:3000/3001, milady.ai); answers `{url, sessionId}`.
- `GET /api/v1/credits/verify?session_id=`: 200 `{success:false, error:"Payment not
  completed"}` until the session is paid.

Emulator-only switches (no auth):

- `POST /__emulator__/checkout/{sessionId}/pay`: pay a checkout session (what the
  Stripe webhook does): the credits are added to the ledger once.
- `GET /__emulator__/checkout/{sessionId}`: the checkout "page" (`url` points here).
- `POST /__emulator__/billing/payment-method` `{"apiKey"?: "eliza_…", "hasPaymentMethod": true}`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import JSONResponse, Response

from eliza_tools.emulator import ledger
from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.core import Emulator
from eliza_tools.emulator.errors import Family, bare, failure
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("billing")

SETTINGS = "billing_settings"
SESSIONS = "checkout_sessions"
LIMITS = {
    "autoTopUpAmount": {"min": 1, "max": 1000},
    "autoTopUpThreshold": {"min": 0, "max": 1000},
}
_ALLOWED_HOSTS = ("milady.ai", "www.milady.ai", "app.milady.ai")


# -- billing settings -----------------------------------------------------------------------


def _settings(ctx: Ctx, account: Record) -> dict[str, Any]:
    stored = ctx.store.get(SETTINGS, account["id"]) or {}
    return {
        "autoTopUp": {
            "enabled": stored.get("enabled", False),
            "amount": stored.get("amount"),
            "threshold": stored.get("threshold"),
            "hasPaymentMethod": stored.get("hasPaymentMethod", False),
        },
        "payAsYouGoFromEarnings": stored.get("payAsYouGoFromEarnings", False),
    }


def _unauthorized() -> Response:
    return failure(401, "Unauthorized")


@group.route("/api/v1/billing/settings", ["GET"], family=Family.FAILURE, limit="STANDARD")
async def get_settings(ctx: Ctx) -> Response:
    """`{success, settings, limits}`."""
    account = ctx.account_or(_unauthorized())
    return JSONResponse({"success": True, "settings": _settings(ctx, account), "limits": LIMITS})


def _number_in(value: Any, low: float, high: float) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and low <= value <= high


def _validate(body: dict[str, Any]) -> str | None:
    """The first problem of a PUT body, or None."""
    top_up = body.get("autoTopUp", {})
    if not isinstance(top_up, dict):
        return "autoTopUp: Expected object"
    if "enabled" in top_up and not isinstance(top_up["enabled"], bool):
        return "autoTopUp.enabled: Expected boolean"
    if "amount" in top_up and not _number_in(top_up["amount"], 1, 1000):
        return "autoTopUp.amount: Number must be between 1 and 1000"
    if "threshold" in top_up and not _number_in(top_up["threshold"], 0, 1000):
        return "autoTopUp.threshold: Number must be between 0 and 1000"
    pay = body.get("payAsYouGoFromEarnings")
    if pay is not None and not isinstance(pay, bool):
        return "payAsYouGoFromEarnings: Expected boolean"
    return None


@group.route("/api/v1/billing/settings", ["PUT"], family=Family.FAILURE, limit="STANDARD")
async def put_settings(ctx: Ctx) -> Response:
    """Change the given settings; `{success, settings, message}`."""
    account = ctx.account_or(_unauthorized())
    body = await ctx.json_object(lambda reason: failure(400, reason))
    problem = _validate(body)
    if problem is not None:
        return failure(400, "Invalid request data", details=problem)
    stored = ctx.store.get(SETTINGS, account["id"]) or {}
    top_up = body.get("autoTopUp", {})
    if top_up.get("enabled") and not stored.get("hasPaymentMethod"):
        return failure(
            400,
            "Cannot enable auto top-up without a default payment method. "
            "Please add a payment method first.",
        )
    stored.update({k: v for k, v in top_up.items() if k in ("enabled", "amount", "threshold")})
    if "payAsYouGoFromEarnings" in body:
        stored["payAsYouGoFromEarnings"] = body["payAsYouGoFromEarnings"]
    ctx.store.put(SETTINGS, account["id"], stored)
    return JSONResponse(
        {"success": True, "settings": _settings(ctx, account), "message": "Settings updated"}
    )


def set_payment_method(emu: Emulator, has_payment_method: bool, api_key: str | None = None) -> None:
    """Give (or take) an account's default payment method, so auto top-up may be enabled."""
    account_id = emu.account(api_key)["id"]
    stored = emu.store.get(SETTINGS, account_id) or {}
    stored["hasPaymentMethod"] = has_payment_method
    emu.store.put(SETTINGS, account_id, stored)


@group.route("/__emulator__/billing/payment-method", ["POST"], family=Family.BARE)
async def admin_payment_method(ctx: Ctx) -> Response:
    """`{"hasPaymentMethod": true, "apiKey"?: "eliza_…"}`."""
    body = await ctx.json_object(lambda reason: bare(400, f"body: {reason}"))
    flag = body.get("hasPaymentMethod", True)
    if not isinstance(flag, bool):
        return bare(400, "hasPaymentMethod: must be a boolean")
    try:
        set_payment_method(ctx.emu, flag, body.get("apiKey"))
    except KeyError:
        return bare(400, "apiKey: unknown key")
    return JSONResponse({"hasPaymentMethod": flag})


# -- transactions ---------------------------------------------------------------------------


@group.route("/api/credits/transactions", ["GET"], family=Family.BARE, limit="STANDARD")
async def transactions(ctx: Ctx) -> Response:
    """The ledger, newest first; every failure is a 500 `{error}` on the real route."""
    account = ctx.account_or(bare(500, "Unauthorized"))
    query = ctx.request.query_params
    try:
        limit = int(query.get("limit", "100"))
        hours = float(query["hours"]) if "hours" in query else None
    except ValueError:
        return bare(500, "Failed to fetch transactions")
    rows = ledger.transactions(ctx.store, account["id"])[:limit]
    end = datetime.now(UTC)
    start = end - timedelta(hours=hours) if hours is not None else None
    if start is not None:
        cutoff = start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        rows = [r for r in rows if r["createdAt"] >= cutoff]  # after fetching, like the server
    return JSONResponse(
        {
            "transactions": [_row(r) for r in rows],
            "total": len(rows),
            "period": {
                "start": start.isoformat().replace("+00:00", "Z") if start else None,
                "end": end.isoformat().replace("+00:00", "Z"),
            },
        }
    )


def _row(entry: Record) -> dict[str, Any]:
    return {
        "id": entry["id"],
        "organization_id": entry["accountId"],
        "amount": entry["amount"],
        "type": entry["type"],
        "description": entry["description"],
        "metadata": entry.get("metadata", {}),
        "stripe_payment_intent_id": entry.get("stripePaymentIntentId"),
        "created_at": entry["createdAt"],
    }


# -- checkout -------------------------------------------------------------------------------


def _allowed(ctx: Ctx, url: Any) -> bool:
    """The redirect allow-list: the app's own URL, localhost:3000/3001 and milady.ai."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin == ctx.site_url:
        return True
    if parts.scheme == "http" and parts.hostname == "localhost" and parts.port in (3000, 3001):
        return True
    return parts.scheme == "https" and parts.hostname in _ALLOWED_HOSTS and parts.port is None


@group.route("/api/v1/credits/checkout", ["POST"], family=Family.BARE)
async def checkout(ctx: Ctx) -> Response:
    """`{url, sessionId}`; the credits arrive when the session is paid."""
    account = ctx.account_or(bare(401, "Unauthorized"))
    body = await ctx.json_object(lambda reason: bare(400, reason))
    credits = body.get("credits")
    if not isinstance(credits, int | float) or not _number_in(credits, 1, 1000):
        return bare(400, "Invalid credits amount. Must be between 1 and 1000.")
    for field in ("success_url", "cancel_url"):
        if not _allowed(ctx, body.get(field)):
            return bare(400, f"Invalid {field}")
    session_id = "cs_test_" + secrets.token_hex(12)
    ctx.store.put(
        SESSIONS,
        session_id,
        {"id": session_id, "accountId": account["id"], "amount": float(credits), "paid": False},
    )
    return JSONResponse(
        {"url": f"{ctx.site_url}/__emulator__/checkout/{session_id}", "sessionId": session_id}
    )


@group.route("/api/v1/credits/verify", ["GET"], family=Family.BARE)
async def verify(ctx: Ctx) -> Response:
    """`{success, amount, message}` once paid; `{success:false, error}` (HTTP 200) before."""
    account = ctx.account_or(bare(401, "Unauthorized"))
    session_id = ctx.request.query_params.get("session_id")
    if not session_id:
        return bare(400, "Session ID is required")
    session = ctx.store.get(SESSIONS, session_id)
    if session is None or session["accountId"] != account["id"]:
        return bare(404, "Session not found")
    if not session["paid"]:
        return JSONResponse({"success": False, "error": "Payment not completed"})
    return JSONResponse(
        {
            "success": True,
            "amount": session["amount"],
            "message": f"Successfully added ${session['amount']:.2f} in credits",
        }
    )


def pay_checkout(emu: Emulator, session_id: str) -> Record:
    """Pay a session (the Stripe webhook): credit the ledger once."""
    with emu.store.transaction():
        session = emu.store.get(SESSIONS, session_id)
        if session is None:
            raise KeyError(session_id)
        if not session["paid"]:
            ledger.credit(emu.store, session["accountId"], session["amount"], "Stripe checkout")
            session.update(paid=True, paidAt=now_iso())
            emu.store.put(SESSIONS, session_id, session)
        return session


@group.route("/__emulator__/checkout/{session_id}", ["GET"], family=Family.BARE)
async def checkout_page(ctx: Ctx) -> Response:
    """What the checkout URL shows: the session and whether it is paid."""
    session = ctx.store.get(SESSIONS, ctx.param("session_id"))
    if session is None:
        return bare(404, "session_id: no such checkout session")
    return JSONResponse({k: session[k] for k in ("id", "amount", "paid")})


@group.route("/__emulator__/checkout/{session_id}/pay", ["POST"], family=Family.BARE)
async def admin_pay(ctx: Ctx) -> Response:
    """Pay a checkout session."""
    try:
        session = pay_checkout(ctx.emu, ctx.param("session_id"))
    except KeyError:
        return bare(404, "session_id: no such checkout session")
    return JSONResponse({k: session[k] for k in ("id", "amount", "paid")})
