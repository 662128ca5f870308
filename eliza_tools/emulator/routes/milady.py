"""Milady cloud agents (`/api/v1/milady/agents/**`, reference §11.2).

What the real server does, emulated:

- every route answers `{success, data}`; another organization's agent is a 404;
  a bad or empty JSON body on create, bridge, stream and restore is a 500;
- creating, provisioning and resuming need a balance of at least $5.00 (402 with
  `requiredBalance` and `currentBalance`);
- provisioning is a job (90 emulated seconds by default, see `configure`,
  divided by the speedup like every emulated delay); the agent turns `running`
  when the job completes (read it at `GET /api/v1/jobs/{id}`, served by the
  containers group); a second provision meanwhile is a 409 with the same job;
- snapshots keep the newest 10 backups; restore re-provisions a stopped agent;
- the bridge answers HTTP 200 with JSON-RPC -32000 when the sandbox is down, and
  the stream answers 200 with a single `event: error`.

Emulator-only switches (no auth; the emulator binds loopback):

- `POST /__emulator__/milady/agents/{id}/sandbox` `{"down": true}`: kill (or, with
  `false`, revive) the sandbox. The agent still says `running` (the server has no
  heartbeat), but the bridge answers -32000, the stream its `error` event and
  snapshots fail.
- `POST /__emulator__/milady/settings` `{"provisionSeconds": 2, "pollIntervalMs": 1000}`:
  how long a provisioning job takes and the polling interval the 202 of `provision`
  / `resume` asks for (emulated time; defaults 90 s and 5000 ms, as on the real
  server; `GET /api/v1/jobs/{id}` gives its own).

`set_sandbox_down(emu, agent_id, down)` and `configure(emu, provision_seconds=...,
poll_interval_ms=...)` do the same from Python (e.g. with `handle.emulator`).
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.responses import JSONResponse, Response, StreamingResponse

from eliza_tools.emulator import jobs, ledger
from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.core import Emulator
from eliza_tools.emulator.errors import Family, Reply, bare, canonical, failure
from eliza_tools.emulator.routing import Ctx, Handler, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("milady")

BACKUPS = "milady_backups"
KIND = "milady_agents"
PREFIXES = ("/api/v1/milady", "/api/v1/milaidy")  # `milaidy` is the legacy alias
MINIMUM_BALANCE = 5.0
MAX_BACKUPS = 10
PROVISION_SECONDS = 90.0
POLL_INTERVAL_MS = 5000
SANDBOX_DOWN = -32000
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def _routes(tail: str, methods: list[str]) -> Callable[[Handler], Handler]:
    """Register a handler under `/api/v1/milady` and its legacy alias `/api/v1/milaidy`."""

    def register(handler: Handler) -> Handler:
        for prefix in PREFIXES:
            group.route(prefix + tail, methods, family=Family.FAILURE)(handler)
        return handler

    return register


# -- settings and admin ---------------------------------------------------------------------


def _settings(emu: Emulator) -> dict[str, float]:
    stored = emu.store.get("meta", "milady") or {}
    return {
        "provisionSeconds": float(stored.get("provisionSeconds", PROVISION_SECONDS)),
        "pollIntervalMs": float(stored.get("pollIntervalMs", POLL_INTERVAL_MS)),
    }


def configure(
    emu: Emulator, *, provision_seconds: float | None = None, poll_interval_ms: float | None = None
) -> dict[str, float]:
    """Change how long provisioning takes and the polling interval the server asks for.

    Both are emulated time (divided by the speedup); the real server takes about 90 s
    and asks for 5000 ms.
    """
    settings = _settings(emu)
    if provision_seconds is not None:
        settings["provisionSeconds"] = float(provision_seconds)
    if poll_interval_ms is not None:
        settings["pollIntervalMs"] = float(poll_interval_ms)
    emu.store.put("meta", "milady", settings)
    return settings


def set_sandbox_down(emu: Emulator, agent_id: str, down: bool = True) -> None:
    """Kill (or revive) an agent's sandbox; the agent's status does not change (no heartbeat)."""
    with emu.store.transaction():
        agent = emu.store.get(KIND, agent_id)
        if agent is None:
            raise KeyError(f"agent {agent_id} not found")
        agent["sandboxDown"] = down
        emu.store.put(KIND, agent_id, agent)


async def _admin_body(ctx: Ctx) -> dict[str, Any]:
    return await ctx.json_object(lambda reason: bare(400, f"body: {reason}"))


@group.route("/__emulator__/milady/agents/{agent_id}/sandbox", ["POST"], family=Family.BARE)
async def admin_sandbox(ctx: Ctx) -> Response:
    """Kill or revive a sandbox: `{"down": true|false}`."""
    down = (await _admin_body(ctx)).get("down", True)
    if not isinstance(down, bool):
        return bare(400, "down: must be a boolean")
    try:
        set_sandbox_down(ctx.emu, ctx.param("agent_id"), down)
    except KeyError:
        return bare(404, "agent_id: no such agent")
    return JSONResponse({"agentId": ctx.param("agent_id"), "sandboxDown": down})


@group.route("/__emulator__/milady/settings", ["POST"], family=Family.BARE)
async def admin_settings(ctx: Ctx) -> Response:
    """`{"provisionSeconds"?: n, "pollIntervalMs"?: n}` (emulated time); answers the settings."""
    body = await _admin_body(ctx)
    values: dict[str, float] = {}
    for name in ("provisionSeconds", "pollIntervalMs"):
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return bare(400, f"{name}: must be a number >= 0")
        values[name] = float(value)
    settings = configure(
        ctx.emu,
        provision_seconds=values.get("provisionSeconds"),
        poll_interval_ms=values.get("pollIntervalMs"),
    )
    return JSONResponse(settings)


# -- jobs -----------------------------------------------------------------------------------


def _polling(emu: Emulator) -> dict[str, Any]:
    return {"intervalMs": max(1, round(_settings(emu)["pollIntervalMs"] / emu.config.speedup))}


# -- agent records --------------------------------------------------------------------------


def _ok(data: Any, status: int = 200, **extra: Any) -> JSONResponse:
    return JSONResponse({"success": True, "data": data, **extra}, status_code=status)


def _account(ctx: Ctx) -> Record:
    return ctx.account_or(canonical(401, "authentication_required", "Unauthorized"))


def _bridge_url(ctx: Ctx, agent: Record) -> str:
    return f"{ctx.site_url}/__emulator__/milady/sandboxes/{agent['id']}"


def _settle(ctx: Ctx, agent: Record) -> Record:
    """Apply a finished provisioning job: the agent turns `running` when its job completes."""
    job_id = agent.get("jobId")
    if agent["status"] != "provisioning" or not job_id:
        return agent
    job = ctx.store.get("jobs", job_id)
    if job is None or jobs.status(ctx.emu, job) != "completed":
        return agent
    _start_sandbox(agent)
    return ctx.store.put(KIND, agent["id"], agent)


def _start_sandbox(agent: Record) -> None:
    now = now_iso()
    agent.update(
        status="running",
        databaseStatus="ready",
        lastHeartbeatAt=now,
        updatedAt=now,
        jobId=None,
        sandboxDown=False,
        startedTs=time.time(),
    )


def _agent(ctx: Ctx, account: Record) -> Record:
    """The caller's agent named in the path (settled), or a 404 like another org's agent."""
    agent = ctx.store.get(KIND, ctx.param("agent_id"))
    if agent is None or agent["accountId"] != account["id"]:
        raise Reply(failure(404, "Agent not found"))
    return _settle(ctx, agent)


def _summary(agent: Record) -> dict[str, Any]:
    keys = (
        "id",
        "agentName",
        "status",
        "databaseStatus",
        "lastBackupAt",
        "lastHeartbeatAt",
        "errorMessage",
        "createdAt",
        "updatedAt",
    )
    return {key: agent.get(key) for key in keys}


def _detail(ctx: Ctx, agent: Record) -> dict[str, Any]:
    running = agent["status"] == "running"
    return {
        **_summary(agent),
        "bridgeUrl": _bridge_url(ctx, agent) if running else None,
        "errorCount": agent.get("errorCount", 0),
    }


def _credit_gate(ctx: Ctx, account: Record) -> None:
    balance = ledger.balance(ctx.store, account["id"])
    if balance < MINIMUM_BALANCE:
        raise Reply(
            failure(
                402,
                "Insufficient credits. A minimum balance of $5.00 is required to run a "
                "cloud agent. Please add credits.",
                requiredBalance=MINIMUM_BALANCE,
                currentBalance=balance,
            )
        )


def _invalid(details: dict[str, Any]) -> Reply:
    return Reply(failure(400, "Invalid request data", details=details))


async def _body(ctx: Ctx) -> dict[str, Any]:
    """The JSON object body; a bad or empty one is a 500, as on the real server."""
    return await ctx.json_object(lambda reason: failure(500, reason))


async def _agent_and_body(ctx: Ctx) -> tuple[Record, dict[str, Any]]:
    """The caller's agent and the JSON body, checked as the real routes do: key, body, agent."""
    account = _account(ctx)
    body = await _body(ctx)
    return _agent(ctx, account), body


