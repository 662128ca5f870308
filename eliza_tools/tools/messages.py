"""Errors as text an LLM can act on, without losing the structured error for the program.

A `ToolFailure` is the artifact of a failed tool call: `message` is what the
model reads (what went wrong and what to do next), `to_dict()` is the JSON
form for raw function calling, and `exception` is the typed exception itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from eliza_tools.config import API_KEY_ENV_VARS
from eliza_tools.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ElizaCloudError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidRequestError,
    JobFailedError,
    JobTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from eliza_tools.tools.budget import BudgetExceededError, usd

TOP_UP_PATH = "/dashboard/billing"


@dataclass
class ToolFailure:
    """A failed call: `kind` (stable, machine-readable), the LLM `message`, extra `details`."""

    tool: str
    kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    exception: BaseException | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form: `{"type", "message", ...details}`."""
        return {"type": self.kind, "message": self.message, **self.details}


@dataclass(frozen=True)
class FieldError:
    """One bad argument: where (dotted path, or the tool for the whole object) and why."""

    field: str
    reason: str


def validation_failure(
    tool: str, errors: Iterable[FieldError], exception: BaseException | None = None
) -> ToolFailure:
    """Arguments the schema refused: name every field and its constraint."""
    items = list(errors)
    listed = "; ".join(f"{item.field}: {item.reason}" for item in items)
    return ToolFailure(
        tool,
        "invalid_arguments",
        f"Invalid arguments for {tool}: {listed}. Fix them and call {tool} again.",
        {"errors": [{"field": item.field, "reason": item.reason} for item in items]},
        exception,
    )


def pydantic_field_errors(exc: ValidationError) -> list[FieldError]:
    """Field errors of a pydantic `ValidationError` (with the refused value when short)."""
    errors = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        reason = error["msg"]
        value = error.get("input")
        if error["type"] not in ("missing", "extra_forbidden") and _short(value):
            reason = f"{reason} (got {value!r})"
        errors.append(FieldError(where, reason))
    return errors


def _short(value: Any) -> bool:
    return isinstance(value, int | float | bool) or (isinstance(value, str) and len(value) <= 40)


def _money(value: float | None) -> str:
    return "unknown" if value is None else usd(value)


def failure_from(
    tool: str, exc: Exception, *, site_url: str, balance_usd: float | None = None
) -> ToolFailure:
    """Turn any client exception into the message a model can act on.

    `balance_usd` fills in the balance when an insufficient-credits answer lacked it.
    """
    if isinstance(exc, InsufficientCreditsError):
        return _credits(tool, exc, site_url, balance_usd)
    builder = _BUILDERS.get(type(exc))
    if builder is None:
        builder = next(
            (b for cls, b in _BUILDERS.items() if isinstance(exc, cls)), _unexpected_failure
        )
    return builder(tool, exc, site_url)


def _invalid(tool: str, exc: Exception, site: str) -> ToolFailure:
    assert isinstance(exc, InvalidRequestError)
    return validation_failure(tool, [FieldError(exc.field, exc.reason)], exc)


def _credits(
    tool: str, exc: InsufficientCreditsError, site: str, balance: float | None
) -> ToolFailure:
    balance = exc.balance_usd if exc.balance_usd is not None else balance
    needed = exc.required_usd
    return ToolFailure(
        tool,
        "insufficient_credits",
        f"Insufficient elizaOS Cloud credits: balance {_money(balance)}, this call needs "
        f"{_money(needed)}. Nothing was generated. Ask the user to top up at "
        f"{site}{TOP_UP_PATH}, or pick a cheaper option; do not retry until they have.",
        {"balance_usd": balance, "required_usd": needed, "top_up_url": f"{site}{TOP_UP_PATH}"},
        exc,
    )


def _rate_limited(tool: str, exc: Exception, site: str) -> ToolFailure:
    assert isinstance(exc, RateLimitError)
    wait = exc.retry_after
    when = f"in {wait:g} seconds" if wait is not None else "in a minute"
    return ToolFailure(
        tool,
        "rate_limited",
        f"elizaOS Cloud rate limit reached for {tool}. Retry {when}.",
        {"retry_after_seconds": wait},
        exc,
    )


def _auth(tool: str, exc: Exception, site: str) -> ToolFailure:
    names = " or ".join(API_KEY_ENV_VARS[:1])
    text = str(exc) if isinstance(exc, ConfigurationError) else "the API key was refused"
    return ToolFailure(
        tool,
        "authentication_error" if isinstance(exc, AuthenticationError) else "configuration_error",
        f"elizaOS Cloud is not usable: {text}. The user must set {names} to a valid key "
        "(eliza_...) and restart; retrying will not help.",
        {"env_var": API_KEY_ENV_VARS[0]},
        exc,
    )


def _budget(tool: str, exc: Exception, site: str) -> ToolFailure:
    assert isinstance(exc, BudgetExceededError)
    return ToolFailure(
        tool,
        "budget_exceeded",
        f"Refused by the spend guard, nothing was sent: {exc}. Tell the user; they can raise "
        "budget_usd. Cheaper options may still fit.",
        {"estimate_usd": exc.estimate, "spent_usd": exc.spent, "budget_usd": exc.limit},
        exc,
    )


def _status(tool: str, exc: Exception, site: str) -> ToolFailure:
    assert isinstance(exc, APIStatusError)
    kinds: Mapping[type[APIStatusError], tuple[str, str]] = {
        NotFoundError: ("not_found", "Check the id (list or discover first)."),
        PermissionDeniedError: ("permission_denied", "This key may not do that."),
    }
    kind, hint = next(
        (v for cls, v in kinds.items() if isinstance(exc, cls)),
        ("server_error", "Try again later.")
        if isinstance(exc, InternalServerError)
        else ("request_refused", "Change the arguments before retrying."),
    )
    return ToolFailure(
        tool,
        kind,
        f"elizaOS Cloud refused {tool} (HTTP {exc.status_code}): {exc.message}. {hint}",
        {"status_code": exc.status_code, "code": exc.code},
        exc,
    )


def _connection(tool: str, exc: Exception, site: str) -> ToolFailure:
    kind = "timeout" if isinstance(exc, APITimeoutError) else "connection_error"
    return ToolFailure(
        tool, kind, f"Could not reach elizaOS Cloud: {exc}. Try again shortly.", {}, exc
    )


def _job(tool: str, exc: Exception, site: str) -> ToolFailure:
    kind = "job_timeout" if isinstance(exc, JobTimeoutError) else "job_failed"
    return ToolFailure(tool, kind, f"{tool} did not complete: {exc}.", {}, exc)


def _unexpected_failure(tool: str, exc: Exception, site: str) -> ToolFailure:
    return ToolFailure(tool, "error", f"{tool} failed: {type(exc).__name__}: {exc}", {}, exc)


_BUILDERS = {
    InvalidRequestError: _invalid,
    RateLimitError: _rate_limited,
    AuthenticationError: _auth,
    ConfigurationError: _auth,
    BudgetExceededError: _budget,
    APIStatusError: _status,
    APIConnectionError: _connection,
    JobFailedError: _job,
    JobTimeoutError: _job,
    ElizaCloudError: _unexpected_failure,
}
