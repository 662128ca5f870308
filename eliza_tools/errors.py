"""One exception tree for everything the client can raise.

The real server answers errors in six body families (see §0.2 of the API
reference): canonical `{success:false, error, code}`, a bare `{error}` string,
`{success:false, error}`, OpenAI `{error:{message,type,code}}`, Anthropic
`{type:"error", error:{type,message}}` and JSON-RPC `{error:{code,message}}`.
`error_from_response` reads them all, fixes the routes whose status code lies
(knowledge and apps answer auth failures with 500, `/messages` answers missing
credits with 429) and returns the one right exception class.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from eliza_tools.types.containers import Container

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BridgeError",
    "ConfigurationError",
    "ConflictError",
    "ContainerDeploymentError",
    "ElizaCloudError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidRequestError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "SandboxDownError",
    "ServiceUnavailableError",
    "error_from_response",
    "parse_error_body",
]


class ElizaCloudError(Exception):
    """Base class of every error raised by eliza_tools."""


class ConfigurationError(ElizaCloudError):
    """The client is not set up: no API key, a malformed base URL, ..."""


class InvalidRequestError(ElizaCloudError, ValueError):
    """An argument broke a limit of the API; raised before anything is sent."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class APIConnectionError(ElizaCloudError):
    """The server could not be reached, or the connection broke."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request took longer than its timeout."""


class APIStatusError(ElizaCloudError):
    """The server answered with an error status (or an error body)."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None = None,
        details: Any = None,
        body: Any = None,
        headers: httpx.Headers | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.details = details
        self.body = body
        self.headers = headers if headers is not None else httpx.Headers()

    def __str__(self) -> str:
        code = f" ({self.code})" if self.code else ""
        return f"HTTP {self.status_code}{code}: {self.message}"


class BadRequestError(APIStatusError):
    """400: the server rejected the arguments."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, malformed or revoked."""


class InsufficientCreditsError(APIStatusError):
    """402 (or a route's equivalent): the balance does not cover the call."""

    @property
    def required_usd(self) -> float | None:
        """The amount the server said the call needs, in USD, when it said."""
        return _find_number(self.body, ("required", "requiredCredits", "requiredBalance"))

    @property
    def balance_usd(self) -> float | None:
        """The balance the server reported, in USD, when it did."""
        return _find_number(self.body, ("currentBalance", "balance"))


class PermissionDeniedError(APIStatusError):
    """403: authenticated, but not allowed."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not visible to this key)."""


class ConflictError(APIStatusError):
    """409: the resource is in a state that forbids the call."""


