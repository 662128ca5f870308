"""`client.embeddings`: OpenAI-compatible embeddings (`POST /api/v1/embeddings`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.errors import InvalidRequestError
from eliza_tools.types._base import validate_request
from eliza_tools.types.embeddings import EmbeddingRequest, EmbeddingResponse


def _create(
    input: str | Sequence[str], model: str, **options: Unpack[RequestOptions]
) -> Call[EmbeddingResponse]:
    """Embed one text or a list of texts (none empty) with `model`. Billed (WRITE)."""
    texts = [input] if isinstance(input, str) else list(input)
    if not texts:
        raise InvalidRequestError("input", "must hold at least one text")
    for position, text in enumerate(texts):
        if not text:
            where = "input" if isinstance(input, str) else f"input.{position}"
            raise InvalidRequestError(where, "must not be empty")
    body = validate_request(
        EmbeddingRequest, input=input if isinstance(input, str) else texts, model=model
    )
    return Call(
        "POST",
        "/embeddings",
        parse_as(EmbeddingResponse),
        family=RouteFamily.RELAXED,
        policy=WRITE,
        json=body.to_wire(),
        options=options,
    )


class Embeddings(APIResource[ModeT]):
    """Text embeddings."""

    create = endpoint(_create)
