"""The local cloud API of Milady's dashboard (`/api/cloud/*`), as a Starlette app.

Routes and shapes follow Milady's "Cloud API" and "Eliza Cloud Integration" pages:

=======  ==========================================  ======================================
POST     /api/cloud/login                             `{ok, sessionId, browserUrl}`
GET      /api/cloud/login/status?sessionId=           `{status[, keyPrefix | error]}`
GET      /api/cloud/status                            `{connected, enabled, hasApiKey, …}`
GET      /api/cloud/credits                           `{connected, balance, low, critical, …}`
POST     /api/cloud/disconnect                        `{ok, status: "disconnected"}`
GET      /api/cloud/agents                            `{ok, agents: [{id, name, status, …}]}`
POST     /api/cloud/agents                            201 `{ok, agent: {id, name, status}}`
POST     /api/cloud/agents/{id}/provision | connect   `{ok, agentId, agentName, status}`
POST     /api/cloud/agents/{id}/shutdown              `{ok, agentId, status: "stopped"}`
=======  ==========================================  ======================================

Every route needs `Authorization: Bearer <token>` except the two reads the seeds'
walkthrough calls without one (`GET …/login/status` and `GET …/status`; neither
reveals a secret, and a login can only be polled by the server that started it).
Requests must name a loopback `Host` (a DNS-rebinding page cannot reach the API).
Errors answer `{ok: false, error}` with a 4xx, or 502/504 when the cloud failed.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from eliza_tools.cloud.manager import NotConnectedError
from eliza_tools.cloud.service import CloudService, NotLoggedInError
from eliza_tools.errors import (
    APIConnectionError,
    APIStatusError,
    ElizaCloudError,
    InvalidRequestError,
    JobTimeoutError,
)

log = logging.getLogger("eliza_tools.cloud.server")

DEFAULT_PORT = 2138
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
Handler = Callable[[Request, CloudService], Awaitable[Response]]


def _fail(status: int, error: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": error}, status_code=status)


def _error_response(exc: ElizaCloudError) -> JSONResponse:
    """The caller's form of an error: 4xx for their mistakes, 502/504 for the cloud's."""
    text = " ".join(str(exc).split())
    if isinstance(exc, InvalidRequestError):
        return _fail(400, text)
    if isinstance(exc, NotLoggedInError):
        return _fail(401, text)
    if isinstance(exc, NotConnectedError):
        return _fail(409, text)
    if isinstance(exc, APIStatusError) and 400 <= exc.status_code < 500:
        return _fail(exc.status_code, exc.message)  # 402, 404, 409 … mean the same here
    if isinstance(exc, JobTimeoutError):
        return _fail(504, f"Eliza Cloud: {text}")
    if isinstance(exc, APIConnectionError):
        return _fail(502, f"Eliza Cloud unreachable: {text}")
    return _fail(502, f"Eliza Cloud: {text}")


def _host(request: Request) -> str:
    host = request.headers.get("host", "")
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


def _route(
    path: str, method: str, handler: Handler, service: CloudService, token: str, *, public: bool
) -> Route:
    expected = f"Bearer {token}".encode()

    async def endpoint(request: Request) -> Response:
        if _host(request) not in LOOPBACK_HOSTS:
            return _fail(403, "Host: the local cloud API answers loopback names only")
        given = request.headers.get("authorization", "").encode()
        if not public and not hmac.compare_digest(given, expected):
            return _fail(401, "Unauthorized: send `Authorization: Bearer <token printed at start>`")
        try:
            return await handler(request, service)
        except ElizaCloudError as exc:
            return _error_response(exc)
        except Exception:
            log.exception("%s %s failed", method, path)
            return _fail(500, "internal error (see the server log)")

    return Route(path, endpoint, methods=[method])


# -- handlers -------------------------------------------------------------------------------


async def login(request: Request, service: CloudService) -> Response:
    """Start the browser login against the upstream cloud."""
    session_id, browser_url = await service.start_login()
    return JSONResponse({"ok": True, "sessionId": session_id, "browserUrl": browser_url})


async def login_status(request: Request, service: CloudService) -> Response:
    """Poll a login; on success the key is kept (in memory) and the client is ready."""
    session_id = request.query_params.get("sessionId", "").strip()
    if not session_id:
        return JSONResponse({"status": "error", "error": "sessionId is required"}, 400)
    status, detail = await service.login_status(session_id)
    if status == "authenticated":
        return JSONResponse({"status": status, "keyPrefix": detail})
    if status == "pending":
        return JSONResponse({"status": status})
    return JSONResponse({"status": status, "error": detail})


async def status(request: Request, service: CloudService) -> Response:
    """Connection and auth state, with Milady's `reason` when not connected."""
    state = await service.status()
    body: dict[str, Any] = {
        "connected": state.connected,
        "enabled": state.has_api_key,
        "hasApiKey": state.has_api_key,
    }
    if state.connected:
        body.update(userId=None, organizationId=state.organization_id)
    else:
        body["reason"] = state.reason
    body["topUpUrl"] = service.top_up_url
    manager = service.manager
    body["agent"] = (
        {"id": manager.agent_id, "state": manager.state.value}
        if manager is not None and manager.agent_id is not None
        else None
    )
    return JSONResponse(body)


