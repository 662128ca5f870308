"""`client.discovery`: find agents and MCP servers (`GET /api/v1/discovery`).

A public route (auth optional); the client sends its key anyway, which is
harmless. `search` returns one page; `iter_all` walks every page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Unpack

from eliza_tools._resource import (
    APIResource,
    Async,
    AsyncResource,
    ModeT,
    Pages,
    Sync,
    SyncResource,
    aiter_pages,
    endpoint,
    iter_pages,
    parse_as,
)
from eliza_tools._transport import Call, RequestOptions, RouteFamily
from eliza_tools.types._base import validate_request
from eliza_tools.types.discovery import (
    MAX_PAGE_SIZE,
    DiscoveredService,
    DiscoveryFilters,
    DiscoveryPage,
    DiscoveryQuery,
    ServiceType,
)


def _search(
    query: str | None = None,
    *,
    types: Sequence[ServiceType] | None = None,
    categories: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    limit: int = 50,
    offset: int = 0,
    x402_only: bool | None = None,
    active_only: bool | None = None,
    **options: Unpack[RequestOptions],
) -> Call[DiscoveryPage]:
    """One page of services matching the filters.

    `types` is any of agent, mcp, a2a, app (the server fills only agent and mcp);
    `limit` is 1..100. `x402_only` keeps services paid through x402; `active_only`
    (the server's default) hides inactive ones.
    """
    params = validate_request(
        DiscoveryQuery,
        query=query,
        types=types,
        categories=categories,
        tags=tags,
        limit=limit,
        offset=offset,
        x402_only=x402_only,
        active_only=active_only,
    )
    return Call(
        "GET",
        "/discovery",
        parse_as(DiscoveryPage),
        family=RouteFamily.STANDARD,
        params=params.to_params(),
        options=options,
    )


def _pages(page_size: int, filters: DiscoveryFilters) -> Pages[DiscoveryPage, DiscoveredService]:
    """How `iter_all` pages: `search` at growing offsets until a page says it is the last."""
    return Pages(
        lambda offset: _search(limit=page_size, offset=offset, **filters),
        lambda page: page.services,
        lambda page, _offset: page.next_offset(),
    )


class _Discovery(APIResource[ModeT]):
    search = endpoint(_search)


class Discovery(SyncResource, _Discovery[Sync]):
    """Service discovery on a blocking client."""

    def iter_all(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[DiscoveryFilters]
    ) -> Iterator[DiscoveredService]:
        """Every matching service, fetching pages of `page_size` (1..100) as needed."""
        return iter_pages(self._transport, _pages(page_size, filters))


class AsyncDiscovery(AsyncResource, _Discovery[Async]):
    """Service discovery on an asyncio client."""

    def iter_all(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[DiscoveryFilters]
    ) -> AsyncIterator[DiscoveredService]:
        """Async twin of `Discovery.iter_all` (`async for service in ...`)."""
        return aiter_pages(self._transport, _pages(page_size, filters))
