"""`create_app`: an A2A agent as a Starlette app.

One JSON-RPC endpoint answers all four dialects on the same URL: 1.0 by method name plus the
`A2A-Version: 1.0` header, 0.3 / elizaOS Cloud / 0.1 by method name (and message shape). The
card is served at `/.well-known/agent-card.json` (1.0) and `/.well-known/agent.json` (the same
card plus the 0.3/0.1 fields), with `ETag`, `Last-Modified` and `Cache-Control: max-age` (a
matching `If-None-Match` gets 304). JSON-RPC errors are answered with HTTP 200 (401 for missing
credentials, 413 for an oversized body); nothing the client sends produces a 500.

Content-Type: a JSON-RPC request body must be JSON. A declared non-JSON type (`text/plain`,
a form...) is -32005 ContentTypeNotSupported before the body is read; `application/json` and
`application/a2a+json` (with any parameters) are accepted, as are the older JSON-RPC-over-HTTP
names `application/json-rpc` and `application/jsonrequest`. A request with no Content-Type
is parsed as JSON: the spec names the type the client sends but no check by the server, and
the official SDK (1.3) checks nothing, so such clients exist.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.utils import formatdate
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from a2a.dialects import V0_1, V0_3, V1_0, Dialect, Op, get_dialect, legacy_card, resolve_method
from a2a.jsonrpc import (
    A2AError,
    AuthenticationRequiredError,
    ContentTypeNotSupportedError,
    InternalError,
    InvalidRequestError,
    UnsupportedOperationError,
    dumps,
    error_object,
    error_response,
    parse_request,
    success_response,
)
from a2a.server.agent import Agent, AgentFunction, as_agent
from a2a.server.auth import ANONYMOUS, Verifier
from a2a.server.push import PushSender
from a2a.server.sse import frame, sse_response
from a2a.server.task_manager import Item, TaskManager
from a2a.stores.base import INTERRUPTED_REASON, TaskStore
from a2a.stores.sqlite import SQLiteTaskStore
from a2a.types import (
    AgentCard,
    AgentInterface,
    Task,
    TaskStatusUpdateEvent,
    ends_stream,
)

log = logging.getLogger("a2a.server")

CARD_PATH = "/.well-known/agent-card.json"
LEGACY_CARD_PATH = "/.well-known/agent.json"
DEFAULT_MAX_BODY = 1_048_576
JSON = "application/json"
JSON_REQUEST_TYPES = frozenset(
    {JSON, "application/a2a+json", "application/json-rpc", "application/jsonrequest"}
)
CARD_MAX_AGE = 300
_STREAM_OPS = (Op.STREAM, Op.SUBSCRIBE)


class BodyTooLargeError(InvalidRequestError):
    """The request body is over the server's limit (HTTP 413)."""

    http_status = 413


