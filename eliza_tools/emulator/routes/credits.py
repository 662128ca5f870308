"""`/api/v1/credits/balance` and `/api/v1/credits/summary`, read from the ledger."""

from __future__ import annotations

from starlette.responses import JSONResponse, PlainTextResponse, Response

from eliza_tools.emulator import ledger
from eliza_tools.emulator.errors import Family, canonical
from eliza_tools.emulator.routing import Ctx, RouteGroup

group = RouteGroup("credits")
_NO_STORE = {"Cache-Control": "no-store, no-cache, must-revalidate"}


@group.route("/api/v1/credits/balance", ["GET"], family=Family.CANONICAL)
async def balance(ctx: Ctx) -> Response:
    """`{"balance": <USD>}`; a bad key gets the canonical 401."""
    account = ctx.account_or(
        canonical(401, "authentication_required", "Invalid or expired API key")
    )
    return JSONResponse({"balance": ledger.balance(ctx.store, account["id"])}, headers=_NO_STORE)


@group.route("/api/v1/credits/summary", ["GET"], family=Family.UNCAUGHT, limit="STANDARD")
async def summary(ctx: Ctx) -> Response:
    """The organization, agents, earnings and recent ledger entries.

    The real handler has no try/catch, so an auth failure ends in Next's plain 500.
    """
    account = ctx.account_or(PlainTextResponse("Internal Server Error", status_code=500))
    agents = ctx.owned("agents", account)
    recent = ledger.transactions(ctx.store, account["id"])[:20]
    return JSONResponse(
        {
            "success": True,
            "organization": {
                "id": account["id"],
                "name": account["name"],
                "creditBalance": account["balance"],
                "autoTopUpEnabled": False,
                "autoTopUpThreshold": None,
                "autoTopUpAmount": None,
                "hasPaymentMethod": False,
            },
            "agents": [
                {"id": a["id"], "name": a["name"], "budget": None, "spent": 0} for a in agents
            ],
            "agentsSummary": {"total": len(agents), "withBudget": 0, "totalSpent": 0},
            "apps": [],
            "earnings": {
                "availableBalance": 0,
                "totalEarned": 0,
                "totalRedeemed": 0,
                "totalPending": 0,
                "breakdown": {"miniapps": 0, "agents": 0, "mcps": 0},
            },
            "recentTransactions": [
                {k: t[k] for k in ("id", "type", "amount", "description", "createdAt")}
                for t in recent
            ],
            "pricing": {"creditsPerDollar": 100, "minimumTopUp": 5, "x402Enabled": False},
        },
        headers=_NO_STORE,
    )
