"""Contract: container deployment (202, then polling), listing, reading, deleting."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError, NotFoundError
from eliza_tools.types.containers import Container, ContainerDeployment
from tests.contract.helpers import resolved

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/scout:latest"
UNKNOWN = "00000000-0000-4000-8000-000000000000"
DEPLOYING = {"pending", "building", "deploying"}


async def _deploy(cloud: ElizaCloud | AsyncElizaCloud) -> ContainerDeployment:
    deployment: ContainerDeployment = await resolved(
        cloud.containers.create(
            "scout-api", "scout", IMAGE, port=8080, environment_vars={"LOG_LEVEL": "info"}
        )
    )
    return deployment


async def test_containers_create(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    deployment = await _deploy(cloud)
    container = deployment.container
    assert deployment.success is True
    assert container.status in DEPLOYING
    assert (container.name, container.project_name, container.port) == ("scout-api", "scout", 8080)
    assert container.environment_vars == {"LOG_LEVEL": "info"}
    assert deployment.credits_deducted is not None and deployment.credits_deducted > 0
    assert deployment.polling.interval_ms == 10_000
    assert deployment.polling.endpoint == f"/api/v1/containers/{container.id}"
    # Refused before sending: the cassette holds only the first call.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.containers.create("x", "y", IMAGE, port=0))
    assert excinfo.value.field == "port"


async def test_containers_wait_until_running(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    deployment = await _deploy(cloud)
    seen: list[Container] = []
    running = await resolved(
        cloud.containers.wait_until_running(
            deployment.container.id, poll_interval=0.05, timeout=30, on_status=seen.append
        )
    )
    assert running.status == "running"
    assert running.id == deployment.container.id
    assert running.load_balancer_url is not None
    assert [c.status for c in seen][-1] == "running"
    assert {c.status for c in seen[:-1]} <= DEPLOYING


async def test_containers_get(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    deployment = await _deploy(cloud)
    container = await resolved(cloud.containers.get(deployment.container.id))
    assert container.id == deployment.container.id
    assert container.architecture == "arm64"
    assert container.cpu == 1792 and container.memory == 1792
    with pytest.raises(NotFoundError):
        await resolved(cloud.containers.get(UNKNOWN))


async def test_containers_list(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    deployment = await _deploy(cloud)
    containers = await resolved(cloud.containers.list())
    assert deployment.container.id in [container.id for container in containers]


async def test_containers_delete(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    deployment = await _deploy(cloud)
    deleted = await resolved(cloud.containers.delete(deployment.container.id))
    assert deleted.success is True
    with pytest.raises(NotFoundError):
        await resolved(cloud.containers.get(deployment.container.id))
