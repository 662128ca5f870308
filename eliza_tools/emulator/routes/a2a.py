"""The cloud's A2A dialect at `/api/a2a` and the per-agent JSON-RPC at `/api/agents/{id}/a2a`.

`/api/a2a` (reference §5): JSON-RPC 2.0, methods `message/send`, `tasks/get` and
`tasks/cancel`; parts are discriminated by `type`; the skill is picked by a `data`
part (`{"skill": "<id>", ...args}`), text alone means `chat_completion`; every
task completes synchronously; errors use non-200 HTTP statuses.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from starlette.responses import JSONResponse, Response

from eliza_tools import pricing
from eliza_tools.emulator import auth, ledger
from eliza_tools.emulator.a2a_forward import ForwardError, forward_message
from eliza_tools.emulator.errors import Family, Reply, jsonrpc_error
from eliza_tools.emulator.routes import chat
from eliza_tools.emulator.routes.images import render_images
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("a2a")

#: JSON-RPC / A2A error code -> HTTP status used by the cloud.
HTTP_STATUS = {
    -32700: 400,
    -32600: 400,
    -32601: 404,
    -32602: 400,
    -32603: 500,
    -32001: 404,
    -32002: 400,
    -32003: 400,
    -32004: 400,
    -32005: 400,
    -32010: 401,
    -32011: 402,
    -32012: 429,
    -32013: 403,
}
METHODS = {
    "message/send": "Send a message and get a completed task",
    "tasks/get": "Get a task by id",
    "tasks/cancel": "Cancel a task",
}
SKILLS = {
    "chat_completion": "Chat with a model (data: model, messages, temperature, max_tokens)",
    "image_generation": "Generate an image (data: prompt, aspectRatio)",
    "check_balance": "Your credit balance in USD",
    "list_agents": "Your agents",
    "chat_with_agent": "Chat with one of the agents (data: agentId, message)",
}
TERMINAL = {"completed", "canceled", "failed", "rejected"}


class RpcError(Exception):
    """A JSON-RPC error; the HTTP status comes from `HTTP_STATUS`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _str(values: dict[str, Any], key: str, default: str) -> str:
    value = values.get(key)
    return value if isinstance(value, str) and value else default


def _error(rpc_id: Any, code: int, message: str) -> Response:
    return jsonrpc_error(HTTP_STATUS.get(code, 400), rpc_id, code, message)


def _result(rpc_id: Any, result: Any) -> Response:
    return JSONResponse({"jsonrpc": "2.0", "id": rpc_id, "result": result})


async def _envelope(ctx: Ctx) -> dict[str, Any]:
    try:
        body = json.loads(await ctx.request.body())
    except ValueError:
        raise Reply(_error(None, -32700, "Parse error")) from None
    rpc_id = body.get("id") if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or body.get("jsonrpc") != "2.0"
        or not isinstance(body.get("method"), str)
        or "id" not in body
        or not isinstance(rpc_id, str | int | None)
        or isinstance(rpc_id, bool)
        or not isinstance(body.get("params", {}), dict)
    ):
        raise Reply(
            _error(rpc_id if isinstance(rpc_id, str | int) else None, -32600, "Invalid Request")
        )
    return body


@group.route("/api/a2a", ["GET"], family=Family.JSONRPC)
async def describe(ctx: Ctx) -> Response:
    """The discovery document of the platform endpoint."""
    return JSONResponse(
        {
            "name": "Eliza Cloud A2A",
            "version": "1.0.0",
            "protocolVersion": "0.3.0",
            "protocol": "JSON-RPC 2.0",
            "documentation": "https://google.github.io/a2a-spec/",
            "agentCard": "/.well-known/agent-card.json",
            "methods": [
                {"name": n, "description": d, "isStandard": True} for n, d in METHODS.items()
            ],
            "skills": [{"id": s, "description": d} for s, d in SKILLS.items()],
        }
    )


