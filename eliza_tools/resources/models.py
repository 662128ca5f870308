"""`client.models`: the models the gateway serves (`GET /api/v1/models`)."""

from __future__ import annotations

from typing import Unpack
from urllib.parse import quote

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as
from eliza_tools._transport import Call, RequestOptions, RouteFamily
from eliza_tools.errors import InvalidRequestError
from eliza_tools.types.models import Model, ModelList


def _list(**options: Unpack[RequestOptions]) -> Call[ModelList]:
    """Every model id the gateway serves (public route; cached by the server for an hour)."""
    return Call(
        "GET", "/models", parse_as(ModelList), family=RouteFamily.UNLIMITED, options=options
    )


def _get(model_id: str, **options: Unpack[RequestOptions]) -> Call[Model]:
    """One model by id (ids may contain `/`: `openai/gpt-4o-mini`); NotFoundError if unknown."""
    if not model_id.strip():
        raise InvalidRequestError("model_id", "must not be empty")
    # The route is a catch-all (`/models/{...model}`): the slashes of the id stay slashes.
    return Call(
        "GET",
        f"/models/{quote(model_id, safe='/')}",
        parse_as(Model),
        family=RouteFamily.UNLIMITED,
        options=options,
    )


class Models(APIResource[ModeT]):
    """The gateway's models."""

    list = endpoint(_list)
    get = endpoint(_get)
