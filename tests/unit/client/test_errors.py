"""Every error body family and route quirk of the real server maps to the right class."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from eliza_tools.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ServiceUnavailableError,
    error_from_response,
)


def _err(status: int, body: Any, headers: dict[str, str] | None = None) -> APIStatusError:
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return error_from_response(status, content, httpx.Headers(headers or {}))


@pytest.mark.parametrize(
    ("status", "body", "cls", "code", "message"),
    [
        # canonical ApiError
        (
            401,
            {
                "success": False,
                "error": "Invalid authentication token",
                "code": "authentication_required",
            },
            AuthenticationError,
            "authentication_required",
            "Invalid authentication token",
        ),
        # bare string
        (400, {"error": "Prompt is required"}, BadRequestError, None, "Prompt is required"),
        # success:false string
        (
            404,
            {"success": False, "error": "Agent not found"},
            NotFoundError,
            None,
            "Agent not found",
        ),
        # OpenAI style
        (
            400,
            {
                "error": {
                    "message": "model is required",
                    "type": "invalid_request_error",
                    "code": "missing_required_parameter",
                    "param": "model",
                }
            },
            BadRequestError,
            "missing_required_parameter",
            "model is required",
        ),
        # Anthropic style
        (
            403,
            {"type": "error", "error": {"type": "permission_error", "message": "nope"}},
            PermissionDeniedError,
            "permission_error",
            "nope",
        ),
        # JSON-RPC with a non-200 status
        (
            404,
            {
                "jsonrpc": "2.0",
                "error": {"code": -32601, "message": "Method not found: tasks/send"},
                "id": 1,
            },
            NotFoundError,
            "-32601",
            "Method not found: tasks/send",
        ),
        (
            409,
            {"success": False, "error": "Agent is provisioning"},
            ConflictError,
            None,
            "Agent is provisioning",
        ),
        (
            413,
            {"error": "Upload too large", "details": "6 MB > 5 MB"},
            RequestTooLargeError,
            None,
            "Upload too large: 6 MB > 5 MB",
        ),
        (
            503,
            {"error": "Video generation service is not configured"},
            ServiceUnavailableError,
            None,
            "Video generation service is not configured",
        ),
        (502, "<html>Bad gateway</html>", InternalServerError, None, "<html>Bad gateway</html>"),
    ],
)
def test_body_families(status: int, body: Any, cls: type, code: str | None, message: str) -> None:
    error = _err(status, body)
    assert type(error) is cls
    assert error.status_code == status
    assert error.code == code
    assert error.message == message
    assert error.body == body


@pytest.mark.parametrize(
    ("status", "body", "required"),
    [
        (402, {"error": "Insufficient credits for image generation", "required": 0.04}, 0.04),
        (
            402,
            {
                "error": "Insufficient balance",
                "details": {"required": 0.42, "cloneType": "instant"},
            },
            0.42,
        ),
        (
            402,
            {
                "error": {
                    "message": "Insufficient credits. Required: $0.0123",
                    "type": "insufficient_quota",
                    "code": "insufficient_credits",
                }
            },
            None,
        ),
        (
            402,
            {
                "error": {
                    "message": "Insufficient balance",
                    "type": "insufficient_quota",
                    "code": "insufficient_balance",
                }
            },
            None,
        ),
        (402, {"success": False, "error": "Insufficient balance", "requiredCredits": 1.5}, 1.5),
        (
            402,
            {
                "jsonrpc": "2.0",
                "error": {"code": -32011, "message": "Insufficient credits"},
                "id": 1,
            },
            None,
        ),
        (
            402,
            {"success": False, "error": "Insufficient credits", "code": "insufficient_credits"},
            None,
        ),
        (
            402,
            {
                "success": False,
                "error": "A minimum balance of $5.00 is required",
                "requiredBalance": 5,
                "currentBalance": 1.2,
            },
            5.0,
        ),
        # /api/v1/messages: no credits is a 429 rate_limit_error
        (
            429,
            {
                "type": "error",
                "error": {"type": "rate_limit_error", "message": "Insufficient credits"},
            },
            None,
        ),
    ],
)
def test_every_insufficient_credits_shape(status: int, body: Any, required: float | None) -> None:
    error = _err(status, body)
    assert isinstance(error, InsufficientCreditsError)
    assert error.required_usd == required


def test_balance_is_read_when_present() -> None:
    error = _err(
        402, {"success": False, "error": "min $5", "requiredBalance": 5, "currentBalance": 1.2}
    )
    assert isinstance(error, InsufficientCreditsError)
    assert error.balance_usd == 1.2


def test_knowledge_auth_failure_answered_with_500_is_authentication() -> None:
    error = _err(500, {"error": "Failed to query knowledge", "details": "Unauthorized"})
    assert isinstance(error, AuthenticationError)
    assert error.status_code == 500


def test_apps_auth_failure_answered_with_500_is_authentication() -> None:
    error = _err(
        500,
        {"success": False, "error": "Authentication required. Provide a valid session or API key."},
    )
    assert isinstance(error, AuthenticationError)


def test_a_real_500_stays_internal() -> None:
    error = _err(500, {"error": "No images were generated"})
    assert type(error) is InternalServerError


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (-32010, AuthenticationError),
        (-32011, InsufficientCreditsError),
        (-32012, RateLimitError),
        (-32013, PermissionDeniedError),
    ],
)
def test_cloud_jsonrpc_codes(code: int, cls: type) -> None:
    error = _err(
        200 if code == -32011 else 400,
        {"jsonrpc": "2.0", "error": {"code": code, "message": "x"}, "id": None},
    )
    assert isinstance(error, cls)


def test_rate_limit_retry_after_from_header_then_body() -> None:
    body = {
        "success": False,
        "error": "Too many requests",
        "code": "rate_limit_exceeded",
        "retryAfter": 42,
    }
    assert _err(429, body, {"Retry-After": "7"}).retry_after == 7.0  # type: ignore[attr-defined]
    assert _err(429, body).retry_after == 42.0  # type: ignore[attr-defined]


def test_str_is_one_clear_line() -> None:
    error = _err(
        429, {"success": False, "error": "Too many requests", "code": "rate_limit_exceeded"}
    )
    assert str(error) == "HTTP 429 (rate_limit_exceeded): Too many requests"
    assert "\n" not in str(error)
