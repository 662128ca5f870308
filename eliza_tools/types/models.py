"""Model listing shapes (`GET /api/v1/models`, reference §6), and the snake_case base.

The OpenAI-compatible routes (models, chat, embeddings) and the container rows
spell their fields in snake_case, so their models use `SnakeCaseModel` instead
of the camelCase `ElizaModel`.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field

from eliza_tools.types._base import ElizaModel


class SnakeCaseModel(ElizaModel):
    """A response model whose wire names are the Python names (no camelCase aliases)."""

    model_config = ConfigDict(alias_generator=None)


class Model(SnakeCaseModel):
    """One model the gateway serves, e.g. `openai/gpt-4o-mini`."""

    id: str
    object: str = "model"
    created: int = 0
    owned_by: str = ""


class ModelList(SnakeCaseModel):
    """`GET /models`: an OpenAI-style list."""

    object: str = "list"
    data: list[Model] = Field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """The model ids, in the server's order."""
        return [model.id for model in self.data]
