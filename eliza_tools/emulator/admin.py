"""Emulator-only admin API under `/__emulator__/` (no auth; the emulator binds loopback).

- `GET /__emulator__/state`: counts per kind, default balance, armed faults.
- `POST /__emulator__/balance` `{"balance": 1.5, "apiKey"?: "eliza_…"}`: force a balance
  (the default key's account if `apiKey` is omitted).
- `POST /__emulator__/accounts` `{"balance"?: 10}`: a new account and key,
  answered `201 {"apiKey", "accountId"}`.
- `GET /__emulator__/faults`: the armed faults.
- `POST /__emulator__/faults` `{"path", "method"?, "status"?, "body"?, "headers"?, "delay"?,
  "drop"?, "times"?}`: arm a fault (see `faults.Fault`; `times: null` fires forever).
- `DELETE /__emulator__/faults`: disarm all faults.
- `POST /__emulator__/jobs` `{"type", "seconds"?, "result"?, "apiKey"?}`: a job that completes
  after `seconds` emulated seconds, answered with its `GET /api/v1/jobs/{id}` data.
- `POST /__emulator__/reset`: forget all state but the default key; balance back to the start.

Errors are `400 {"error": "<field>: <reason>"}`.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from eliza_tools.emulator import jobs
from eliza_tools.emulator.core import Emulator
from eliza_tools.emulator.faults import ADMIN_PREFIX, Fault


class AdminError(ValueError):
    """A bad admin request; its message names the field."""


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise AdminError("body: not valid JSON") from None
    if not isinstance(body, dict):
        raise AdminError("body: must be a JSON object")
    return body


def _number(body: dict[str, Any], name: str, default: float | None = None) -> float | None:
    value = body.get(name, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise AdminError(f"{name}: must be a number")
    return None if value is None else float(value)


def parse_fault(body: dict[str, Any]) -> Fault:
    """A `Fault` from its JSON form."""
    path = body.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise AdminError("path: must be a path starting with '/'")
    status = body.get("status")
    if status is not None and (not isinstance(status, int) or not 100 <= status <= 599):
        raise AdminError("status: must be an HTTP status code")
    times = body.get("times", 1)
    if times is not None and (not isinstance(times, int) or times < 1):
        raise AdminError("times: must be a positive integer or null")
    headers = body.get("headers")
    if headers is not None and not isinstance(headers, dict):
        raise AdminError("headers: must be an object")
    return Fault(
        path=path,
        method=body.get("method"),
        status=status,
        body=body.get("body"),
        headers=headers,
        delay=_number(body, "delay", 0.0) or 0.0,
        drop=bool(body.get("drop", False)),
        times=times,
    )


async def _handle(request: Request) -> Response:
    emu: Emulator = request.app.state.emulator
    action = request.path_params["action"]
    method = request.method
    body = await _body(request) if method == "POST" else {}
    if (method, action) == ("GET", "state"):
        return JSONResponse(emu.snapshot())
    if (method, action) == ("POST", "balance"):
        value = _number(body, "balance")
        if value is None:
            raise AdminError("balance: required")
        emu.set_balance(value, body.get("apiKey"))
        return JSONResponse({"balance": emu.balance(body.get("apiKey"))})
    if (method, action) == ("POST", "accounts"):
        key, account_id = emu.new_account(_number(body, "balance"))
        return JSONResponse({"apiKey": key, "accountId": account_id}, status_code=201)
    if action == "faults":
        if method == "POST":
            emu.faults.add(parse_fault(body))
        elif method == "DELETE":
            emu.faults.clear()
        return JSONResponse({"faults": [dataclasses.asdict(f) for f in emu.faults.pending()]})
    if (method, action) == ("POST", "jobs"):
        job_type = body.get("type")
        if not isinstance(job_type, str) or not job_type:
            raise AdminError("type: required string")
        account_id = emu.account(body.get("apiKey"))["id"]
        job = jobs.create_job(
            emu, account_id, job_type, _number(body, "seconds", 5.0) or 0.0, body.get("result")
        )
        return JSONResponse(jobs.public_view(emu, job), status_code=201)
    if (method, action) == ("POST", "reset"):
        emu.reset()
        return JSONResponse({"ok": True})
    return JSONResponse({"error": f"unknown admin action {method} {action}"}, status_code=404)


async def admin_endpoint(request: Request) -> Response:
    """Dispatch an admin call; bad input is a 400 naming the field."""
    try:
        return await _handle(request)
    except (AdminError, KeyError) as exc:
        return JSONResponse({"error": str(exc).strip("'\"")}, status_code=400)


routes = [
    Route(ADMIN_PREFIX + "/{action}", admin_endpoint, methods=["GET", "POST", "DELETE"]),
]
