"""Apps (`/api/v1/apps/**`, reference §11.1), with the real server's shapes and quirks.

- The `app` is a snake_case DB row that never carries the key; `create` and
  `regenerate-api-key` return the key (a working emulator key of the caller's
  organization) once; regenerating deletes the old key at once.
- Auth failures answer **500** `{"success": false, "error": "Invalid API key"}`,
  except `withdraw` (the canonical `ApiError` shape, 401).
- `earnings/history` ignores `offset` when `type` is given; `withdraw` pays an
  `idempotency_key` once.
- Analytics and users are empty (the emulator has no app traffic).

Emulator-only switch: `POST /__emulator__/apps/{id}/earnings` `{"amount": 40}` books
creator earnings for an app (`add_earnings(emu, app_id, amount)` from Python).
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response

from eliza_tools.emulator import auth
from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.core import Emulator
from eliza_tools.emulator.errors import Family, Reply, bare, canonical, failure
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("apps")

APPS = "apps"
EARNINGS = "app_earnings"
WITHDRAWALS = "app_withdrawals"
PAYOUT_THRESHOLD = 25.0
SUBDOMAIN_ROOT = "apps.elizacloud.ai"
_URL = re.compile(r"^https?://[^\s/]+\S*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PERIOD_STEP = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}


def _invalid(**errors: str) -> Reply:
    details = {"_errors": [], **{field: {"_errors": [msg]} for field, msg in errors.items()}}
    return Reply(failure(400, "Invalid request data", details=details))


def _account(ctx: Ctx) -> Record:
    # The real handlers catch the auth error with everything else: HTTP 500.
    return ctx.account_or(failure(500, "Invalid API key"))


def _own_app(ctx: Ctx, account: Record) -> Record:
    app_id = ctx.param("app_id")
    app = ctx.store.get(APPS, app_id) if _UUID.match(app_id) else None
    if app is None:
        raise Reply(failure(404, "App not found"))
    if app["organization_id"] != account["id"]:
        raise Reply(failure(403, "Access denied"))
    return app


def _public(app: Record) -> dict[str, Any]:
    return {k: v for k, v in app.items() if not k.startswith("_")}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "app"


async def _body(ctx: Ctx) -> dict[str, Any]:
    return await ctx.json_object(lambda reason: failure(400, reason))


# -- admin ----------------------------------------------------------------------------------


def add_earnings(emu: Emulator, app_id: str, amount: float, description: str = "") -> Record:
    """Book `amount` USD of creator earnings for an app."""
    if emu.store.get(APPS, app_id) is None:
        raise KeyError(f"app {app_id} not found")
    return _journal(emu, app_id, "earning", amount, description or "Inference markup")


def _journal(emu: Emulator, app_id: str, type_: str, amount: float, description: str) -> Record:
    entry_id = str(uuid.uuid4())
    entry: Record = {
        "id": entry_id,
        "app_id": app_id,
        "type": type_,
        "amount": round(amount, 6),
        "description": description,
        "created_at": now_iso(),
        "_seq": time.time_ns(),
    }
    return emu.store.put(EARNINGS, entry_id, entry)


@group.route("/__emulator__/apps/{app_id}/earnings", ["POST"], family=Family.BARE)
async def admin_earnings(ctx: Ctx) -> Response:
    """`{"amount": n}`: book creator earnings for an app."""
    body = await ctx.json_object(lambda reason: bare(400, f"body: {reason}"))
    amount = body.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
        return bare(400, "amount: must be a number > 0")
    try:
        entry = add_earnings(ctx.emu, ctx.param("app_id"), float(amount))
    except KeyError:
        return bare(404, "app_id: no such app")
    return JSONResponse(_public(entry), status_code=201)


# -- the app --------------------------------------------------------------------------------


def _name_conflict(ctx: Ctx, account: Record, name: str) -> dict[str, Any] | None:
    slug = _slug(name)
    apps = ctx.store.list(APPS)
    if any(
        a["name"].lower() == name.lower() and a["organization_id"] == account["id"] for a in apps
    ):
        conflict = "app"
    elif any(a["slug"] == slug for a in apps):
        conflict = "subdomain"
    else:
        return None
    return {"conflictType": conflict, "suggestedName": f"{name}-{secrets.token_hex(2)}"}


def _validate_app(body: dict[str, Any], *, creating: bool) -> None:
    name = body.get("name")
    if (creating or "name" in body) and (not isinstance(name, str) or not 1 <= len(name) <= 100):
        raise _invalid(name="String must contain between 1 and 100 character(s)")
    app_url = body.get("app_url")
    if (creating or "app_url" in body) and (
        not isinstance(app_url, str) or not _URL.match(app_url)
    ):
        raise _invalid(app_url="Invalid url")
    for field in ("website_url", "logo_url"):
        value = body.get(field)
        if value not in (None, "") and (not isinstance(value, str) or not _URL.match(value)):
            raise _invalid(**{field: "Invalid url"})
    email = body.get("contact_email")
    if email is not None and (not isinstance(email, str) or not _EMAIL.match(email)):
        raise _invalid(contact_email="Invalid email")
    origins = body.get("allowed_origins")
    if origins is not None and not (
        isinstance(origins, list) and all(isinstance(o, str) for o in origins)
    ):
        raise _invalid(allowed_origins="Expected array of strings")
    linked = body.get("linked_character_ids")
    if linked is not None and not (
        isinstance(linked, list)
        and len(linked) <= 4
        and all(isinstance(c, str) and _UUID.match(c) for c in linked)
    ):
        raise _invalid(linked_character_ids="Expected at most 4 uuids")


@group.route("/api/v1/apps", ["GET"], family=Family.FAILURE)
async def list_apps(ctx: Ctx) -> Response:
    """`{success, apps: [app]}`."""
    account = _account(ctx)
    mine = [_public(a) for a in ctx.store.list(APPS) if a["organization_id"] == account["id"]]
    return JSONResponse({"success": True, "apps": mine})


@group.route("/api/v1/apps", ["POST"], family=Family.FAILURE)
async def create_app(ctx: Ctx) -> Response:
    """`{success, app, apiKey}`; a taken name is a 409 with `conflictType` and `suggestedName`."""
    account = _account(ctx)
    body = await _body(ctx)
    _validate_app(body, creating=True)
    conflict = _name_conflict(ctx, account, body["name"])
    if conflict is not None:
        return failure(409, "An app with this name already exists", **conflict)
    now = now_iso()
    key = auth.issue_key(ctx.store, account["id"], f"app:{body['name']}")
    app = {
        "id": str(uuid.uuid4()),
        "name": body["name"],
        "description": body.get("description"),
        "slug": _slug(body["name"]),
        "organization_id": account["id"],
        "created_by_user_id": account["id"],
        "app_url": body["app_url"],
        "website_url": body.get("website_url"),
        "contact_email": body.get("contact_email"),
        "logo_url": body.get("logo_url"),
        "allowed_origins": body.get("allowed_origins") or [body["app_url"]],
        "linked_character_ids": [],
        "api_key_id": str(uuid.uuid4()),
        "is_active": True,
        "monetization_enabled": False,
        "inference_markup_percentage": "0",
        "purchase_share_percentage": "0",
        "total_requests": 0,
        "total_credits_used": "0.000000",
        "user_database_status": "none",
        "created_at": now,
        "updated_at": now,
        "_keyHash": auth.hash_key(key),
    }
    ctx.store.put(APPS, app["id"], app)
    return JSONResponse({"success": True, "app": _public(app), "apiKey": key})


@group.route("/api/v1/apps/check-name", ["POST"], family=Family.FAILURE)
async def check_name(ctx: Ctx) -> Response:
    """`{success, available, slug, conflictType?, suggestedName?}`."""
    account = _account(ctx)
    name = (await _body(ctx)).get("name")
    if not isinstance(name, str) or not name.strip():
        raise _invalid(name="Required")
    conflict = _name_conflict(ctx, account, name)
    return JSONResponse(
        {"success": True, "available": conflict is None, "slug": _slug(name), **(conflict or {})}
    )


@group.route("/api/v1/apps/{app_id}", ["GET"], family=Family.FAILURE)
async def get_app(ctx: Ctx) -> Response:
    """`{success, app}`."""
    return JSONResponse({"success": True, "app": _public(_own_app(ctx, _account(ctx)))})


_UPDATABLE = (
    "name",
    "description",
    "app_url",
    "website_url",
    "logo_url",
    "contact_email",
    "allowed_origins",
    "is_active",
    "linked_character_ids",
)


@group.route("/api/v1/apps/{app_id}", ["PUT", "PATCH"], family=Family.FAILURE)
async def update_app(ctx: Ctx) -> Response:
    """Change the given fields; `""` clears `website_url` and `logo_url`."""
    account = _account(ctx)
    body = await _body(ctx)
    app = _own_app(ctx, account)
    _validate_app(body, creating=False)
    if "is_active" in body and not isinstance(body["is_active"], bool):
        raise _invalid(is_active="Expected boolean")
    for field in _UPDATABLE:
        if field in body:
            value = body[field]
            app[field] = None if field in ("website_url", "logo_url") and value == "" else value
    app["updated_at"] = now_iso()
    ctx.store.put(APPS, app["id"], app)
    return JSONResponse({"success": True, "app": _public(app)})


@group.route("/api/v1/apps/{app_id}", ["DELETE"], family=Family.FAILURE)
async def delete_app(ctx: Ctx) -> Response:
    """`{success, message, cleaned}`; the app's key stops working."""
    app = _own_app(ctx, _account(ctx))
    with ctx.store.transaction():
        ctx.store.delete("api_keys", app["_keyHash"])
        for entry in _entries(ctx, app["id"]):
            ctx.store.delete(EARNINGS, entry["id"])
        ctx.store.delete(APPS, app["id"])
    return JSONResponse(
        {
            "success": True,
            "message": "App deleted successfully",
            "cleaned": {"apiKey": True, "domains": 1, "earnings": True},
        }
    )