async def credits(request: Request, service: CloudService) -> Response:
    """The balance in USD with Milady's low (< $2) and critical (< $0.50) flags."""
    balance = await service.balance()
    return JSONResponse(
        {
            "connected": balance is not None,
            "balance": balance.balance if balance is not None else None,
            "low": balance.low if balance is not None else False,
            "critical": balance.critical if balance is not None else False,
            "topUpUrl": service.top_up_url,
        }
    )


async def disconnect(request: Request, service: CloudService) -> Response:
    """Final snapshot of the connected agent, stop, forget the key."""
    await service.disconnect()
    return JSONResponse({"ok": True, "status": "disconnected"})


async def list_agents(request: Request, service: CloudService) -> Response:
    """The organization's cloud agents."""
    agents = await service.client().cloud_agents.list()
    return JSONResponse(
        {
            "ok": True,
            "agents": [
                {"id": a.id, "name": a.agent_name, "status": a.status, "createdAt": a.created_at}
                for a in agents
            ],
        }
    )


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise InvalidRequestError("body", "must be a JSON object") from None
    if not isinstance(body, dict):
        raise InvalidRequestError("body", "must be a JSON object")
    return body


async def create_agent(request: Request, service: CloudService) -> Response:
    """Create (not provision) an agent: `{agentName, agentConfig?, environmentVars?}`."""
    body = await _json_object(request)
    name = body.get("agentName")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
        raise InvalidRequestError("agentName", "is required: a string of 1 to 100 characters")
    for field in ("agentConfig", "environmentVars"):
        if body.get(field) is not None and not isinstance(body[field], dict):
            raise InvalidRequestError(field, "must be an object")
    agent = await service.client().cloud_agents.create(
        name,
        character_id=body.get("characterId"),
        agent_config=body.get("agentConfig"),
        environment_vars=body.get("environmentVars"),
    )
    return JSONResponse(
        {"ok": True, "agent": {"id": agent.id, "name": agent.agent_name, "status": agent.status}},
        status_code=201,
    )


async def connect(request: Request, service: CloudService) -> Response:
    """Provision (waiting for the job) and connect; the current agent is disconnected first."""
    async with service.lock:
        manager = service.require_manager()
        agent = await manager.connect(request.path_params["agent_id"])
    return JSONResponse(
        {
            "ok": True,
            "agentId": agent.id,
            "agentName": agent.agent_name,
            "status": {"connected": manager.connected, "state": manager.state.value},
        }
    )


async def shutdown(request: Request, service: CloudService) -> Response:
    """Disconnect it if connected (final snapshot), then delete the agent."""
    agent_id = request.path_params["agent_id"]
    async with service.lock:
        manager = service.require_manager()
        if manager.agent_id == agent_id:
            await manager.disconnect()
        await manager.client.cloud_agents.delete(agent_id)
    return JSONResponse({"ok": True, "agentId": agent_id, "status": "stopped"})


def create_app(service: CloudService, token: str) -> Starlette:
    """The local cloud API over `service`, protected by `token`."""
    if len(token) < 16:
        raise InvalidRequestError("token", "must be at least 16 characters")
    table: list[tuple[str, str, Handler, bool]] = [
        ("/api/cloud/login", "POST", login, False),
        ("/api/cloud/login/status", "GET", login_status, True),
        ("/api/cloud/status", "GET", status, True),
        ("/api/cloud/credits", "GET", credits, False),
        ("/api/cloud/disconnect", "POST", disconnect, False),
        ("/api/cloud/agents", "GET", list_agents, False),
        ("/api/cloud/agents", "POST", create_agent, False),
        ("/api/cloud/agents/{agent_id}/provision", "POST", connect, False),
        ("/api/cloud/agents/{agent_id}/connect", "POST", connect, False),
        ("/api/cloud/agents/{agent_id}/shutdown", "POST", shutdown, False),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await service.aclose()  # final snapshot of a connected agent, pools closed

    routes = [
        _route(path, method, handler, service, token, public=public)
        for path, method, handler, public in table
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def serve(app: Starlette, port: int, on_ready: Callable[[str], None] | None = None) -> None:
    """Serve `app` on 127.0.0.1:`port` in the foreground until Ctrl-C / SIGTERM.

    Shutdown runs the app's lifespan: a connected agent gets its final snapshot.
    `on_ready(url)` runs once the socket listens.
    """
    import uvicorn

    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    if on_ready is not None:
        original = server.startup

        async def startup(sockets: Any = None) -> None:
            await original(sockets=sockets)
            if server.started:
                on_ready(f"http://127.0.0.1:{port}")

        server.startup = startup  # type: ignore[method-assign]
    server.run()