# -- agent routes ---------------------------------------------------------------------------


@_routes("/agents", ["GET"])
async def list_agents(ctx: Ctx) -> Response:
    """The organization's agents."""
    account = _account(ctx)
    mine = [a for a in ctx.store.list(KIND) if a["accountId"] == account["id"]]
    return _ok([_summary(_settle(ctx, agent)) for agent in mine])


def _validate_create(body: dict[str, Any]) -> None:
    name = body.get("agentName")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        raise _invalid({"agentName": ["String must contain between 1 and 100 character(s)"]})
    character = body.get("characterId")
    if character is not None and (not isinstance(character, str) or not _UUID.match(character)):
        raise _invalid({"characterId": ["Invalid uuid"]})
    if not isinstance(body.get("agentConfig", {}), dict):
        raise _invalid({"agentConfig": ["Expected object"]})
    env = body.get("environmentVars", {})
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise _invalid({"environmentVars": ["Expected record of strings"]})


@_routes("/agents", ["POST"])
async def create_agent(ctx: Ctx) -> Response:
    """Create (not provision) an agent: 201 `{id, agentName, status: pending, createdAt}`."""
    account = _account(ctx)
    body = await _body(ctx)
    _validate_create(body)
    _credit_gate(ctx, account)
    now = now_iso()
    agent = {
        "id": str(uuid.uuid4()),
        "accountId": account["id"],
        "agentName": body["agentName"],
        "characterId": body.get("characterId"),
        "agentConfig": body.get("agentConfig") or {},
        "environmentVarNames": sorted(body.get("environmentVars") or {}),
        "status": "pending",
        "databaseStatus": "none",
        "lastBackupAt": None,
        "lastHeartbeatAt": None,
        "errorMessage": None,
        "errorCount": 0,
        "createdAt": now,
        "updatedAt": now,
        "memories": 0,
    }
    ctx.store.put(KIND, agent["id"], agent)
    data = {k: agent[k] for k in ("id", "agentName", "status", "createdAt")}
    return _ok(data, 201)


