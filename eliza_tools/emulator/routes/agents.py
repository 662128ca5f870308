"""Agents: create (`/api/v1/app/agents`), list (`/api/my-agents/characters`), discovery, cards.

Emulator-only: `POST /api/v1/app/agents` also accepts `a2aEndpoint`, the URL of an
external A2A agent (e.g. a local one on loopback). The A2A skill `chat_with_agent`
forwards messages for that agent to the URL, which is how a cloud agent delegates
back to a local one. Agents created here are public and A2A-enabled.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.responses import JSONResponse, Response

from eliza_tools.emulator import ledger
from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.errors import Family, Reply, bare, failure
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("agents")

_TOKEN_FIELDS = {"tokenAddress": 256, "tokenChain": 64, "tokenName": 128, "tokenTicker": 32}
_SORTS = {"newest": "createdAt", "name": "name", "updated": "updatedAt"}
SERVICE_TYPES = ("agent", "mcp", "a2a", "app")


def _unauthorized() -> Response:
    return failure(401, "Invalid or expired API key")


def _zod_format(errors: dict[str, str]) -> dict[str, Any]:
    """zod's `error.format()`: `{"_errors": [], "<field>": {"_errors": [msg]}}`."""
    return {"_errors": [], **{field: {"_errors": [msg]} for field, msg in errors.items()}}


def _validate_agent(body: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = body.get("name")
    if not isinstance(name, str):
        errors["name"] = "Required" if name is None else "Expected string"
    elif len(name) > 100:
        errors["name"] = "String must contain at most 100 character(s)"
    elif not name.strip():
        errors["name"] = "String must contain at least 1 character(s)"
    if "bio" in body and not isinstance(body["bio"], str):
        errors["bio"] = "Expected string"
    for field, longest in _TOKEN_FIELDS.items():
        value = body.get(field)
        if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= longest):
            errors[field] = f"String must contain between 1 and {longest} character(s)"
    endpoint = body.get("a2aEndpoint")
    if endpoint is not None and (
        not isinstance(endpoint, str) or not re.match(r"^https?://[^\s/]+", endpoint)
    ):
        errors["a2aEndpoint"] = "Invalid url"
    if errors:
        raise Reply(failure(400, "Invalid request data", details=_zod_format(errors)))
    return body


def _quota(balance: float) -> int:
    return 500 if balance >= 100 else 100 if balance >= 10 else 20 if balance >= 1 else 5


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "agent"


@group.route("/api/v1/app/agents", ["POST"], family=Family.FAILURE, limit="STANDARD")
async def create_agent(ctx: Ctx) -> Response:
    """Create an agent (character); 201 with the real server's snake_case fields."""
    account = ctx.account_or(_unauthorized())
    body = _validate_agent(
        await ctx.json_object(lambda reason: failure(400, "Invalid request data", details=reason))
    )
    owned = ctx.owned("agents", account)
    limit = _quota(ledger.balance(ctx.store, account["id"]))
    if len(owned) >= limit:
        return failure(
            403,
            f"Agent quota exceeded. You can create up to {limit} agents with your current balance.",
            details={"current": len(owned), "max": limit, "upgrade_hint": "Add credits"},
        )
    token = body.get("tokenAddress")
    if token:
        clash = next((a for a in ctx.store.list("agents") if a["token_address"] == token), None)
        if clash is not None:
            return failure(
                409, "This token is already linked to an agent", existingAgentId=clash["id"]
            )
    name = body["name"].strip()
    agent_id = str(uuid.uuid4())
    created = now_iso()
    agent = ctx.store.put(
        "agents",
        agent_id,
        {
            "id": agent_id,
            "accountId": account["id"],
            "name": name,
            "username": f"{_slug(name)}-{agent_id[:6]}",
            "bio": [body["bio"]] if body.get("bio") else [],
            "category": body.get("category") if isinstance(body.get("category"), str) else None,
            "tags": [t for t in body.get("tags", []) if isinstance(t, str)]
            if isinstance(body.get("tags"), list)
            else [],
            "avatarUrl": None,
            "isPublic": True,
            "a2aEnabled": True,
            "a2aEndpoint": body.get("a2aEndpoint"),
            "createdAt": created,
            "updatedAt": created,
            "token_address": token,
            "token_chain": body.get("tokenChain"),
            "token_name": body.get("tokenName"),
            "token_ticker": body.get("tokenTicker"),
        },
    )
    public = {k: agent[k] for k in ("id", "name", "username", "bio")}
    public["created_at"] = created
    public.update(
        {k: agent[k] for k in ("token_address", "token_chain", "token_name", "token_ticker")}
    )
    return JSONResponse({"success": True, "agent": public}, status_code=201)


