"""Base models and validation helper shared by every request and response type."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from eliza_tools.errors import InvalidRequestError

ModelT = TypeVar("ModelT", bound=BaseModel)


class ElizaModel(BaseModel):
    """Response models: camelCase on the wire, snake_case in Python, extra fields kept.

    The server adds fields over time; a client that rejected them would break, so
    unknown fields are kept (reachable via `model_extra`) instead of refused.
    """

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, alias_generator=to_camel, serialize_by_alias=True
    )


class SnakeCaseModel(ElizaModel):
    """A response model whose wire names are the Python names (no camelCase aliases).

    The OpenAI-compatible routes (models, chat, embeddings), raw database rows
    (apps, containers, ledger entries) and fal's video metadata are snake_case.
    """

    model_config = ConfigDict(alias_generator=None)


class Deleted(ElizaModel):
    """`{success, message}` answer of a delete."""

    success: bool
    message: str | None = None


class RequestModel(BaseModel):
    """Request models: unknown arguments are mistakes, so they are refused."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=to_camel, serialize_by_alias=True
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON body as the server spells it, without unset optional fields."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")

    def to_params(self) -> dict[str, str]:
        """Query parameters as the server reads them: lists as CSV, booleans as true/false."""
        params: dict[str, str] = {}
        for name, value in self.to_wire().items():
            if isinstance(value, list):
                params[name] = ",".join(str(item) for item in value)
            elif isinstance(value, bool):
                params[name] = "true" if value else "false"
            else:
                params[name] = str(value)
        return params


class SnakeCaseRequest(RequestModel):
    """A request the server reads in snake_case (no camelCase aliases)."""

    model_config = ConfigDict(alias_generator=None)


def validate_request(model: type[ModelT], /, **values: Any) -> ModelT:
    """Build a request model, turning pydantic's error into one naming field and reason."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or model.__name__
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise InvalidRequestError(
            field, reasons if len(exc.errors()) > 1 else first["msg"]
        ) from None
