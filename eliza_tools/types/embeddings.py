"""Embedding shapes (`POST /api/v1/embeddings`, reference §6), OpenAI style.

The server ignores `dimensions` and `encoding_format` (vectors are always
float lists at the model's own size), so this client does not offer them.
"""

from __future__ import annotations

from pydantic import Field

from eliza_tools.types._base import SnakeCaseModel, SnakeCaseRequest


class EmbeddingRequest(SnakeCaseRequest):
    """The body of `POST /embeddings`: one text or a non-empty list of texts."""

    input: str | list[str]
    model: str = Field(min_length=1)


class Embedding(SnakeCaseModel):
    """The vector of one input, at `index` in the request's list."""

    object: str = "embedding"
    embedding: list[float]
    index: int = 0


class EmbeddingUsage(SnakeCaseModel):
    """Tokens billed."""

    prompt_tokens: int = 0
    total_tokens: int = 0


class EmbeddingResponse(SnakeCaseModel):
    """`POST /embeddings`: one vector per input."""

    object: str = "list"
    data: list[Embedding] = Field(default_factory=list)
    model: str = ""
    usage: EmbeddingUsage | None = None

    @property
    def vectors(self) -> list[list[float]]:
        """The vectors in input order."""
        return [item.embedding for item in sorted(self.data, key=lambda item: item.index)]