def character_view(agent: Record) -> dict[str, Any]:
    """The my-agents character shape (camelCase and snake_case twins, as the server sends)."""
    return {
        "id": agent["id"],
        "name": agent["name"],
        "username": agent["username"],
        "bio": agent["bio"],
        "avatarUrl": agent["avatarUrl"],
        "avatar_url": agent["avatarUrl"],
        "category": agent["category"],
        "isPublic": agent["isPublic"],
        "is_public": agent["isPublic"],
        "createdAt": agent["createdAt"],
        "created_at": agent["createdAt"],
        "updatedAt": agent["updatedAt"],
        "updated_at": agent["updatedAt"],
        "tags": agent["tags"],
        **{k: agent[k] for k in ("token_address", "token_chain", "token_name", "token_ticker")},
    }


def _positive(ctx: Ctx, name: str, default: int, high: int) -> int:
    raw = ctx.request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= high:
        raise Reply(failure(400, f"Invalid {name}: must be an integer between 1 and {high}"))
    return int(raw)


@group.route("/api/my-agents/characters", ["GET"], family=Family.FAILURE)
async def list_characters(ctx: Ctx) -> Response:
    """The caller's agents with search, category, sort and page-based pagination."""
    account = ctx.account_or(_unauthorized())
    query = ctx.request.query_params
    page, limit = _positive(ctx, "page", 1, 1_000_000), _positive(ctx, "limit", 30, 1000)
    sort_by, order = query.get("sortBy", "newest"), query.get("order", "desc")
    if sort_by not in _SORTS or order not in {"asc", "desc"}:
        return failure(400, "Invalid sortBy or order")
    agents = ctx.owned("agents", account)
    search = query.get("search", "").lower()
    if search:
        agents = [a for a in agents if search in (a["name"] + " ".join(a["bio"])).lower()]
    if query.get("category"):
        agents = [a for a in agents if a["category"] == query["category"]]
    # A stable sort on creation order first keeps ties deterministic.
    agents.sort(key=lambda a: a[_SORTS[sort_by]], reverse=order == "desc")
    total = len(agents)
    chunk = agents[(page - 1) * limit : page * limit]
    return JSONResponse(
        {
            "success": True,
            "data": {
                "characters": [character_view(a) for a in chunk],
                "pagination": {
                    "page": page,
                    "limit": limit,
                    "total": total,
                    "totalPages": (total + limit - 1) // limit,
                    "hasMore": page * limit < total,
                },
            },
        }
    )


def _own_agent(ctx: Ctx, account: Record) -> Record:
    return ctx.owned_one("agents", account, failure(404, "Character not found"))


@group.route("/api/my-agents/characters/{id}", ["GET"], family=Family.FAILURE)
async def get_character(ctx: Ctx) -> Response:
    """One of the caller's agents."""
    agent = _own_agent(ctx, ctx.account_or(_unauthorized()))
    return JSONResponse({"success": True, "data": {"character": character_view(agent)}})


@group.route("/api/my-agents/characters/{id}", ["DELETE"], family=Family.FAILURE)
async def delete_character(ctx: Ctx) -> Response:
    """Delete one of the caller's agents."""
    agent = _own_agent(ctx, ctx.account_or(_unauthorized()))
    ctx.store.delete("agents", agent["id"])
    return JSONResponse({"success": True, "message": "Character deleted successfully"})