def check_content_type(header: str | None) -> None:
    """Refuse a request body declared as something other than JSON (none declared is fine)."""
    if not header:
        return
    media_type = header.split(";", 1)[0].strip().lower()
    if media_type not in JSON_REQUEST_TYPES:
        raise ContentTypeNotSupportedError(
            f"Content-Type {media_type!r} is not supported: send the JSON-RPC request as "
            "application/json (or application/a2a+json)"
        )


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an `If-None-Match` header names this entity (weak comparison, RFC 9110 13.1.2)."""
    candidates = [candidate.strip() for candidate in if_none_match.split(",")]
    return "*" in candidates or any(
        candidate.removeprefix("W/") == etag.removeprefix("W/") for candidate in candidates
    )


class CachedCard:
    """One rendering of the card and its validators."""

    def __init__(self, body: bytes, last_modified: str) -> None:
        self.body = body
        self.headers = {
            "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            "Last-Modified": last_modified,
            "Cache-Control": f"public, max-age={CARD_MAX_AGE}",
        }


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes without reading them all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit():
        if int(declared) > limit:
            raise BodyTooLargeError(f"Request body is larger than {limit} bytes")
        # The server (uvicorn, h11) stops at the declared length: read it in one go.
        return await request.body()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(f"Request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class A2AEndpoint:
    """The JSON-RPC endpoint and the card routes of one agent."""

    def __init__(
        self,
        manager: TaskManager,
        card: AgentCard,
        auth: Verifier | None,
        *,
        rpc_path: str,
        max_body_bytes: int,
        keepalive: float,
    ) -> None:
        self.manager = manager
        self.card = card
        self.auth = auth
        self.rpc_path = rpc_path
        self.max_body_bytes = max_body_bytes
        self.keepalive = keepalive
        self._cards: dict[tuple[str, str], CachedCard] = {}
        # The card is fixed for the life of the app: it was last modified when the app started.
        self._card_modified = formatdate(usegmt=True)

    # -- cards -------------------------------------------------------------------------
    def card_for(self, request: Request) -> AgentCard:
        """The card, with interfaces at this server's URL when the card declares none."""
        if self.card.supported_interfaces:
            return self.card
        url = str(request.base_url).rstrip("/") + self.rpc_path
        interfaces = [
            AgentInterface(url=url, protocol_version="1.0"),
            AgentInterface(url=url, protocol_version="0.3"),
        ]
        return self.card.model_copy(update={"supported_interfaces": interfaces})

    async def serve_card(self, request: Request) -> Response:
        """The card (1.0, or with the legacy fields at the legacy path); 304 when the client's
        `If-None-Match` names the one it has."""
        key = (request.url.path, str(request.base_url))
        cached = self._cards.get(key)
        if cached is None:
            card = self.card_for(request)
            wire = legacy_card(card) if request.url.path == LEGACY_CARD_PATH else card.to_wire()
            cached = self._cards[key] = CachedCard(dumps(wire), self._card_modified)
        if_none_match = request.headers.get("if-none-match")
        if if_none_match and etag_matches(if_none_match, cached.headers["ETag"]):
            return Response(status_code=304, headers=cached.headers)
        return Response(cached.body, media_type=JSON, headers=cached.headers)

    # -- JSON-RPC ------------------------------------------------------------------------
    async def rpc(self, request: Request) -> Response:
        """Answer one JSON-RPC request: authenticate, pick the dialect, then reply or stream."""
        principal = ANONYMOUS
        if self.auth is not None:
            found = await self.auth(request)
            if found is None:
                error = AuthenticationRequiredError("Missing or invalid credentials")
                return self._error(None, error, V1_0, status=401, www_auth=True)
            principal = found
        version = request.headers.get("a2a-version") or request.query_params.get("A2A-Version")
        dialect: Dialect = V1_0 if version == "1.0" else V0_3
        request_id: Any = None
        try:
            check_content_type(request.headers.get("content-type"))
            body = await read_body(request, self.max_body_bytes)
            parsed = parse_request(body)
            request_id = parsed.id
            if parsed.method in V1_0.methods.values():
                dialect = V1_0
            dialect, op = resolve_method(parsed.method, version, parsed.params)
            dialect = await self._task_dialect(dialect, op, principal, parsed.params)
            if op in _STREAM_OPS:
                return await self._stream(
                    request, principal, dialect, op, parsed.params, request_id
                )
            result = await self._call(principal, dialect, op, parsed.params)
            return Response(dumps(success_response(request_id, result)), media_type=JSON)
        except A2AError as exc:
            rid = exc.request_id if exc.request_id is not None else request_id
            status = exc.http_status if isinstance(exc, BodyTooLargeError) else 200
            return self._error(rid, exc, dialect, status=status)
        except Exception:
            log.exception("unexpected error answering a JSON-RPC request")
            return self._error(request_id, InternalError(), dialect)

    def _error(
        self,
        request_id: Any,
        exc: A2AError,
        dialect: Dialect,
        *,
        status: int = 200,
        www_auth: bool = False,
    ) -> Response:
        body = error_response(request_id, error_object(exc, with_error_info=dialect.error_info))
        headers = {"WWW-Authenticate": 'Bearer realm="a2a"'} if www_auth else None
        return Response(dumps(body), status_code=status, media_type=JSON, headers=headers)

    async def _task_dialect(
        self, dialect: Dialect, op: Op, principal: str, params: dict[str, Any]
    ) -> Dialect:
        # tasks/get, tasks/cancel and tasks/resubscribe are shared by 0.1, 0.3 and the cloud
        # variant: answer in the dialect the task was created in.
        if dialect is not V0_3 or op not in (Op.GET, Op.CANCEL, Op.SUBSCRIBE):
            return dialect
        task_id = params.get("id")
        if not isinstance(task_id, str):
            return dialect
        created = await self.manager.task_dialect(principal, task_id)
        return get_dialect(created) if created in ("0.1", "elizacloud") else dialect

    async def _call(self, principal: str, dialect: Dialect, op: Op, params: dict[str, Any]) -> Any:
        manager = self.manager
        if op is Op.SEND:
            result = await manager.send(principal, dialect.name, dialect.decode_send(params))
            return dialect.encode_send_result(result)
        if op is Op.GET:
            task = await manager.get_task(principal, dialect.decode_task_query(params))
            return dialect.encode_task(task)
        if op is Op.CANCEL:
            task = await manager.cancel(principal, dialect.decode_task_query(params))
            return dialect.encode_task(task)
        if op is Op.LIST:
            page = await manager.list_tasks(principal, dialect.decode_list(params))
            return dialect.encode_list_result(page)
        if op is Op.PUSH_SET:
            config = dialect.decode_push_config(params)
            stored = await manager.set_push_config(principal, dialect.name, config)
            return dialect.encode_push_config(stored)
        if op is Op.PUSH_GET:
            found = await manager.get_push_config(principal, dialect.decode_push_query(params))
            return dialect.encode_push_config(found)
        if op is Op.PUSH_LIST:
            configs = await manager.list_push_configs(principal, dialect.decode_push_query(params))
            return dialect.encode_push_list_result(configs)
        if op is Op.PUSH_DELETE:
            await manager.delete_push_config(principal, dialect.decode_push_query(params))
            return {} if dialect is V1_0 else None
        raise UnsupportedOperationError(f"{op.value} is not supported by this agent")

    async def _stream(
        self,
        request: Request,
        principal: str,
        dialect: Dialect,
        op: Op,
        params: dict[str, Any],
        request_id: Any,
    ) -> Response:
        if self.card.capabilities.streaming is False:
            raise UnsupportedOperationError("This agent does not stream")
        if op is Op.STREAM:
            items = await self.manager.stream(principal, dialect.name, dialect.decode_send(params))
        else:
            last = request.headers.get("last-event-id", "")
            after = int(last) if last.isdigit() else None
            query = dialect.decode_task_query(params)
            items = await self.manager.subscribe(principal, query, after)
        return sse_response(self._frames(items, dialect, request_id), self.keepalive)

    async def _frames(
        self, items: AsyncIterator[Item], dialect: Dialect, request_id: Any
    ) -> AsyncIterator[bytes]:
        try:
            async for seq, event in items:
                final = ends_stream(event)
                if dialect is V0_1 and isinstance(event, Task):
                    # 0.1 streams carry only status and artifact events.
                    event = TaskStatusUpdateEvent(
                        task_id=event.id, context_id=event.context_id, status=event.status
                    )
                result = dialect.encode_event(event, final=final and dialect.final_flag)
                yield frame(dumps(success_response(request_id, result)), seq)
                if final:
                    return
        except A2AError as exc:
            body = error_object(exc, with_error_info=dialect.error_info)
            yield frame(dumps(error_response(request_id, body)))
        except Exception:
            log.exception("stream failed")
            body = error_object(InternalError(), with_error_info=dialect.error_info)
            yield frame(dumps(error_response(request_id, body)))
        finally:
            aclose = getattr(items, "aclose", None)
            if aclose is not None:
                await aclose()