@_routes("/agents/{agent_id}", ["GET"])
async def get_agent(ctx: Ctx) -> Response:
    """One agent with `bridgeUrl` and `errorCount`."""
    return _ok(_detail(ctx, _agent(ctx, _account(ctx))))


def _refuse_while_provisioning(agent: Record) -> None:
    if agent["status"] == "provisioning":
        raise Reply(failure(409, "Agent is being provisioned. Try again when it has finished."))


def _stop(ctx: Ctx, agent: Record, action: str) -> Response:
    """Shut down or suspend (suspend snapshots first); `{agentId, action, message, …}`."""
    _refuse_while_provisioning(agent)
    previous = agent["status"]
    if action == "suspend" and previous == "running" and not agent.get("sandboxDown"):
        _add_backup(ctx, agent, "pre-shutdown")
        agent = ctx.store.get(KIND, agent["id"]) or agent
    agent.update(status="stopped", updatedAt=now_iso(), sandboxDown=False)
    ctx.store.put(KIND, agent["id"], agent)
    verb = "suspended" if action == "suspend" else "shut down"
    return _ok(
        {
            "agentId": agent["id"],
            "action": action,
            "message": f"Agent {verb}",
            "previousStatus": previous,
        }
    )


@_routes("/agents/{agent_id}", ["PATCH"])
async def patch_agent(ctx: Ctx) -> Response:
    """Only `{action: "shutdown" | "suspend"}` is accepted."""
    account = _account(ctx)
    body = await _body(ctx)
    action = body.get("action")
    if action not in ("shutdown", "suspend"):
        raise _invalid({"action": ["Invalid enum value. Expected 'shutdown' | 'suspend'"]})
    return _stop(ctx, _agent(ctx, account), str(action))


