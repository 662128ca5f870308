"""Error bodies of the real server, one builder per body family (API reference §0.2).

A handler stops early by raising `Reply(response)`; the route wrapper turns any
other exception into the route family's 500 answer (`Family.internal`), so a
bad request never yields Starlette's default traceback page.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response


class Reply(Exception):
    """Raised by a handler to answer at once with `response`."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def bare(status: int, error: str, **extra: Any) -> JSONResponse:
    """`{"error": "<msg>", ...extra}` (images, video, voice, knowledge, discovery, cli-session)."""
    return JSONResponse({"error": error, **extra}, status_code=status)


def failure(status: int, error: str, **extra: Any) -> JSONResponse:
    """`{"success": false, "error": "<msg>", ...extra}` (agents, containers, my-agents)."""
    return JSONResponse({"success": False, "error": error, **extra}, status_code=status)


def canonical(status: int, code: str, error: str, **extra: Any) -> JSONResponse:
    """The `ApiError` shape `{"success": false, "error", "code", ...}` (edge, credits, jobs)."""
    return JSONResponse(
        {"success": False, "error": error, "code": code, **extra}, status_code=status
    )


def openai_error(
    status: int, message: str, type_: str, code: str | None = None, param: str | None = None
) -> JSONResponse:
    """OpenAI style `{"error": {"message", "type", "code"?, "param"?}}` (chat, embeddings)."""
    error: dict[str, Any] = {"message": message, "type": type_}
    if code is not None:
        error["code"] = code
    if param is not None:
        error["param"] = param
    return JSONResponse({"error": error}, status_code=status)


def jsonrpc_error(
    status: int, rpc_id: Any, code: int, message: str, data: Any = None
) -> JSONResponse:
    """JSON-RPC 2.0 error with the non-200 HTTP status the cloud uses."""
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return JSONResponse({"jsonrpc": "2.0", "error": error, "id": rpc_id}, status_code=status)


class Family(Enum):
    """The body family a route answers in; decides the shape of its unexpected 500."""

    BARE = "bare"
    FAILURE = "failure"
    CANONICAL = "canonical"
    OPENAI = "openai"
    JSONRPC = "jsonrpc"
    # Routes without a try/catch on the real server: Next's own plain 500.
    UNCAUGHT = "uncaught"

    def internal(self, message: str = "Internal server error") -> Response:
        """The 500 answer this family gives when a handler throws."""
        if self is Family.BARE:
            return bare(500, message)
        if self is Family.FAILURE:
            return failure(500, message)
        if self is Family.CANONICAL:
            return canonical(500, "internal_error", message)
        if self is Family.OPENAI:
            return openai_error(500, message, "api_error")
        if self is Family.JSONRPC:
            return jsonrpc_error(500, None, -32603, "Internal error")
        return PlainTextResponse("Internal Server Error", status_code=500)