@group.route("/api/a2a", ["POST"], family=Family.JSONRPC)
async def endpoint(ctx: Ctx) -> Response:
    """Dispatch one JSON-RPC request."""
    body = await _envelope(ctx)
    rpc_id, method, params = body["id"], body["method"], body.get("params") or {}
    account = auth.authenticate(ctx.store, ctx.request)
    if account is None:
        return _error(rpc_id, -32010, "Authentication required: invalid or missing API key")
    if not ctx.emu.limiter.hit("A2A", "/api/a2a", account["id"]).allowed:
        return _error(rpc_id, -32012, "Rate limit exceeded")
    handlers = {"message/send": message_send, "tasks/get": tasks_get, "tasks/cancel": tasks_cancel}
    if method not in handlers:
        return _error(rpc_id, -32601, f"Method not found: {method}")
    try:
        return _result(rpc_id, await handlers[method](ctx, account, params))
    except RpcError as exc:
        return _error(rpc_id, exc.code, exc.message)


def _parts(message: Any) -> list[dict[str, Any]]:
    if not isinstance(message, dict) or message.get("role") != "user":
        raise RpcError(-32602, "Invalid params: message with role 'user' is required")
    parts = message.get("parts")
    if not isinstance(parts, list) or not parts:
        raise RpcError(-32602, "Invalid params: message.parts must be a non-empty array")
    for part in parts:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text" and isinstance(part.get("text"), str):
            continue
        if kind == "data" and isinstance(part.get("data"), dict):
            continue
        if kind == "file" and isinstance(part.get("file"), dict):
            continue
        raise RpcError(-32602, "Invalid params: each part needs type text, file or data")
    return parts


async def message_send(ctx: Ctx, account: Record, params: dict[str, Any]) -> dict[str, Any]:
    """Run the chosen skill and return the completed Task."""
    message = params.get("message")
    parts = _parts(message)
    text = " ".join(p["text"] for p in parts if p["type"] == "text").strip()
    data: dict[str, Any] = next((p["data"] for p in parts if p["type"] == "data"), {})
    skill = data.get("skill") or ("chat_completion" if text else None)
    if skill is None:
        raise RpcError(-32602, "Invalid params: message needs text or a data part with a skill")
    if skill not in SKILL_HANDLERS:
        raise RpcError(-32004, f"Unsupported skill: {skill}")
    reply_parts, artifacts = await SKILL_HANDLERS[skill](ctx, account, text, data)
    raw_metadata = params.get("metadata")
    metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    task_id = str(metadata.get("taskId") or uuid.uuid4())
    agent_message = {"role": "agent", "parts": reply_parts}
    task = {
        "id": task_id,
        "contextId": str(metadata.get("contextId") or uuid.uuid4()),
        "status": {"state": "completed", "message": agent_message, "timestamp": auth.now_iso()},
        "history": [message, agent_message],
        "artifacts": artifacts,
        "metadata": {"skill": skill, **metadata},
    }
    ctx.store.put("tasks", task_id, {"accountId": account["id"], "task": task})
    return task


def _own_task(ctx: Ctx, account: Record, params: dict[str, Any]) -> dict[str, Any]:
    task_id = params.get("id")
    if not isinstance(task_id, str) or not task_id:
        raise RpcError(-32602, "Invalid params: id is required")
    entry = ctx.store.get("tasks", task_id)
    if entry is None or entry["accountId"] != account["id"]:
        raise RpcError(-32001, f"Task not found: {task_id}")
    task: dict[str, Any] = entry["task"]
    return task


async def tasks_get(ctx: Ctx, account: Record, params: dict[str, Any]) -> dict[str, Any]:
    """A stored task, its history cut to `historyLength`."""
    task = _own_task(ctx, account, params)
    length = params.get("historyLength")
    if isinstance(length, int) and not isinstance(length, bool) and length >= 0:
        task["history"] = task["history"][-length:] if length else []
    return task