def _csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _discovery_params(ctx: Ctx) -> dict[str, Any]:
    query = ctx.request.query_params
    issues: list[dict[str, Any]] = []
    types = _csv(query.get("types")) or ["agent", "mcp", "app"]
    for value in types:
        if value not in SERVICE_TYPES:
            issues.append(
                {
                    "code": "invalid_enum_value",
                    "options": list(SERVICE_TYPES),
                    "path": ["types"],
                    "message": "Invalid enum value. Expected 'agent' | 'mcp' | 'a2a' | 'app', "
                    f"received '{value}'",
                }
            )
    numbers: dict[str, int] = {}
    for name, default, low, high in (("limit", 50, 1, 100), ("offset", 0, 0, 10**9)):
        raw = query.get(name, str(default))
        try:
            numbers[name] = int(raw)
        except ValueError:
            issues.append(
                {"code": "invalid_type", "path": [name], "message": "Expected number, received nan"}
            )
            continue
        if not low <= numbers[name] <= high:
            bound = "greater than or equal to" if numbers[name] < low else "less than or equal to"
            limit = low if numbers[name] < low else high
            issues.append(
                {
                    "code": "too_small" if numbers[name] < low else "too_big",
                    "path": [name],
                    "message": f"Number must be {bound} {limit}",
                }
            )
    if issues:
        raise Reply(bare(400, "Invalid parameters", details=issues))
    return {
        "types": types,
        "query": query.get("query", "").lower(),
        "categories": _csv(query.get("categories")),
        "tags": _csv(query.get("tags")),
        "x402Only": query.get("x402Only") == "true",
        "activeOnly": query.get("activeOnly", "true") != "false",
        **numbers,
    }


def service_view(ctx: Ctx, agent: Record) -> dict[str, Any]:
    """An agent as a discovery service entry."""
    return {
        "id": agent["id"],
        "name": agent["name"],
        "description": " ".join(agent["bio"]),
        "type": "agent",
        "source": "cloud",
        "image": agent["avatarUrl"],
        "category": agent["category"],
        "tags": agent["tags"],
        "active": True,
        "pricing": {"type": "credits", "currency": "USD", "description": "Billed per message"},
        "a2aEndpoint": f"{ctx.site_url}/api/agents/{agent['id']}/a2a",
        "mcpEndpoint": f"{ctx.site_url}/api/agents/{agent['id']}/mcp",
        "a2aSkills": ["chat", "generate_image"],
        "x402Support": False,
        "verified": False,
        "slug": agent["username"],
    }


@group.route("/api/v1/discovery", ["GET"], family=Family.BARE, limit="STANDARD")
async def discovery(ctx: Ctx) -> Response:
    """Public agents, filtered and paginated (only the `agent` type is populated)."""
    params = _discovery_params(ctx)
    agents = (
        [a for a in ctx.store.list("agents") if a["isPublic"]] if "agent" in params["types"] else []
    )
    if params["query"]:
        agents = [
            a for a in agents if params["query"] in (a["name"] + " " + " ".join(a["bio"])).lower()
        ]
    if params["categories"]:
        agents = [a for a in agents if a["category"] in params["categories"]]
    if params["tags"]:
        agents = [a for a in agents if set(a["tags"]) & set(params["tags"])]
    if params["x402Only"]:
        agents = []
    total = len(agents)
    offset, limit = params["offset"], params["limit"]
    page = agents[offset : offset + limit]
    return JSONResponse(
        {
            "services": [service_view(ctx, a) for a in page],
            "total": total,
            "hasMore": offset + len(page) < total,
            "pagination": {"limit": limit, "offset": offset},
            "cached": False,
        }
    )


@group.route("/api/agents/{id}/a2a", ["GET"], family=Family.BARE, limit="STANDARD")
async def agent_card(ctx: Ctx) -> Response:
    """The per-agent card of a public, A2A-enabled agent."""
    agent = ctx.store.get("agents", ctx.param("id"))
    if agent is None:
        return bare(404, "Agent not found")
    if not agent["isPublic"] or not agent["a2aEnabled"]:
        return bare(403, "A2A is not enabled for this agent")
    url = f"{ctx.site_url}/api/agents/{agent['id']}/a2a"
    return JSONResponse(
        {
            "name": agent["name"],
            "description": " ".join(agent["bio"]) or f"{agent['name']} on Eliza Cloud",
            "url": url,
            "image": agent["avatarUrl"],
            "version": "1.0.0",
            "capabilities": {
                "streaming": True,
                "pushNotifications": False,
                "stateTransitionHistory": True,
            },
            "authentication": {"schemes": [{"scheme": "bearer"}]},
            "skills": [
                {
                    "id": "chat",
                    "name": "Chat",
                    "description": f"Chat with {agent['name']}",
                    "pricing": {"type": "credits", "description": "Billed per token"},
                },
                {
                    "id": "generate_image",
                    "name": "Generate image",
                    "description": "Generate an image from a prompt",
                    "pricing": {"type": "credits", "description": "Billed per image"},
                },
            ],
            "pricing": {"type": "credits", "currency": "USD"},
            "contact": {"url": ctx.site_url},
        }
    )