class RequestTooLargeError(APIStatusError):
    """413: the upload is over the server's limit."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` says how long to wait, in seconds."""

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait, from `Retry-After` or the body's `retryAfter`."""
        header = self.headers.get("retry-after")
        if header is not None:
            try:
                return max(0.0, float(header))
            except ValueError:
                pass
        return _find_number(self.body, ("retryAfter",))


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class ServiceUnavailableError(InternalServerError):
    """503: the service (or the upstream provider) is not available now."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}

# The cloud's own JSON-RPC codes on /api/a2a.
_JSONRPC_CLASSES: dict[int, type[APIStatusError]] = {
    -32010: AuthenticationError,
    -32011: InsufficientCreditsError,
    -32012: RateLimitError,
    -32013: PermissionDeniedError,
    -32001: NotFoundError,
    -32601: NotFoundError,
    -32600: BadRequestError,
    -32602: BadRequestError,
    -32700: BadRequestError,
}

_CREDIT_CODES = frozenset(
    {
        "insufficient_credits",
        "insufficient_balance",
        "insufficient_quota",
        "insufficient_app_credits",
    }
)
_AUTH_CODES = frozenset(
    {
        "authentication_required",
        "invalid_credentials",
        "session_auth_required",
        "authentication_error",
    }
)
_AUTH_HINTS = (
    "unauthorized",
    "authentication required",
    "invalid api key",
    "api key is invalid",
    "invalid authentication",
    "not authenticated",
)


def _find_number(body: Any, keys: tuple[str, ...]) -> float | None:
    """Look for a numeric field at the top of the body or under `details`."""
    for scope in (body, body.get("details") if isinstance(body, dict) else None):
        if not isinstance(scope, dict):
            continue
        for key in keys:
            value = scope.get(key)
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                return float(value)
    return None


def parse_error_body(body: Any) -> tuple[str | None, str | None, Any, int | None]:
    """Return (message, code, details, jsonrpc_code) from any of the six body families."""
    if not isinstance(body, dict):
        text = body.strip() if isinstance(body, str) else None
        return (text or None), None, None, None
    error = body.get("error")
    details = body.get("details")
    if isinstance(error, str):  # canonical, bare string, success:false
        code = body.get("code") if isinstance(body.get("code"), str) else None
        return error, code, details, None
    if isinstance(error, dict):
        message = error.get("message")
        message = message if isinstance(message, str) else None
        raw_code = error.get("code")
        if isinstance(raw_code, int) and not isinstance(raw_code, bool):  # JSON-RPC
            return message, str(raw_code), error.get("data", details), raw_code
        if body.get("type") == "error":  # Anthropic
            return message, error.get("type"), details, None
        # OpenAI: prefer the specific `code`, fall back to `type`.
        code = raw_code if isinstance(raw_code, str) else error.get("type")
        return message, code, error.get("param", details), None
    message = body.get("message")
    return (message if isinstance(message, str) else None), None, details, None


def _looks_like_auth_failure(message: str | None, details: Any) -> bool:
    text = " ".join(str(part) for part in (message, details) if part).lower()
    return any(hint in text for hint in _AUTH_HINTS)


def _error_class(
    status: int, code: str | None, jsonrpc_code: int | None, message: str | None, details: Any
) -> type[APIStatusError]:
    if jsonrpc_code is not None and jsonrpc_code in _JSONRPC_CLASSES:
        return _JSONRPC_CLASSES[jsonrpc_code]
    lowered_code = (code or "").lower()
    if lowered_code in _CREDIT_CODES:
        return InsufficientCreditsError
    if status == 429 and "credit" in (message or "").lower():
        return InsufficientCreditsError  # /api/v1/messages says "rate_limit_error" for no credits
    if lowered_code in _AUTH_CODES:
        return AuthenticationError
    if status == 500 and _looks_like_auth_failure(message, details):
        return AuthenticationError  # knowledge/* and apps answer auth failures with 500
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if status >= 500:
        return InternalServerError
    return APIStatusError


def decode_body(content: bytes) -> Any:
    """Decode a response body as JSON when it is JSON, else as text."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


def error_from_response(
    status_code: int, content: bytes, headers: httpx.Headers | None = None
) -> APIStatusError:
    """Build the right exception for an error response (any of the six body families)."""
    body = decode_body(content)
    message, code, details, jsonrpc_code = parse_error_body(body)
    cls = _error_class(status_code, code, jsonrpc_code, message, details)
    text = message or (f"HTTP {status_code}" if not isinstance(body, str) else body[:200])
    if isinstance(details, str) and details and details not in text:
        text = f"{text}: {details}"
    return cls(
        text, status_code=status_code, code=code, details=details, body=body, headers=headers
    )


class BridgeError(ElizaCloudError):
    """A cloud agent's bridge answered with a JSON-RPC error.

    The bridge answers HTTP 200 even when the call failed, so the transport sees
    success; the resource reads the JSON-RPC `error` and raises this instead.
    `code` is the JSON-RPC code (None for an SSE `error` event, which has none).
    """

    def __init__(self, message: str, *, code: int | None, data: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.data = data

    def __str__(self) -> str:
        code = f" {self.code}" if self.code is not None else ""
        return f"bridge error{code}: {self.message}"


class SandboxDownError(BridgeError):
    """-32000: the agent's sandbox is not running or did not answer (provision or resume it)."""


class JobFailedError(ElizaCloudError):
    """A server job (`GET /api/v1/jobs/{id}`) ended in `failed`."""

    def __init__(self, message: str, *, job_id: str, status: str, error: Any = None) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.status = status
        self.error = error


class JobTimeoutError(ElizaCloudError, TimeoutError):
    """A job was still running when the caller's wait ran out; it may still complete."""

    def __init__(self, message: str, *, job_id: str, status: str, waited: float) -> None:
        super().__init__(message)
        self.job_id = job_id
        self.status = status
        self.waited = waited


class ContainerDeploymentError(ElizaCloudError):
    """A deployment ended in a state other than `running` (failed, stopped, ...)."""

    def __init__(self, container: Container) -> None:
        reason = f": {container.error_message}" if container.error_message else ""
        super().__init__(f"container {container.id} is {container.status}{reason}")
        self.container = container
