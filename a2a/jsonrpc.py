"""JSON-RPC 2.0 envelopes and the A2A error codes of every version, as typed exceptions.

Codes -32001..-32005 mean the same thing from 0.1 to 1.0. -32006..-32009 changed meaning
(0.1's documentation used them for other errors), so decoding an error takes the dialect
version into account. The elizaOS Cloud adds -32010..-32013. 1.0 errors carry
`data: [google.rpc.ErrorInfo]`; the other versions carry a free-form `data`.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

JSONRPC_VERSION = "2.0"
ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo"
ERROR_DOMAIN = "a2a-protocol.org"

RequestId = str | int | None


class A2AError(Exception):
    """Base of every A2A protocol error; `code` is the JSON-RPC error code."""

    code: ClassVar[int] = -32603
    reason: ClassVar[str] = "INTERNAL"
    http_status: ClassVar[int] = 500
    default_message: ClassVar[str] = "Internal error"

    def __init__(
        self, message: str | None = None, *, data: Any = None, request_id: RequestId = None
    ) -> None:
        self.message = message or self.default_message
        self.data = data
        # Set when the error was found after the request id could be read (answer with it).
        self.request_id = request_id
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, message={self.message!r})"


class JSONRPCParseError(A2AError):
    """The body is not JSON."""

    code, reason, http_status, default_message = -32700, "PARSE_ERROR", 400, "Parse error"


class InvalidRequestError(A2AError):
    """The body is JSON but not a JSON-RPC 2.0 request."""

    code, reason, http_status, default_message = -32600, "INVALID_REQUEST", 400, "Invalid request"


class MethodNotFoundError(A2AError):
    """The method does not exist (in this dialect)."""

    code, reason, http_status, default_message = -32601, "METHOD_NOT_FOUND", 404, "Method not found"


class InvalidParamsError(A2AError):
    """The params are missing or malformed; the message names the field."""

    code, reason, http_status, default_message = -32602, "INVALID_ARGUMENT", 400, "Invalid params"


class InternalError(A2AError):
    """The server failed."""


class TaskNotFoundError(A2AError):
    """No task with that id (or not one the caller may see)."""

    code, reason, http_status, default_message = -32001, "TASK_NOT_FOUND", 404, "Task not found"


class TaskNotCancelableError(A2AError):
    """The task is already in a terminal state."""

    code, reason, http_status = -32002, "TASK_NOT_CANCELABLE", 400
    default_message = "Task cannot be canceled"


class PushNotificationNotSupportedError(A2AError):
    """The agent does not do push notifications."""

    code, reason, http_status = -32003, "PUSH_NOTIFICATION_NOT_SUPPORTED", 400
    default_message = "Push Notification is not supported"


class UnsupportedOperationError(A2AError):
    """The operation is not supported (or not in the task's current state)."""

    code, reason, http_status = -32004, "UNSUPPORTED_OPERATION", 400
    default_message = "This operation is not supported"


class ContentTypeNotSupportedError(A2AError):
    """None of the requested media types is supported."""

    code, reason, http_status = -32005, "CONTENT_TYPE_NOT_SUPPORTED", 400
    default_message = "Incompatible content types"


class InvalidAgentResponseError(A2AError):
    """The agent answered with something the protocol does not allow."""

    code, reason, http_status = -32006, "INVALID_AGENT_RESPONSE", 500
    default_message = "Invalid agent response"


class ExtendedAgentCardNotConfiguredError(A2AError):
    """There is no extended agent card."""

    code, reason, http_status = -32007, "EXTENDED_AGENT_CARD_NOT_CONFIGURED", 400
    default_message = "Extended agent card not configured"


class ExtensionSupportRequiredError(A2AError):
    """The agent requires an extension the client did not declare."""

    code, reason, http_status = -32008, "EXTENSION_SUPPORT_REQUIRED", 400
    default_message = "Extension support required"


class VersionNotSupportedError(A2AError):
    """The protocol version (A2A-Version header) is not supported for this method."""

    code, reason, http_status = -32009, "VERSION_NOT_SUPPORTED", 400
    default_message = "Protocol version not supported"


class AuthenticationRequiredError(A2AError):
    """No or bad credentials (elizaOS Cloud -32010; also our server's HTTP 401)."""

    code, reason, http_status = -32010, "UNAUTHENTICATED", 401
    default_message = "Authentication required"


class InsufficientCreditsError(A2AError):
    """elizaOS Cloud: the organisation has no credits left (-32011)."""

    code, reason, http_status = -32011, "INSUFFICIENT_CREDITS", 402
    default_message = "Insufficient credits"


class RateLimitedError(A2AError):
    """elizaOS Cloud: too many requests (-32012)."""

    code, reason, http_status, default_message = -32012, "RATE_LIMITED", 429, "Rate limit exceeded"


class AgentBannedError(A2AError):
    """elizaOS Cloud: the agent or organisation is banned (-32013)."""

    code, reason, http_status, default_message = -32013, "AGENT_BANNED", 403, "Agent banned"


class StreamingNotSupportedError(A2AError):
    """0.1 documentation only: -32006 meant streaming not supported."""

    code, reason, http_status = -32006, "STREAMING_NOT_SUPPORTED", 400
    default_message = "Streaming is not supported"


class AuthorizationFailedError(A2AError):
    """0.1 documentation only: -32008 meant authorization failed."""

    code, reason, http_status, default_message = -32008, "PERMISSION_DENIED", 403, "Forbidden"


class InvalidTaskStateError(A2AError):
    """0.1 documentation only: -32009 meant the task is in the wrong state."""

    code, reason, http_status, default_message = -32009, "INVALID_TASK_STATE", 400, "Bad state"


_COMMON: tuple[type[A2AError], ...] = (
    JSONRPCParseError,
    InvalidRequestError,
    MethodNotFoundError,
    InvalidParamsError,
    InternalError,
    TaskNotFoundError,
    TaskNotCancelableError,
    PushNotificationNotSupportedError,
    UnsupportedOperationError,
    ContentTypeNotSupportedError,
)
_MODERN = (
    InvalidAgentResponseError,
    ExtendedAgentCardNotConfiguredError,
    ExtensionSupportRequiredError,
    VersionNotSupportedError,
)
_V0_1 = (
    StreamingNotSupportedError,
    AuthenticationRequiredError,
    AuthorizationFailedError,
    InvalidTaskStateError,
)
_CLOUD = (AuthenticationRequiredError, InsufficientCreditsError, RateLimitedError, AgentBannedError)


def _table(*classes: type[A2AError]) -> dict[int, type[A2AError]]:
    table: dict[int, type[A2AError]] = {}
    for cls in classes:
        table[cls.code] = cls
    return table


# 0.1's AuthenticationRequired is -32007 in its documentation; ours is -32010, so map by code.
_V0_1_TABLE = {
    **_table(*_COMMON),
    -32006: StreamingNotSupportedError,
    -32007: AuthenticationRequiredError,
}
_V0_1_TABLE.update({-32008: AuthorizationFailedError, -32009: InvalidTaskStateError})
ERROR_TABLES: dict[str, dict[int, type[A2AError]]] = {
    "1.0": _table(*_COMMON, *_MODERN),
    "0.3": _table(*_COMMON, *_MODERN),
    "elizacloud": _table(*_COMMON, *_MODERN, *_CLOUD),
    "0.1": _V0_1_TABLE,
}


def error_from_payload(error: Any, version: str = "1.0") -> A2AError:
    """Turn a JSON-RPC `error` object into the typed exception of that dialect version.

    `data` may be an array (1.0 ErrorInfo), an object or null; it is kept as is.
    Unknown codes become a plain `A2AError` carrying the code the server sent.
    """
    if not isinstance(error, dict):
        return InternalError(f"Malformed JSON-RPC error: {error!r}")
    code = error.get("code")
    message = error.get("message")
    text = message if isinstance(message, str) else None
    cls = (
        ERROR_TABLES.get(version, ERROR_TABLES["1.0"]).get(code) if isinstance(code, int) else None
    )
    if cls is None:
        exc = A2AError(text or f"JSON-RPC error {code}", data=error.get("data"))
        exc.code = code if isinstance(code, int) else -32603  # type: ignore[misc]
        return exc
    return cls(text, data=error.get("data"))


def error_info(exc: A2AError) -> list[dict[str, Any]]:
    """The 1.0 `error.data`: a one-element array holding a google.rpc.ErrorInfo."""
    return [
        {"@type": ERROR_INFO_TYPE, "reason": exc.reason, "domain": ERROR_DOMAIN, "metadata": {}}
    ]


def error_object(exc: A2AError, *, with_error_info: bool) -> dict[str, Any]:
    """The JSON-RPC `error` member for an exception (1.0 adds the ErrorInfo array)."""
    body: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if with_error_info:
        body["data"] = error_info(exc)
    elif exc.data is not None:
        body["data"] = exc.data
    return body


def success_response(request_id: RequestId, result: Any) -> dict[str, Any]:
    """A JSON-RPC success envelope."""
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "result": result}


