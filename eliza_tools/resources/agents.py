"""`client.agents`: create, list, read and delete your agents (characters).

Creating goes through `POST /api/v1/app/agents`; the server has no GET there,
so listing, reading and deleting use the site routes `/api/my-agents/characters`
(API keys are accepted on them).
"""

from __future__ import annotations

from typing import Any, Unpack

import httpx

from eliza_tools._resource import APIResource, ModeT, endpoint, path_id, unwrap
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.types._base import validate_request
from eliza_tools.types.agents import (
    AgentCreated,
    AgentCreateRequest,
    AgentListQuery,
    Character,
    CharacterList,
    CharacterListResponse,
    CharacterResponse,
    CreatedAgent,
    SortBy,
    SortOrder,
)

CHARACTERS = "/api/my-agents/characters"


def _ignore(response: httpx.Response) -> None:
    return None


def _create(
    name: str,
    *,
    bio: str | None = None,
    token_address: str | None = None,
    token_chain: str | None = None,
    token_name: str | None = None,
    token_ticker: str | None = None,
    a2a_endpoint: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[CreatedAgent]:
    """Create an agent (name 1..100 characters, trimmed); the server answers 201.

    The token fields link a token to the agent (409 ConflictError when the token
    is already linked). `a2a_endpoint` is an extension of the local emulator
    (sent as `a2aEndpoint`) so discovery can point at a local A2A server; the
    real server ignores it. PermissionDeniedError when the agent quota is used up.
    """
    body = validate_request(
        AgentCreateRequest,
        name=name,
        bio=bio,
        token_address=token_address,
        token_chain=token_chain,
        token_name=token_name,
        token_ticker=token_ticker,
        a2a_endpoint=a2a_endpoint,
    )
    return Call(
        "POST",
        "/app/agents",
        unwrap(AgentCreated, lambda created: created.agent),
        family=RouteFamily.STANDARD,
        policy=WRITE,  # a blind retry could create the agent twice
        json=body.to_wire(),
        options=options,
    )


def _list(
    *,
    search: str | None = None,
    category: str | None = None,
    sort_by: SortBy | None = None,
    order: SortOrder | None = None,
    page: int = 1,
    limit: int = 30,
    **options: Unpack[RequestOptions],
) -> Call[CharacterList]:
    """One page of your agents (limit 1..1000), newest first unless `sort_by` says otherwise."""
    query = validate_request(
        AgentListQuery,
        search=search,
        category=category,
        sort_by=sort_by,
        order=order,
        page=page,
        limit=limit,
    )
    params: dict[str, Any] = query.to_wire()
    return Call(
        "GET",
        CHARACTERS,
        unwrap(CharacterListResponse, lambda body: body.data),
        site_path=True,
        params=params,
        options=options,
    )


def _get(agent_id: str, **options: Unpack[RequestOptions]) -> Call[Character]:
    """One of your agents; NotFoundError if it is not yours or does not exist."""
    return Call(
        "GET",
        f"{CHARACTERS}/{path_id(agent_id, 'agent_id')}",
        unwrap(CharacterResponse, lambda body: body.data.character),
        site_path=True,
        options=options,
    )


def _delete(agent_id: str, **options: Unpack[RequestOptions]) -> Call[None]:
    """Delete one of your agents; NotFoundError if it is not yours or already gone."""
    return Call(
        "DELETE",
        f"{CHARACTERS}/{path_id(agent_id, 'agent_id')}",
        _ignore,
        policy=WRITE,
        site_path=True,
        options=options,
    )


class Agents(APIResource[ModeT]):
    """Your agents (characters)."""

    create = endpoint(_create)
    list = endpoint(_list)
    get = endpoint(_get)
    delete = endpoint(_delete)