async def tasks_cancel(ctx: Ctx, account: Record, params: dict[str, Any]) -> dict[str, Any]:
    """Cancel a task; the cloud's tasks are terminal at once, so this fails with -32002."""
    task = _own_task(ctx, account, params)
    if task["status"]["state"] in TERMINAL:
        raise RpcError(
            -32002, f"Task cannot be canceled: already in terminal state {task['status']['state']}"
        )
    task["status"] = {"state": "canceled", "timestamp": auth.now_iso()}
    ctx.store.put("tasks", task["id"], {"accountId": account["id"], "task": task})
    return task


def _charge(ctx: Ctx, account: Record, amount: float, what: str) -> None:
    if not ledger.charge(ctx.store, account["id"], amount, what):
        raise RpcError(-32011, f"Insufficient credits: {amount:.6f} USD required")


def _usage_artifact(model: str, usage: dict[str, int], cost: float) -> dict[str, Any]:
    return {
        "name": "usage",
        "description": "Token usage and cost information",
        "parts": [
            {
                "type": "data",
                "data": {
                    "model": model,
                    "usage": {
                        "inputTokens": usage["prompt_tokens"],
                        "outputTokens": usage["completion_tokens"],
                        "totalTokens": usage["total_tokens"],
                    },
                    "cost": cost,
                },
            }
        ],
    }


SkillResult = tuple[list[dict[str, Any]], list[dict[str, Any]]]


async def skill_chat(ctx: Ctx, account: Record, text: str, data: dict[str, Any]) -> SkillResult:
    """`chat_completion`: the deterministic model answer, billed by tokens."""
    model = _str(data, "model", "gpt-4o")
    raw = data.get("messages") or [{"role": "user", "content": text}]
    try:
        messages = chat.validate_messages(raw)
    except Reply:
        raise RpcError(-32602, "Invalid params: messages must be chat messages") from None
    max_tokens = data.get("max_tokens") if isinstance(data.get("max_tokens"), int) else None
    answer = chat.reply_for(messages, max_tokens)
    usage = chat.usage_for(messages, answer)
    cost = pricing.chat_cost(model, usage["prompt_tokens"], usage["completion_tokens"])
    _charge(ctx, account, cost, f"A2A chat_completion ({model})")
    return [{"type": "text", "text": answer}], [_usage_artifact(model, usage, cost)]


async def skill_image(ctx: Ctx, account: Record, text: str, data: dict[str, Any]) -> SkillResult:
    """`image_generation`: one real image, returned as base64 bytes."""
    prompt = _str(data, "prompt", text)
    if not prompt:
        raise RpcError(-32602, "Invalid params: prompt is required")
    aspect = _str(data, "aspectRatio", "1:1")
    cost = pricing.image_cost(None, 1)
    _charge(ctx, account, cost, "A2A image_generation")
    [(url, mime, image)] = await render_images(ctx, prompt, 1, aspect, pricing.DEFAULT_IMAGE_MODEL)
    part = {
        "type": "file",
        "file": {"bytes": base64.b64encode(image).decode(), "mimeType": mime, "uri": url},
    }
    artifact = {"name": "cost", "parts": [{"type": "data", "data": {"cost": cost}}]}
    return [part], [artifact]


async def skill_balance(ctx: Ctx, account: Record, text: str, data: dict[str, Any]) -> SkillResult:
    """`check_balance`: the ledger balance."""
    return [{"type": "data", "data": {"balance": ledger.balance(ctx.store, account["id"])}}], []


async def skill_list_agents(
    ctx: Ctx, account: Record, text: str, data: dict[str, Any]
) -> SkillResult:
    """`list_agents`: the caller's agents."""
    agents = [
        {"id": a["id"], "name": a["name"], "bio": a["bio"], "username": a["username"]}
        for a in ctx.owned("agents", account)
    ]
    return [{"type": "data", "data": {"agents": agents, "total": len(agents)}}], []


async def agent_reply(agent: Record, text: str) -> str:
    """What an agent answers: its external A2A endpoint's reply, or a line from its name and bio."""
    if agent.get("a2aEndpoint"):
        return await forward_message(agent["a2aEndpoint"], text)
    bio = agent["bio"][0] if agent["bio"] else f"I am {agent['name']}."
    return f"{agent['name']} here. {bio} You said: {text}"