@_routes("/agents/{agent_id}/suspend", ["POST"])
async def suspend_agent(ctx: Ctx) -> Response:
    """Snapshot (`pre-shutdown`), then stop."""
    return _stop(ctx, _agent(ctx, _account(ctx)), "suspend")


@_routes("/agents/{agent_id}", ["DELETE"])
async def delete_agent(ctx: Ctx) -> Response:
    """Delete the agent and its backups: `{success: true}`."""
    agent = _agent(ctx, _account(ctx))
    _refuse_while_provisioning(agent)
    with ctx.store.transaction():
        for backup in _backups_of(ctx, agent["id"]):
            ctx.store.delete(BACKUPS, backup["id"])
        ctx.store.delete(KIND, agent["id"])
    return JSONResponse({"success": True})


def _start_job(ctx: Ctx, account: Record, agent: Record) -> Response:
    """200 when running, 409 with the job while one runs, else a new job and 202."""
    if agent["status"] == "running":
        url = _bridge_url(ctx, agent)
        return _ok(
            {
                "id": agent["id"],
                "agentName": agent["agentName"],
                "status": "running",
                "bridgeUrl": url,
                "healthUrl": f"{url}/health",
            }
        )
    existing = ctx.store.get("jobs", agent["jobId"]) if agent.get("jobId") else None
    if existing is not None:
        return _job_answer(ctx, agent, existing, created=False)
    seconds = _settings(ctx.emu)["provisionSeconds"]
    result = {"agentId": agent["id"], "status": "running", "bridgeUrl": _bridge_url(ctx, agent)}
    job = jobs.create_job(ctx.emu, account["id"], "milady_provision", seconds, result)
    agent.update(status="provisioning", jobId=job["id"], updatedAt=now_iso())
    ctx.store.put(KIND, agent["id"], agent)
    return _job_answer(ctx, agent, job, created=True)


def _job_answer(ctx: Ctx, agent: Record, job: Record, *, created: bool) -> Response:
    view = jobs.public_view(ctx.emu, job)
    speedup = ctx.emu.config.speedup
    return JSONResponse(
        {
            "success": True,
            "created": created,
            "alreadyInProgress": not created,
            "data": {
                "jobId": job["id"],
                "agentId": agent["id"],
                "status": view["status"],
                "estimatedCompletionAt": view["estimatedCompletionAt"],
            },
            "polling": {
                "endpoint": f"/api/v1/jobs/{job['id']}",
                **_polling(ctx.emu),
                "expectedDurationMs": round(job["seconds"] * 1000 / speedup),
            },
        },
        status_code=202 if created else 409,
    )


@_routes("/agents/{agent_id}/provision", ["POST"])
async def provision_agent(ctx: Ctx) -> Response:
    """Start the sandbox as a job (the $5 credit gate first)."""
    account = _account(ctx)
    agent = _agent(ctx, account)
    _credit_gate(ctx, account)
    return _start_job(ctx, account, agent)


@_routes("/agents/{agent_id}/resume", ["POST"])
async def resume_agent(ctx: Ctx) -> Response:
    """Like provision."""
    return await provision_agent(ctx)


# -- backups --------------------------------------------------------------------------------