def create_app(
    agent: Agent | AgentFunction,
    card: AgentCard,
    store: TaskStore | str | Path | None = None,
    auth: Verifier | None = None,
    *,
    allow_private_push: bool = False,
    push_sender: PushSender | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    rpc_path: str = "/",
    replay_window: float = 60.0,
    keepalive: float = 15.0,
) -> Starlette:
    """Serve an agent over A2A.

    - `agent`: an object with `async execute(context, updater)` or such a function.
    - `card`: the agent card; when it lists no interfaces, the server's own URL is filled in
      (1.0 and 0.3 JSON-RPC). Streaming and push notifications are on unless the card's
      capabilities say `False`.
    - `store`: a TaskStore, or a path for a SQLite store; default `a2a_tasks.sqlite3` in the
      working directory (tasks survive a restart).
    - `auth`: a verifier (`api_key_auth`, `bearer_auth` or any async callable) giving each
      caller a principal; callers only see their own tasks.
    - `allow_private_push`: allow push webhooks on private/loopback/link-local hosts.
    """
    if store is None or isinstance(store, str | Path):
        store = SQLiteTaskStore(store or "a2a_tasks.sqlite3")
    capabilities = card.capabilities.model_copy(
        update={
            "streaming": card.capabilities.streaming is not False,
            "push_notifications": card.capabilities.push_notifications is not False,
        }
    )
    card = card.model_copy(update={"capabilities": capabilities})
    sender = push_sender or PushSender(allow_private=allow_private_push)
    manager = TaskManager(
        as_agent(agent),
        store,
        push_sender=sender,
        push_enabled=bool(capabilities.push_notifications),
        replay_window=replay_window,
    )
    endpoint = A2AEndpoint(
        manager,
        card,
        auth,
        rpc_path=rpc_path,
        max_body_bytes=max_body_bytes,
        keepalive=keepalive,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Tasks a killed process left running are failed with a reason, not left "working".
        recovered = await store.recover(INTERRUPTED_REASON)
        if recovered:
            log.warning("%d interrupted task(s) marked failed", recovered)
        yield
        manager.close()
        await sender.close()
        await store.close()

    app = Starlette(
        routes=[
            Route(CARD_PATH, endpoint.serve_card, methods=["GET"]),
            Route(LEGACY_CARD_PATH, endpoint.serve_card, methods=["GET"]),
            Route(rpc_path, endpoint.rpc, methods=["POST"]),
        ],
        lifespan=lifespan,
    )
    app.state.a2a_manager = manager
    app.state.a2a_endpoint = endpoint
    return app