@group.route(
    "/api/v1/apps/{app_id}/regenerate-api-key", ["POST"], family=Family.FAILURE, limit="STRICT"
)
async def regenerate_api_key(ctx: Ctx) -> Response:
    """A new key; the old one is deleted at once."""
    account = _account(ctx)
    app = _own_app(ctx, account)
    with ctx.store.transaction():
        ctx.store.delete("api_keys", app["_keyHash"])
        key = auth.issue_key(ctx.store, account["id"], f"app:{app['name']}")
        app.update(_keyHash=auth.hash_key(key), api_key_id=str(uuid.uuid4()), updated_at=now_iso())
        ctx.store.put(APPS, app["id"], app)
    return JSONResponse(
        {
            "success": True,
            "apiKey": key,
            "message": "API key regenerated. The old key no longer works.",
        }
    )


# -- analytics and users --------------------------------------------------------------------


def _date(value: str | None, default: datetime) -> datetime:
    if value is None:
        return default
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(date=f"Invalid date: {value}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _buckets(period: str, start: datetime, end: datetime) -> list[datetime]:
    found: list[datetime] = []
    if period == "monthly":
        cursor = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        while cursor <= end and len(found) < 1000:
            found.append(cursor)
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        return found
    step = _PERIOD_STEP[period]
    floor = start.replace(minute=0, second=0, microsecond=0)
    if period == "daily":
        floor = floor.replace(hour=0)
    while floor <= end and len(found) < 1000:
        found.append(floor)
        floor += step
    return found


@group.route("/api/v1/apps/{app_id}/analytics", ["GET"], family=Family.FAILURE)
async def analytics(ctx: Ctx) -> Response:
    """Zero usage per period (no traffic in the emulator), in the real shape."""
    app = _own_app(ctx, _account(ctx))
    query = ctx.request.query_params
    period = query.get("period", "daily")
    if period not in ("hourly", "daily", "monthly"):
        raise _invalid(period="Invalid enum value. Expected 'hourly' | 'daily' | 'monthly'")
    now = datetime.now(UTC)
    end = _date(query.get("end_date"), now)
    start = _date(query.get("start_date"), end - timedelta(days=30))
    points = [
        {
            "period_start": bucket.isoformat().replace("+00:00", "Z"),
            "total_requests": 0,
            "unique_users": 0,
            "new_users": 0,
            "total_cost": "0.000000",
        }
        for bucket in _buckets(period, start, end)
    ]
    return JSONResponse(
        {
            "success": True,
            "appId": app["id"],
            "analytics": points,
            "totalStats": {"totalRequests": 0, "totalUsers": 0, "totalCreditsUsed": "0.000000"},
            "period": {
                "type": period,
                "start": start.isoformat().replace("+00:00", "Z"),
                "end": end.isoformat().replace("+00:00", "Z"),
            },
        }
    )


@group.route(
    "/api/v1/apps/{app_id}/analytics/requests", ["GET"], family=Family.FAILURE, limit="STANDARD"
)
async def request_analytics(ctx: Ctx) -> Response:
    """The requested view, empty."""
    _own_app(ctx, _account(ctx))
    view = ctx.request.query_params.get("view", "stats")
    if view == "stats":
        stats = {
            "totalRequests": 0,
            "uniqueIps": 0,
            "uniqueUsers": 0,
            "totalCredits": "0.000000",
            "byType": {},
            "bySource": {},
            "byStatus": {},
        }
        return JSONResponse({"success": True, "stats": stats})
    if view in ("logs", "visitors", "timeline"):
        return JSONResponse({"success": True, view: []})
    raise _invalid(view="Invalid enum value. Expected 'stats' | 'logs' | 'visitors' | 'timeline'")


@group.route("/api/v1/apps/{app_id}/users", ["GET"], family=Family.FAILURE)
async def users(ctx: Ctx) -> Response:
    """`{success, users: [], pagination: {total, limit}}` (no offset on the real server)."""
    _own_app(ctx, _account(ctx))
    limit = _int_param(ctx, "limit", 50)
    return JSONResponse({"success": True, "users": [], "pagination": {"total": 0, "limit": limit}})


def _int_param(ctx: Ctx, name: str, default: int) -> int:
    raw = ctx.request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise _invalid(**{name: "Expected number"}) from None


# -- monetization and earnings --------------------------------------------------------------


def _entries(ctx: Ctx, app_id: str) -> list[Record]:
    """The app's earnings journal, newest first."""
    found = [e for e in ctx.store.list(EARNINGS) if e["app_id"] == app_id]
    return sorted(found, key=lambda e: e["_seq"], reverse=True)


def _monetization(ctx: Ctx, app: Record) -> dict[str, Any]:
    earned = sum(e["amount"] for e in _entries(ctx, app["id"]) if e["type"] == "earning")
    return {
        "monetizationEnabled": app["monetization_enabled"],
        "inferenceMarkupPercentage": float(app["inference_markup_percentage"]),
        "purchaseSharePercentage": float(app["purchase_share_percentage"]),
        "platformOffsetAmount": 0,
        "totalCreatorEarnings": round(earned, 6),
    }


@group.route("/api/v1/apps/{app_id}/monetization", ["GET"], family=Family.FAILURE)
async def get_monetization(ctx: Ctx) -> Response:
    """`{success, monetization}`."""
    app = _own_app(ctx, _account(ctx))
    return JSONResponse({"success": True, "monetization": _monetization(ctx, app)})


_LIMITS = {"inferenceMarkupPercentage": 1000.0, "purchaseSharePercentage": 100.0}


@group.route("/api/v1/apps/{app_id}/monetization", ["PUT"], family=Family.FAILURE)
async def put_monetization(ctx: Ctx) -> Response:
    """Enable/disable and set the percentage markups."""
    account = _account(ctx)
    body = await _body(ctx)
    app = _own_app(ctx, account)
    if "monetizationEnabled" in body:
        if not isinstance(body["monetizationEnabled"], bool):
            raise _invalid(monetizationEnabled="Expected boolean")
        app["monetization_enabled"] = body["monetizationEnabled"]
    for field, top in _LIMITS.items():
        value = body.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= top:
            raise _invalid(**{field: f"Number must be between 0 and {top:g}"})
        column = (
            "inference_markup_percentage"
            if field.startswith("inference")
            else "purchase_share_percentage"
        )
        app[column] = f"{float(value):.2f}"
    app["updated_at"] = now_iso()
    ctx.store.put(APPS, app["id"], app)
    return JSONResponse({"success": True, "monetization": _monetization(ctx, app)})


def _summary(ctx: Ctx, app: Record) -> dict[str, Any] | None:
    entries = _entries(ctx, app["id"])
    if not entries:
        return None
    earned = sum(e["amount"] for e in entries if e["type"] == "earning")
    withdrawn = -sum(e["amount"] for e in entries if e["type"] == "withdrawal")
    return {
        "totalLifetimeEarnings": round(earned, 6),
        "pendingBalance": 0,
        "withdrawableBalance": round(earned - withdrawn, 6),
        "totalWithdrawn": round(withdrawn, 6),
        "payoutThreshold": PAYOUT_THRESHOLD,
    }


@group.route("/api/v1/apps/{app_id}/earnings", ["GET"], family=Family.FAILURE)
async def earnings(ctx: Ctx) -> Response:
    """Summary (null before any earning), breakdown, recent transactions, chart."""
    app = _own_app(ctx, _account(ctx))
    days = _int_param(ctx, "days", 30)
    if not 1 <= days <= 90:
        raise _invalid(days="Number must be between 1 and 90")
    entries = _entries(ctx, app["id"])
    earned = [e for e in entries if e["type"] == "earning"]
    chart: dict[str, float] = {}
    for entry in earned:
        day = entry["created_at"][:10]
        chart[day] = round(chart.get(day, 0.0) + entry["amount"], 6)
    return JSONResponse(
        {
            "success": True,
            "earnings": {
                "summary": _summary(ctx, app),
                "breakdown": {
                    "inferenceMarkup": round(sum(e["amount"] for e in earned), 6),
                    "purchaseShare": 0,
                },
                "recentTransactions": [_public(e) for e in entries[:10]],
                "chartData": [{"date": d, "earnings": v} for d, v in sorted(chart.items())],
            },
            "monetization": _monetization(ctx, app),
        }
    )


@group.route("/api/v1/apps/{app_id}/earnings/history", ["GET"], family=Family.FAILURE)
async def earnings_history(ctx: Ctx) -> Response:
    """Newest first; like the real route, `offset` is ignored when `type` is given."""
    app = _own_app(ctx, _account(ctx))
    limit = _int_param(ctx, "limit", 50)
    offset = _int_param(ctx, "offset", 0)
    type_ = ctx.request.query_params.get("type")
    entries = _entries(ctx, app["id"])
    if type_ is not None:
        entries, offset = [e for e in entries if e["type"] == type_], 0
    page = entries[offset : offset + limit]
    return JSONResponse(
        {
            "success": True,
            "transactions": [_public(e) for e in page],
            "pagination": {
                "limit": limit,
                "offset": offset,
                "hasMore": offset + limit < len(entries),
            },
        }
    )


@group.route(
    "/api/v1/apps/{app_id}/earnings/withdraw", ["POST"], family=Family.CANONICAL, limit="CRITICAL"
)
async def withdraw(ctx: Ctx) -> Response:
    """Pay out earnings once per idempotency key; canonical `ApiError` bodies."""
    account = ctx.account_or(canonical(401, "authentication_required", "Unauthorized"))
    body = await ctx.json_object(lambda r: canonical(400, "validation_error", r))
    app = ctx.store.get(APPS, ctx.param("app_id"))
    if app is None:
        return canonical(404, "resource_not_found", "App not found")
    if app["created_by_user_id"] != account["id"]:
        return canonical(403, "access_denied", "Only the app creator can withdraw earnings")
    amount, key = body.get("amount"), body.get("idempotency_key")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
        return canonical(400, "validation_error", "Invalid amount")
    if key is not None and (not isinstance(key, str) or not 16 <= len(key) <= 64):
        return canonical(400, "validation_error", "idempotency_key must be 16-64 characters")
    with ctx.store.transaction():
        seen = ctx.store.get(WITHDRAWALS, f"{app['id']}:{key}") if key else None
        if seen is not None:
            return JSONResponse(seen["response"])
        if not app["monetization_enabled"]:
            return canonical(400, "validation_error", "Monetization is not enabled for this app")
        if amount < PAYOUT_THRESHOLD:
            return canonical(
                400, "validation_error", f"Minimum withdrawal amount is ${PAYOUT_THRESHOLD:.2f}"
            )
        summary = _summary(ctx, app)
        available = summary["withdrawableBalance"] if summary else 0.0
        if amount > available:
            return canonical(400, "validation_error", "Insufficient withdrawable balance")
        entry = _journal(ctx.emu, app["id"], "withdrawal", -float(amount), "Earnings withdrawal")
        response = {
            "success": True,
            "message": f"Withdrawal of ${amount:.2f} submitted",
            "transactionId": entry["id"],
            "newBalance": round(available - amount, 6),
        }
        if key:
            ctx.store.put(WITHDRAWALS, f"{app['id']}:{key}", {"response": response})
    return JSONResponse(response)


# -- domains --------------------------------------------------------------------------------


def _domain_arg(body: dict[str, Any]) -> str:
    domain = body.get("domain")
    if (
        not isinstance(domain, str)
        or not 4 <= len(domain) <= 253
        or not domain.isascii()
        or "xn--" in domain.lower()
        or not re.match(r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", domain.lower())
    ):
        raise _invalid(domain="Invalid domain")
    return domain.lower()


def _records(domain: str) -> tuple[list[dict[str, str]], list[dict[str, str]], bool]:
    apex = domain.count(".") == 1
    verification = [
        {"type": "TXT", "name": f"_vercel.{domain}", "value": f"vc-domain-verify={domain},emu"}
    ]
    target = (
        {"type": "A", "name": "@", "value": "76.76.21.21"}
        if apex
        else {"type": "CNAME", "name": domain.split(".", 1)[0], "value": "cname.vercel-dns.com"}
    )
    return verification, [target], apex


def _domain_row(app: Record) -> dict[str, Any]:
    custom = app.get("_customDomain")
    verified = bool(app.get("_customDomainVerified"))
    return {
        "id": app["id"],
        "subdomain": f"{app['slug']}.{SUBDOMAIN_ROOT}",
        "subdomainUrl": f"https://{app['slug']}.{SUBDOMAIN_ROOT}",
        "customDomain": custom,
        "customDomainUrl": f"https://{custom}" if custom else None,
        "customDomainVerified": verified,
        "sslStatus": "active" if verified or not custom else "pending",
        "isPrimary": True,
        "verificationRecords": _records(custom)[0] if custom else [],
        "createdAt": app["created_at"],
        "verifiedAt": app.get("_verifiedAt"),
    }


@group.route("/api/v1/apps/{app_id}/domains", ["GET"], family=Family.FAILURE)
async def list_domains(ctx: Ctx) -> Response:
    """`{success, domains: [the primary row]}`."""
    app = _own_app(ctx, _account(ctx))
    return JSONResponse({"success": True, "domains": [_domain_row(app)]})


@group.route("/api/v1/apps/{app_id}/domains", ["POST"], family=Family.FAILURE)
async def add_domain(ctx: Ctx) -> Response:
    """Attach a custom domain: the DNS records to set, not verified yet."""
    account = _account(ctx)
    body = await _body(ctx)
    app = _own_app(ctx, account)
    domain = _domain_arg(body)
    if app.get("_customDomain") not in (None, domain):
        return failure(409, "This app already has a custom domain. Remove it first.")
    app.update(_customDomain=domain, _customDomainVerified=False, _verifiedAt=None)
    ctx.store.put(APPS, app["id"], app)
    verification, instructions, apex = _records(domain)
    return JSONResponse(
        {
            "success": True,
            "domain": domain,
            "verified": False,
            "verificationRecords": verification,
            "dnsInstructions": instructions,
            "isApexDomain": apex,
        }
    )


def _custom(ctx: Ctx, app: Record, body: dict[str, Any]) -> str:
    domain = _domain_arg(body)
    if app.get("_customDomain") != domain:
        raise Reply(failure(404, "Domain not found for this app"))
    return domain


@group.route("/api/v1/apps/{app_id}/domains", ["DELETE"], family=Family.FAILURE)
async def remove_domain(ctx: Ctx) -> Response:
    """Detach the custom domain named in the JSON body."""
    account = _account(ctx)
    body = await _body(ctx)
    app = _own_app(ctx, account)
    _custom(ctx, app, body)
    app.update(_customDomain=None, _customDomainVerified=False, _verifiedAt=None)
    ctx.store.put(APPS, app["id"], app)
    return JSONResponse({"success": True, "message": "Domain removed"})


def _status(app: Record, domain: str) -> dict[str, Any]:
    verified = bool(app.get("_customDomainVerified"))
    verification, instructions, apex = _records(domain)
    return {
        "success": True,
        "domain": domain,
        "status": "valid" if verified else "pending",
        "configured": verified,
        "verified": verified,
        "sslStatus": "active" if verified else "pending",
        "configuredBy": ("A" if apex else "CNAME") if verified else None,
        "records": verification,
        "isApexDomain": apex,
        "dnsInstructions": instructions,
    }


@group.route("/api/v1/apps/{app_id}/domains/status", ["POST"], family=Family.FAILURE)
async def domain_status(ctx: Ctx) -> Response:
    """Where the custom domain stands."""
    account = _account(ctx)
    body = await _body(ctx)
    app = _own_app(ctx, account)
    return JSONResponse(_status(app, _custom(ctx, app, body)))


@group.route("/api/v1/apps/{app_id}/domains/verify", ["POST"], family=Family.FAILURE)
async def verify_domain(ctx: Ctx) -> Response:
    """Check DNS now; the emulator's DNS is always right, so the domain becomes verified."""
    account = _account(ctx)
    body = await _body(ctx)
    app = _own_app(ctx, account)
    domain = _custom(ctx, app, body)
    app.update(_customDomainVerified=True, _verifiedAt=now_iso())
    ctx.store.put(APPS, app["id"], app)
    return JSONResponse(_status(app, domain))