def _backups_of(ctx: Ctx, agent_id: str) -> list[Record]:
    """The agent's backups, newest first."""
    found = [b for b in ctx.store.list(BACKUPS) if b["agentId"] == agent_id]
    return sorted(found, key=lambda b: b["seq"], reverse=True)


def _add_backup(ctx: Ctx, agent: Record, snapshot_type: str) -> Record:
    """Record a backup and keep only the newest `MAX_BACKUPS`."""
    now = now_iso()
    state = json.dumps({"memories": agent.get("memories", 0), "at": now})
    backup = {
        "id": str(uuid.uuid4()),
        "agentId": agent["id"],
        "snapshotType": snapshot_type,
        "sizeBytes": 4096 + len(state),
        "vercelSnapshotId": f"snap_{secrets.token_hex(8)}",
        "createdAt": now,
        "seq": time.time_ns(),
        "memories": agent.get("memories", 0),
    }
    with ctx.store.transaction():
        ctx.store.put(BACKUPS, backup["id"], backup)
        for old in _backups_of(ctx, agent["id"])[MAX_BACKUPS:]:
            ctx.store.delete(BACKUPS, old["id"])
        agent.update(lastBackupAt=now)
        ctx.store.put(KIND, agent["id"], agent)
    return backup


def _public_backup(backup: Record) -> dict[str, Any]:
    keys = ("id", "snapshotType", "sizeBytes", "vercelSnapshotId", "createdAt")
    return {key: backup[key] for key in keys}


@_routes("/agents/{agent_id}/snapshot", ["POST"])
async def snapshot_agent(ctx: Ctx) -> Response:
    """Back up now; the body is ignored and the type is always `manual`."""
    agent = _agent(ctx, _account(ctx))
    if agent["status"] != "running":
        return failure(409, "Sandbox is not running")
    if agent.get("sandboxDown"):
        return failure(500, "Failed to create snapshot: sandbox unreachable")
    backup = _add_backup(ctx, agent, "manual")
    return _ok(
        {
            "backupId": backup["id"],
            "snapshotType": "manual",
            "sizeBytes": backup["sizeBytes"],
            "createdAt": backup["createdAt"],
        }
    )


@_routes("/agents/{agent_id}/backups", ["GET"])
async def list_backups(ctx: Ctx) -> Response:
    """The agent's backups, newest first."""
    agent = _agent(ctx, _account(ctx))
    return _ok([_public_backup(b) for b in _backups_of(ctx, agent["id"])])


@_routes("/agents/{agent_id}/restore", ["POST"])
async def restore_agent(ctx: Ctx) -> Response:
    """Restore a backup (default: the latest); a stopped agent is re-provisioned at once."""
    agent, body = await _agent_and_body(ctx)
    backup_id = body.get("backupId")
    if backup_id is not None and (not isinstance(backup_id, str) or not _UUID.match(backup_id)):
        raise _invalid({"backupId": ["Invalid uuid"]})
    mine = _backups_of(ctx, agent["id"])
    if backup_id is None:
        if not mine:
            return failure(404, "No backups found for this agent")
        backup = mine[0]
    else:
        found = ctx.store.get(BACKUPS, backup_id)
        if found is None:
            return failure(404, "Backup not found")
        if found["agentId"] != agent["id"]:
            return failure(500, "Backup does not belong to this agent")
        backup = found
    if agent["status"] != "running" and backup["id"] != mine[0]["id"]:
        return failure(409, "Only the latest backup can be restored on a stopped agent")
    if agent["status"] != "running":
        _start_sandbox(agent)
    agent.update(memories=backup.get("memories", 0), updatedAt=now_iso())
    ctx.store.put(KIND, agent["id"], agent)
    return _ok(
        {
            "restoredFromBackupId": backup["id"],
            "snapshotType": backup["snapshotType"],
            "createdAt": backup["createdAt"],
        }
    )


