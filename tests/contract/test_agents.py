"""Contract: create, list, read and delete agents (characters)."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError, NotFoundError
from eliza_tools.types.agents import CreatedAgent
from tests.contract.helpers import resolved

UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def _create(cloud: ElizaCloud | AsyncElizaCloud) -> CreatedAgent:
    agent: CreatedAgent = await resolved(
        cloud.agents.create("  Research Scout  ", bio="Finds papers")  # name is trimmed
    )
    return agent


async def test_agents_create(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    agent = await _create(cloud)
    assert agent.id
    assert agent.name == "Research Scout"
    assert agent.bio == ["Finds papers"]
    assert agent.created_at is not None
    assert agent.token_address is None
    # Refused before sending: the cassette holds only the first call.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.agents.create("x" * 101))
    assert excinfo.value.field == "name"


async def test_agents_list(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    agent = await _create(cloud)
    page = await resolved(
        cloud.agents.list(search="Scout", sort_by="newest", order="desc", limit=10)
    )
    assert page.pagination.page == 1
    assert page.pagination.limit == 10
    assert agent.id in [character.id for character in page.characters]
    assert all("Scout" in character.name for character in page.characters)


async def test_agents_get(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    agent = await _create(cloud)
    character = await resolved(cloud.agents.get(agent.id))
    assert character.id == agent.id
    assert character.name == "Research Scout"
    assert isinstance(character.is_public, bool)  # the default is not in the reference
    assert character.created_at is not None
    with pytest.raises(NotFoundError):
        await resolved(cloud.agents.get(UNKNOWN))


async def test_agents_delete(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    agent = await _create(cloud)
    assert await resolved(cloud.agents.delete(agent.id)) is None
    with pytest.raises(NotFoundError):
        await resolved(cloud.agents.get(agent.id))
