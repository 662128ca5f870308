"""Containers (async deployments that progress with the clock) and `GET /api/v1/jobs/{id}`."""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.responses import JSONResponse, Response

from eliza_tools import pricing
from eliza_tools.emulator import jobs, ledger
from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.errors import Family, Reply, canonical, failure
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("containers")

#: field -> (low, high, default) for the integer fields of the create schema.
_INTS = {
    "port": (1, 65535, 3000),
    "desired_count": (1, 10, 1),
    "cpu": (256, 2048, 1792),
    "memory": (256, 2048, 1792),
}
_STRINGS = {"name": (1, 100), "project_name": (1, 50), "ecr_image_uri": (1, 2048)}


def _unauthorized() -> Response:
    return failure(401, "Invalid or expired API key")


def _validate(body: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for field, (low, high) in _STRINGS.items():
        value = body.get(field)
        if not isinstance(value, str) or not low <= len(value) <= high:
            errors[field] = ["Required" if value is None else f"String must be {low}..{high} chars"]
    values: dict[str, Any] = {}
    for field, (low, high, default) in _INTS.items():
        value = body.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[field] = [f"Number must be an integer between {low} and {high}"]
        values[field] = value
    architecture = body.get("architecture", "arm64")
    if architecture not in ("arm64", "x86_64"):
        errors["architecture"] = ["Invalid enum value. Expected 'arm64' | 'x86_64'"]
    env = body.get("environment_vars", {})
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        errors["environment_vars"] = ["Expected record of strings"]
    if errors:
        raise Reply(
            failure(400, "Invalid request data", details={"fieldErrors": errors, "formErrors": []})
        )
    values.update(
        architecture=architecture,
        environment_vars=env,
        health_check_path=body.get("health_check_path", "/health"),
        description=body.get("description"),
        image_tag=body.get("image_tag"),
        **{field: body[field] for field in _STRINGS},
    )
    return values


def _status(ctx: Ctx, container: Record) -> str:
    job = ctx.store.get("jobs", container["jobId"])
    done = 100 if job is None else jobs.progress(ctx.emu, job)
    return (
        "running"
        if done >= 100
        else "deploying"
        if done >= 60
        else "building"
        if done >= 25
        else "pending"
    )


def _view(ctx: Ctx, container: Record) -> dict[str, Any]:
    view = {k: v for k, v in container.items() if k not in {"accountId", "jobId"}}
    view["status"] = _status(ctx, container)
    return view


@group.route("/api/v1/containers", ["GET"], family=Family.FAILURE)
async def list_containers(ctx: Ctx) -> Response:
    """The caller's containers."""
    account = ctx.account_or(_unauthorized())
    owned = ctx.owned("containers", account)
    return JSONResponse({"success": True, "data": [_view(ctx, c) for c in owned]})


@group.route("/api/v1/containers", ["POST"], family=Family.FAILURE, limit="CRITICAL")
async def create_container(ctx: Ctx) -> Response:
    """Accept a deployment (202); it reaches `running` after `container_seconds`."""
    account = ctx.account_or(_unauthorized())
    body = await ctx.json_object(
        lambda reason: failure(400, "Invalid request data", details=reason)
    )
    values = _validate(body)
    cost = pricing.container_cost(values["desired_count"])
    ctx.charge(
        account,
        cost,
        f"Container deployment ({values['name']})",
        failure(
            402, f"Insufficient balance to deploy. Required: ${cost:.2f}", requiredCredits=cost
        ),
    )
    container_id = str(uuid.uuid4())
    job = jobs.create_job(
        ctx.emu,
        account["id"],
        "container_deployment",
        ctx.emu.config.container_seconds,
        {"containerId": container_id},
    )
    slug = re.sub(r"[^a-z0-9]+", "-", values["name"].lower()).strip("-") or "app"
    created = now_iso()
    container = ctx.store.put(
        "containers",
        container_id,
        {
            "id": container_id,
            "accountId": account["id"],
            "jobId": job["id"],
            **values,
            "load_balancer_url": f"{ctx.site_url}/containers/{slug}",
            "error_message": None,
            "created_at": created,
            "updated_at": created,
            "last_deployed_at": created,
        },
    )
    return JSONResponse(
        {
            "success": True,
            "data": _view(ctx, container),
            "message": "Container deployment started",
            "creditsDeducted": cost,
            "creditsRemaining": ledger.balance(ctx.store, account["id"]),
            "stackName": f"eliza-{slug}-{container_id[:8]}",
            "polling": {
                "endpoint": f"/api/v1/containers/{container_id}",
                "intervalMs": 10000,
                "expectedDurationMs": 600000,
            },
        },
        status_code=202,
    )


def _own_container(ctx: Ctx) -> Record:
    account = ctx.account_or(_unauthorized())
    return ctx.owned_one("containers", account, failure(404, "Container not found"))


@group.route("/api/v1/containers/{id}", ["GET"], family=Family.FAILURE)
async def get_container(ctx: Ctx) -> Response:
    """One container with its current status."""
    return JSONResponse({"success": True, "data": _view(ctx, _own_container(ctx))})


@group.route("/api/v1/containers/{id}", ["DELETE"], family=Family.FAILURE)
async def delete_container(ctx: Ctx) -> Response:
    """Delete a container."""
    ctx.store.delete("containers", _own_container(ctx)["id"])
    return JSONResponse({"success": True, "message": "Container deleted successfully"})


@group.route("/api/v1/jobs/{id}", ["GET"], family=Family.CANONICAL)
async def get_job(ctx: Ctx) -> Response:
    """A job's state; `polling.shouldContinue` until it is terminal."""
    account = ctx.account_or(
        canonical(401, "authentication_required", "Invalid or expired API key")
    )
    job = ctx.store.get("jobs", ctx.param("id"))
    if job is None or job["accountId"] != account["id"]:
        return canonical(404, "resource_not_found", "Job not found")
    view = jobs.public_view(ctx.emu, job)
    running = view["status"] in ("pending", "in_progress")
    interval = max(1, round(5000 / ctx.emu.config.speedup))  # emulated time, like every delay
    polling = (
        {"intervalMs": interval, "shouldContinue": True} if running else {"shouldContinue": False}
    )
    return JSONResponse({"success": True, "data": view, "polling": polling})