@_routes("/agents/{agent_id}/pairing-token", ["POST"])
async def pairing_token(ctx: Ctx) -> Response:
    """A 60-second pairing token; 400 unless the agent runs."""
    agent = _agent(ctx, _account(ctx))
    if agent["status"] != "running":
        return failure(400, "Agent is not running")
    return _ok(
        {
            "token": secrets.token_urlsafe(24),
            "redirectUrl": f"{_bridge_url(ctx, agent)}/pair",
            "expiresIn": 60,
        }
    )


# -- bridge and stream ----------------------------------------------------------------------


def _sandbox_problem(agent: Record) -> str | None:
    """Why the sandbox cannot answer, or None when it can."""
    if agent["status"] != "running":
        return "Sandbox is not running"
    if agent.get("sandboxDown"):
        return "Sandbox unreachable"
    return None


def _reply_text(text: str) -> str:
    return f"You said: {text}"


def _rpc(rpc_id: Any, **payload: Any) -> JSONResponse:
    return JSONResponse({"jsonrpc": "2.0", "id": rpc_id, **payload})


def _answer(ctx: Ctx, agent: Record, method: str, params: dict[str, Any], rpc_id: Any) -> Response:
    """What the agent image's entrypoint answers (milady `cloud-agent-entrypoint.ts`)."""
    if method == "heartbeat":
        return JSONResponse(
            {"jsonrpc": "2.0", "method": "heartbeat.ack", "params": {"timestamp": now_iso()}}
        )
    if method == "status.get":
        uptime = round(time.time() - agent.get("startedTs", time.time()), 3)
        result = {
            "status": "running",
            "uptime": uptime,
            "memoriesCount": agent.get("memories", 0),
            "startedAt": agent.get("lastHeartbeatAt"),
        }
        return _rpc(rpc_id, result=result)
    if method == "message.send":
        text = params.get("text")
        if not isinstance(text, str) or not text:
            return _rpc(rpc_id, error={"code": -32602, "message": "Invalid params: text"})
        agent.update(memories=agent.get("memories", 0) + 2)
        ctx.store.put(KIND, agent["id"], agent)
        metadata = {"roomId": params.get("roomId"), "model": "emulator"}
        return _rpc(rpc_id, result={"text": _reply_text(text), "metadata": metadata})
    return _rpc(rpc_id, error={"code": -32601, "message": f"Method not found: {method}"})


@_routes("/agents/{agent_id}/bridge", ["POST"])
async def bridge(ctx: Ctx) -> Response:
    """JSON-RPC to the sandbox; HTTP 200 with -32000 when it is down."""
    agent, body = await _agent_and_body(ctx)
    method, params = body.get("method"), body.get("params") or {}
    if body.get("jsonrpc") != "2.0" or not isinstance(method, str) or not isinstance(params, dict):
        return failure(400, "Invalid JSON-RPC request")
    problem = _sandbox_problem(agent)
    if problem is not None:
        return _rpc(body.get("id"), error={"code": SANDBOX_DOWN, "message": problem})
    return _answer(ctx, agent, method, params, body.get("id"))


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


@_routes("/agents/{agent_id}/stream", ["POST"])
async def stream(ctx: Ctx) -> Response:
    """SSE `connected`, `chunk`, `done`; a single `error` event when the sandbox is down."""
    agent, body = await _agent_and_body(ctx)
    params = body.get("params")
    text = params.get("text") if isinstance(params, dict) else None
    if body.get("method") != "message.send" or not isinstance(text, str) or not text:
        return JSONResponse(
            {"error": "Invalid request", "details": {"params": {"text": ["Required"]}}},
            status_code=400,
        )
    rpc_id = body.get("id")
    problem = _sandbox_problem(agent)
    agent.update(memories=agent.get("memories", 0) + (0 if problem else 2))
    ctx.store.put(KIND, agent["id"], agent)

    async def events() -> AsyncIterator[bytes]:
        if problem is not None:
            yield _sse("error", {"message": problem})
            return
        yield _sse("connected", {"rpcId": rpc_id, "timestamp": now_iso()})
        yield _sse("chunk", {"text": _reply_text(text)})
        yield _sse("done", {"rpcId": rpc_id, "timestamp": now_iso()})

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )
