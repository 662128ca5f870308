"""Service discovery shapes (`GET /api/v1/discovery`, reference §5).

The docs' `{"agents": [...]}` answer is wrong; the server answers `services`,
`total`, `hasMore` and `pagination`. Only `agent` and `mcp` services are
populated today, and `mcpTools` / `a2aSkills` filters are parsed but ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from eliza_tools._transport import RequestOptions
from eliza_tools.types._base import ElizaModel, RequestModel

ServiceType = Literal["agent", "mcp", "a2a", "app"]
MAX_PAGE_SIZE = 100


class DiscoveryQuery(RequestModel):
    """The query string of `GET /discovery`, with the server's limits (CSV lists)."""

    query: str | None = None
    types: list[ServiceType] | None = None
    categories: list[str] | None = None
    tags: list[str] | None = None
    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(default=0, ge=0)
    x402_only: bool | None = None
    active_only: bool | None = None


class DiscoveryFilters(RequestOptions, total=False):
    """The filters of `discovery.search`, for `iter_all` (which does the paging itself)."""

    query: str
    types: list[ServiceType]
    categories: list[str]
    tags: list[str]
    x402_only: bool
    active_only: bool


class ServicePricing(ElizaModel):
    """How a service charges: free, credits, x402 or subscription."""

    type: str
    amount: float | None = None
    currency: str | None = None
    description: str | None = None


class DiscoveredService(ElizaModel):
    """One agent or MCP server listed by discovery."""

    id: str
    name: str
    description: str = ""
    type: str
    source: str | None = None
    image: str | None = None
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    active: bool = True
    pricing: ServicePricing | None = None
    # to_camel would spell these `a2AEndpoint` / `a2ASkills`.
    a2a_endpoint: str | None = Field(default=None, alias="a2aEndpoint")
    mcp_endpoint: str | None = None
    mcp_tools: list[Any] = Field(default_factory=list)
    a2a_skills: list[str] = Field(default_factory=list, alias="a2aSkills")
    x402_support: bool = False
    verified: bool | None = None
    slug: str | None = None


class DiscoveryPagination(ElizaModel):
    """The page asked for."""

    limit: int
    offset: int


class DiscoveryPage(ElizaModel):
    """One page of `GET /discovery`."""

    services: list[DiscoveredService] = Field(default_factory=list)
    total: int = 0
    has_more: bool = False
    pagination: DiscoveryPagination
    cached: bool = False

    def next_offset(self) -> int | None:
        """Where the next page starts, or None when this is the last one.

        An empty page ends the listing even if `hasMore` says otherwise, so a
        server that miscounts cannot make a client loop forever.
        """
        if not self.has_more or not self.services:
            return None
        return self.pagination.offset + len(self.services)
