"""Contract: service discovery, one page and every page."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from eliza_tools.types.discovery import DiscoveredService
from tests.contract.helpers import resolved


async def test_discovery_search(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    page = await resolved(cloud.discovery.search(types=["agent"], tags=["research"], limit=5))
    assert page.pagination.limit == 5
    assert page.pagination.offset == 0
    assert 0 < len(page.services) <= 5
    assert page.has_more == (page.total > len(page.services))
    for service in page.services:
        assert service.type == "agent"
        assert "research" in service.tags
        assert service.a2a_endpoint is not None
        assert service.a2a_endpoint.endswith(f"/api/agents/{service.id}/a2a")
    first = await resolved(cloud.discovery.search(limit=1))
    assert len(first.services) == 1
    assert first.has_more is True
    assert first.next_offset() == 1


async def test_discovery_iter_all(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    services: list[DiscoveredService] = []
    if isinstance(cloud, AsyncElizaCloud):
        services = [service async for service in cloud.discovery.iter_all(page_size=2)]
    else:
        services = list(cloud.discovery.iter_all(page_size=2))
    total = (await resolved(cloud.discovery.search(limit=1))).total
    assert len(services) == total >= 3  # more than one page of 2
    assert len({service.id for service in services}) == len(services)
    assert {service.type for service in services} <= {"agent", "mcp"}


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
