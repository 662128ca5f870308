"""Route groups and the per-request context every emulator handler receives.

A route module creates a `RouteGroup` and declares its handlers with
`@group.route(path, methods, family=..., limit=...)`. The wrapper around each
handler does what the real server does around its route handlers, in order:
the edge auth check, the rate limiter (`limit` preset, headers on every answer,
429 when exhausted), then the handler; a `Reply` is the handler's early answer
and any other exception becomes the family's 500 body.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from eliza_tools.emulator import auth, ledger
from eliza_tools.emulator.core import Emulator
from eliza_tools.emulator.errors import Family, Reply, canonical
from eliza_tools.emulator.ratelimit import PRESETS, bucket_identity
from eliza_tools.emulator.store import Record, Store

logger = logging.getLogger("eliza_tools.emulator")


class Ctx:
    """What a handler gets: the request, the emulator and small helpers that answer early."""

    def __init__(self, request: Request, emu: Emulator) -> None:
        self.request = request
        self.emu = emu

    @property
    def store(self) -> Store:
        """The emulator's state."""
        return self.emu.store

    @property
    def site_url(self) -> str:
        """Absolute URL of the emulator's root, as the caller reached it (no trailing slash)."""
        return str(self.request.base_url).rstrip("/")

    def param(self, name: str) -> str:
        """A path parameter."""
        return str(self.request.path_params[name])

    def account_or(self, failure: Response) -> Record:
        """The caller's account, or answer with `failure` (the route's own 401 body)."""
        account = auth.authenticate(self.store, self.request)
        if account is None:
            raise Reply(failure)
        return account

    def owned(self, kind: str, account: Record) -> list[Record]:
        """The records of a kind that belong to an account, oldest first."""
        return [r for r in self.store.list(kind) if r.get("accountId") == account["id"]]

    def owned_one(self, kind: str, account: Record, not_found: Response) -> Record:
        """The record of kind at path parameter `id` if the account owns it, else `not_found`."""
        record = self.store.get(kind, self.param("id"))
        if record is None or record.get("accountId") != account["id"]:
            raise Reply(not_found)
        return record

    async def json_object(self, failure: Callable[[str], Response]) -> dict[str, Any]:
        """The JSON object body, or answer with `failure(reason)`."""
        try:
            body = json.loads(await self.request.body() or b"null")
        except ValueError:
            raise Reply(failure("Invalid JSON body")) from None
        if not isinstance(body, dict):
            raise Reply(failure("Request body must be a JSON object"))
        return body

    async def form(self, failure: Callable[[str], Response], **limits: int) -> FormData:
        """The multipart/urlencoded body, or answer with `failure(reason)`."""
        content_type = self.request.headers.get("content-type", "")
        if not content_type.startswith(
            ("multipart/form-data", "application/x-www-form-urlencoded")
        ):
            raise Reply(failure("Content-Type must be multipart/form-data"))
        try:
            return await self.request.form(**limits)
        except Exception as exc:
            raise Reply(failure(f"Invalid form data: {exc}")) from None

    def publish(self, name: str, content_type: str, data: bytes) -> str:
        """Store a generated file and return its absolute URL under `/files/`."""
        self.store.put_file(name, content_type, data)
        return f"{self.site_url}/files/{name}"

    def charge(self, account: Record, amount: float, what: str, failure: Response) -> None:
        """Debit the ledger, or answer with the route's own 402 `failure`."""
        if not ledger.charge(self.store, account["id"], amount, what):
            raise Reply(failure)


Handler = Callable[[Ctx], Awaitable[Response]]


@dataclass
class RouteSpec:
    """One declared route."""

    path: str
    methods: list[str]
    handler: Handler
    family: Family
    limit: str | None


def rate_limited(retry_after: int, limit: int, window: float) -> Response:
    """The 429 of `withRateLimit` (canonical body plus `retryAfter`)."""
    return canonical(
        429,
        "rate_limit_exceeded",
        "Too many requests",
        message=f"Rate limit exceeded. Maximum {limit} requests per {round(window)} seconds.",
        retryAfter=retry_after,
    )


def _endpoint(spec: RouteSpec) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        emu: Emulator = request.app.state.emulator
        edge = auth.edge_check(request)
        if edge is not None:
            return edge
        headers: dict[str, str] = {}
        if spec.limit is not None:
            decision = emu.limiter.hit(spec.limit, spec.path, bucket_identity(request))
            headers = decision.headers()
            if not decision.allowed:
                response = rate_limited(decision.retry_after, *PRESETS[spec.limit])
                response.headers.update({**headers, "Retry-After": str(decision.retry_after)})
                return response
        try:
            response = await spec.handler(Ctx(request, emu))
        except Reply as reply:
            response = reply.response
        except Exception:
            logger.exception("emulator route %s failed", spec.path)
            response = spec.family.internal()
        response.headers.update(headers)
        return response

    endpoint.__name__ = spec.handler.__name__
    return endpoint


@dataclass
class RouteGroup:
    """The routes of one API area; `create_app` mounts every group it is given."""

    name: str
    specs: list[RouteSpec] = field(default_factory=list)

    def route(
        self, path: str, methods: list[str], *, family: Family, limit: str | None = None
    ) -> Callable[[Handler], Handler]:
        """Declare a handler for `path` (Starlette syntax, e.g. `/api/v1/voice/{id}`)."""

        def register(handler: Handler) -> Handler:
            self.specs.append(RouteSpec(path, methods, handler, family, limit))
            return handler

        return register

    def routes(self) -> list[Route]:
        """Starlette routes for this group."""
        return [Route(s.path, _endpoint(s), methods=s.methods) for s in self.specs]
