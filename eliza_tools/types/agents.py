"""Agent (character) shapes: `POST /api/v1/app/agents` and `/api/my-agents/characters` (§7).

Creating answers 201 `{success, agent}` with snake_case fields and `bio` as a
list; listing and reading go through the site route `/api/my-agents/characters`,
whose rows carry most fields twice (camelCase and snake_case).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from eliza_tools.types._base import ElizaModel, RequestModel, SnakeCaseModel

SortBy = Literal["newest", "name", "updated"]
SortOrder = Literal["asc", "desc"]
MAX_LIST_LIMIT = 1000


class AgentCreateRequest(RequestModel):
    """The body of `POST /app/agents`, with the server's limits."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    bio: str | None = None
    token_address: str | None = Field(default=None, min_length=1, max_length=256)
    token_chain: str | None = Field(default=None, min_length=1, max_length=64)
    token_name: str | None = Field(default=None, min_length=1, max_length=128)
    token_ticker: str | None = Field(default=None, min_length=1, max_length=32)
    # Emulator-only extension (to_camel would spell it `a2AEndpoint`); the real server drops it.
    a2a_endpoint: str | None = Field(default=None, alias="a2aEndpoint")


class AgentListQuery(RequestModel):
    """The query string of `GET /api/my-agents/characters`."""

    search: str | None = None
    category: str | None = None
    sort_by: SortBy | None = None
    order: SortOrder | None = None
    page: int = Field(default=1, ge=1)
    limit: int = Field(default=30, ge=1, le=MAX_LIST_LIMIT)


class CreatedAgent(SnakeCaseModel):
    """The agent `POST /app/agents` made."""

    id: str
    name: str
    username: str | None = None
    bio: list[str] | str = Field(default_factory=list)
    created_at: str | None = None
    token_address: str | None = None
    token_chain: str | None = None
    token_name: str | None = None
    token_ticker: str | None = None


class AgentCreated(SnakeCaseModel):
    """201 `{success, agent}`."""

    success: bool = True
    agent: CreatedAgent


class Character(ElizaModel):
    """One of the caller's agents, as `/api/my-agents/characters` lists it."""

    id: str
    name: str
    bio: list[str] | str | None = None
    avatar_url: str | None = None
    category: str | None = None
    is_public: bool = False
    created_at: str | None = None
    updated_at: str | None = None
    tags: list[str] = Field(default_factory=list)
    token_address: str | None = Field(default=None, alias="token_address")
    token_chain: str | None = Field(default=None, alias="token_chain")
    token_name: str | None = Field(default=None, alias="token_name")
    token_ticker: str | None = Field(default=None, alias="token_ticker")


class CharacterPagination(ElizaModel):
    """Where a listing page sits (the server may add totals)."""

    page: int = 1
    limit: int = 30
    total: int | None = None
    total_pages: int | None = None
    has_more: bool | None = None


class CharacterList(ElizaModel):
    """`data` of `GET /api/my-agents/characters`."""

    characters: list[Character] = Field(default_factory=list)
    pagination: CharacterPagination = Field(default_factory=CharacterPagination)


class _Envelope(ElizaModel):
    success: bool = True


class CharacterListResponse(_Envelope):
    """`{success, data:{characters, pagination}}`."""

    data: CharacterList


class CharacterData(ElizaModel):
    """`data` of `GET /api/my-agents/characters/{id}`."""

    character: Character


class CharacterResponse(_Envelope):
    """`{success, data:{character}}`."""

    data: CharacterData
