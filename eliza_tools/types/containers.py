"""Container shapes (`/api/v1/containers`, reference §7; fields as the SDK's `CloudContainer`).

Container rows are snake_case; the create envelope's extras are camelCase.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from eliza_tools.types._base import ElizaModel, SnakeCaseModel, SnakeCaseRequest

Architecture = Literal["arm64", "x86_64"]
# States after which a deployment will not reach `running` by itself.
FAILED_STATES = frozenset({"failed", "stopped", "suspended", "deleting"})


class ContainerCreateRequest(SnakeCaseRequest):
    """The body of `POST /containers`, with the server's limits and defaults."""

    name: str = Field(min_length=1, max_length=100)
    project_name: str = Field(min_length=1, max_length=50)
    description: str | None = None
    port: int = Field(default=3000, ge=1, le=65535)
    desired_count: int = Field(default=1, ge=1, le=10)
    cpu: int = Field(default=1792, ge=256, le=2048)
    memory: int = Field(default=1792, ge=256, le=2048)
    environment_vars: dict[str, str] | None = None
    health_check_path: str = "/health"
    ecr_image_uri: str = Field(min_length=1)
    ecr_repository_uri: str | None = None
    image_tag: str | None = None
    architecture: Architecture = "arm64"


class Container(SnakeCaseModel):
    """One container: status is pending, building, deploying, running, stopped, failed, ..."""

    id: str
    name: str
    project_name: str | None = None
    description: str | None = None
    status: str
    port: int | None = None
    desired_count: int | None = None
    cpu: int | None = None
    memory: int | None = None
    architecture: str | None = None
    environment_vars: dict[str, str] = Field(default_factory=dict)
    health_check_path: str | None = None
    load_balancer_url: str | None = None
    ecr_repository_uri: str | None = None
    ecr_image_tag: str | None = None
    image_tag: str | None = None
    billing_status: str | None = None
    error_message: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    last_deployed_at: str | None = None

    @property
    def failed(self) -> bool:
        """The deployment ended without running."""
        return self.status in FAILED_STATES


class ContainerPolling(ElizaModel):
    """How the server suggests following a deployment."""

    endpoint: str | None = None
    interval_ms: int = 10_000
    expected_duration_ms: int | None = None


class ContainerDeployment(ElizaModel):
    """202 of `POST /containers`: the container (not running yet) and what it cost."""

    success: bool = True
    data: Container
    message: str | None = None
    credits_deducted: float | None = None
    credits_remaining: float | None = None
    stack_name: str | None = None
    polling: ContainerPolling = Field(default_factory=ContainerPolling)

    @property
    def container(self) -> Container:
        """The container being deployed."""
        return self.data


class ContainerList(ElizaModel):
    """`GET /containers`."""

    success: bool = True
    data: list[Container] = Field(default_factory=list)


class ContainerResponse(ElizaModel):
    """`GET /containers/{id}`."""

    success: bool = True
    data: Container


class ContainerDeletion(ElizaModel):
    """`DELETE /containers/{id}`; `refund_amount` when an early deletion was refunded."""

    success: bool = True
    message: str | None = None
    refund_amount: float | None = None
