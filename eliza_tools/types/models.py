"""Model listing shapes (`GET /api/v1/models`, reference §6), snake_case on the wire."""

from __future__ import annotations

from pydantic import Field

from eliza_tools.types._base import SnakeCaseModel


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
