"""Contract: service discovery, one page and every page.

Each test first creates the agents it looks for, so that it holds on a fresh
emulator as on the recorded cloud.
"""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from eliza_tools.types.discovery import DiscoveredService
from tests.contract.helpers import resolved

AGENTS = [
    ("Research Scout", "Finds papers"),
    ("Citation Checker", "Checks references"),
    ("Weather Scout", "Forecasts by city"),
]


async def _create_agents(cloud: ElizaCloud | AsyncElizaCloud) -> set[str]:
    ids = set()
    for name, bio in AGENTS:
        ids.add((await resolved(cloud.agents.create(name, bio=bio))).id)
    return ids


async def test_discovery_search(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    created = await _create_agents(cloud)
    page = await resolved(cloud.discovery.search("scout", types=["agent"], limit=5))
    assert page.pagination.limit == 5
    assert page.pagination.offset == 0
    assert {service.name for service in page.services} >= {"Research Scout", "Weather Scout"}
    assert page.has_more == (page.total > len(page.services))
    for service in page.services:
        assert service.type == "agent"
        assert "scout" in f"{service.name} {service.description}".lower()
        assert service.a2a_endpoint is not None
        assert service.a2a_endpoint.endswith(f"/api/agents/{service.id}/a2a")
    first = await resolved(cloud.discovery.search(limit=1))
    assert len(first.services) == 1
    assert first.total >= len(created)
    assert first.has_more is True
    assert first.next_offset() == 1


async def test_discovery_iter_all(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    created = await _create_agents(cloud)
    services: list[DiscoveredService] = []
    if isinstance(cloud, AsyncElizaCloud):
        services = [s async for s in cloud.discovery.iter_all(page_size=2, types=["agent"])]
    else:
        services = list(cloud.discovery.iter_all(page_size=2, types=["agent"]))
    ids = [service.id for service in services]
    assert len(set(ids)) == len(ids)
    assert created <= set(ids)  # more than one page of 2
    total = (await resolved(cloud.discovery.search(types=["agent"], limit=1))).total
    assert len(services) == total


async def test_discovery_search_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud,
) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.discovery.search(limit=101))
    assert excinfo.value.field == "limit"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.discovery.search(offset=-1))
    assert excinfo.value.field == "offset"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.discovery.search(types=["robot"]))  # type: ignore[list-item]
    assert excinfo.value.field.startswith("types")