async def skill_chat_with_agent(
    ctx: Ctx, account: Record, text: str, data: dict[str, Any]
) -> SkillResult:
    """`chat_with_agent`: reach one agent by `agentId` (or `roomId`), forwarding if external."""
    agent_id = data.get("agentId") or data.get("roomId")
    message = _str(data, "message", text)
    if not isinstance(agent_id, str) or not message:
        raise RpcError(-32602, "Invalid params: agentId and message are required")
    agent = ctx.store.get("agents", agent_id)
    if agent is None or (agent["accountId"] != account["id"] and not agent["isPublic"]):
        raise RpcError(-32602, f"Invalid params: agent not found: {agent_id}")
    try:
        answer = await agent_reply(agent, message)
    except ForwardError as exc:
        raise RpcError(-32603, f"Agent unreachable: {exc}") from None
    messages = [{"role": "user", "content": message}]
    usage = chat.usage_for(messages, answer)
    cost = pricing.chat_cost("gpt-4o-mini", usage["prompt_tokens"], usage["completion_tokens"])
    _charge(ctx, account, cost, f"A2A chat_with_agent ({agent['name']})")
    reply = {
        "agentId": agent["id"],
        "agentName": agent["name"],
        "roomId": agent["id"],
        "response": answer,
    }
    return [{"type": "data", "data": reply}], []


SKILL_HANDLERS = {
    "chat_completion": skill_chat,
    "image_generation": skill_image,
    "check_balance": skill_balance,
    "list_agents": skill_list_agents,
    "chat_with_agent": skill_chat_with_agent,
}


@group.route("/api/agents/{id}/a2a", ["POST"], family=Family.JSONRPC, limit="STANDARD")
async def agent_rpc(ctx: Ctx) -> Response:
    """The per-agent, non-standard JSON-RPC: `chat` and `getAgentInfo`."""
    try:
        body = json.loads(await ctx.request.body())
    except ValueError:
        return jsonrpc_error(400, None, -32700, "Parse error")
    rpc_id = body.get("id") if isinstance(body, dict) else None
    if not isinstance(body, dict) or isinstance(rpc_id, bool) or not isinstance(rpc_id, str | int):
        return jsonrpc_error(400, None, -32600, "Invalid Request: id must be a string or number")
    account = auth.authenticate(ctx.store, ctx.request)
    if account is None:
        return jsonrpc_error(401, rpc_id, -32002, "Authentication required")
    agent = ctx.store.get("agents", ctx.param("id"))
    if agent is None:
        return jsonrpc_error(404, rpc_id, -32001, "Agent not found")
    method, raw_params = body.get("method"), body.get("params")
    params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
    if method == "getAgentInfo":
        info = {k: agent[k] for k in ("id", "name", "username", "bio", "avatarUrl", "tags")}
        return _result(rpc_id, info)
    if method != "chat":
        return jsonrpc_error(400, rpc_id, -32601, f"Method not found: {method}")
    try:
        messages = chat.validate_messages(params.get("messages"))
    except Reply:
        return jsonrpc_error(400, rpc_id, -32602, "Invalid params: messages are required")
    model = _str(params, "model", "gpt-4o-mini")
    try:
        answer = await agent_reply(agent, chat.message_text(messages[-1].get("content")))
    except ForwardError as exc:
        return jsonrpc_error(502, rpc_id, -32603, f"Agent unreachable: {exc}")
    usage = chat.usage_for(messages, answer)
    cost = pricing.chat_cost(model, usage["prompt_tokens"], usage["completion_tokens"])
    if not ledger.charge(ctx.store, account["id"], cost, f"Agent chat ({agent['name']})"):
        # The per-agent route reports missing credits with HTTP 200.
        return jsonrpc_error(200, rpc_id, -32003, "Insufficient credits")
    return _result(
        rpc_id,
        {
            "content": answer,
            "model": model,
            "usage": usage,
            "cost": {"base": cost, "markup": 0, "total": cost},
        },
    )