def error_response(request_id: RequestId, error: dict[str, Any]) -> dict[str, Any]:
    """A JSON-RPC error envelope."""
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "error": error}


def make_request(method: str, params: Any, request_id: RequestId) -> dict[str, Any]:
    """A JSON-RPC request envelope."""
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "method": method, "params": params}


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON (the one serialiser used on the wire)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class ParsedRequest:
    """A validated JSON-RPC request: id, method and params (a dict, possibly empty)."""

    __slots__ = ("id", "method", "params")

    def __init__(self, request_id: RequestId, method: str, params: dict[str, Any]) -> None:
        self.id = request_id
        self.method = method
        self.params = params


def parse_request(body: bytes) -> ParsedRequest:
    """Validate a JSON-RPC 2.0 request body.

    Raises `JSONRPCParseError` for bad JSON and `InvalidRequestError` for a bad envelope;
    the caller answers those with `id: null` unless the id could be read.
    """
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than the parser goes is a parse error, not a crash.
        raise JSONRPCParseError(f"Parse error: {exc}") from None
    if not isinstance(payload, dict):
        raise InvalidRequestError("Request must be a JSON object (batches are not supported)")
    request_id = payload.get("id")
    if request_id is not None and (
        isinstance(request_id, bool) or not isinstance(request_id, str | int)
    ):
        raise InvalidRequestError("id must be a string, a number or null")
    if payload.get("jsonrpc") != JSONRPC_VERSION:
        raise InvalidRequestError('jsonrpc must be "2.0"', request_id=request_id)
    method = payload.get("method")
    if not isinstance(method, str) or not method:
        raise InvalidRequestError("method must be a non-empty string", request_id=request_id)
    params = payload.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise InvalidParamsError("params must be an object", request_id=request_id)
    return ParsedRequest(request_id, method, params)
