"""`discover_agents`: find agents (and MCP servers) published on elizaOS Cloud."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from eliza_tools.tools.base import (
    AnyCloud,
    CloudTool,
    Plan,
    ToolContext,
    ToolInput,
    ToolResult,
    step,
)
from eliza_tools.types.discovery import MAX_PAGE_SIZE, DiscoveredService


class DiscoverAgentsInput(ToolInput):
    """Arguments of `discover_agents`."""

    query: str | None = Field(
        default=None,
        max_length=200,
        description="Words to search for in names and descriptions; null lists everything.",
    )
    types: list[Literal["agent", "mcp"]] | None = Field(
        default=None,
        min_length=1,
        max_length=2,
        description="Kinds of service to list; null means both agents and MCP servers.",
    )
    tags: list[str] | None = Field(
        default=None, max_length=10, description="Only services with all of these tags."
    )
    limit: int | None = Field(
        default=None,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"At most this many results, 1 to {MAX_PAGE_SIZE}. Null means 10.",
    )


class AgentInfo(BaseModel):
    """One service found: enough to delegate to it or show it."""

    id: str
    name: str
    type: str
    description: str = ""
    a2a_endpoint: str | None = None
    mcp_endpoint: str | None = None
    skills: list[str] = []
    tags: list[str] = []
    pricing: str | None = None

    @classmethod
    def from_service(cls, service: DiscoveredService) -> AgentInfo:
        """Keep what an agent needs from a discovery entry."""
        price = service.pricing
        return cls(
            id=service.id,
            name=service.name,
            type=service.type,
            description=service.description,
            a2a_endpoint=service.a2a_endpoint,
            mcp_endpoint=service.mcp_endpoint,
            skills=service.a2a_skills,
            tags=service.tags,
            pricing=price.type if price is not None else None,
        )


class DiscoverAgentsResult(ToolResult):
    """The services found and how many exist in total."""

    agents: list[AgentInfo]
    total: int

    def summary(self) -> str:
        """One line per service: id, name, kind, a short description."""
        if not self.agents:
            return "No agents found. Try other words or no filter."
        lines = [f"Found {self.total} service(s); showing {len(self.agents)}:"]
        for agent in self.agents:
            about = agent.description[:120]
            lines.append(f"- {agent.name} (id {agent.id}, {agent.type}): {about}")
        return "\n".join(lines)


def _plan(
    cloud: AnyCloud, args: DiscoverAgentsInput, ctx: ToolContext
) -> Plan[DiscoverAgentsResult]:
    page = yield from step(
        cloud.discovery.search(args.query, limit=args.limit or 10, **args.given("types", "tags"))
    )
    return DiscoverAgentsResult(
        agents=[AgentInfo.from_service(service) for service in page.services], total=page.total
    )


DISCOVER_AGENTS = CloudTool(
    name="discover_agents",
    description=(
        "Search the elizaOS Cloud directory for agents and MCP servers. Returns ids to use "
        "with delegate_task. Free."
    ),
    input_model=DiscoverAgentsInput,
    result_model=DiscoverAgentsResult,
    plan=_plan,
    read_only=True,
)
