"""`client.containers`: deploy and manage containers (`/api/v1/containers`).

Creating is asynchronous on the server: `create` answers 202 with a container
that is not running yet (and is billed: CRITICAL rate limit, 5 per 5 minutes,
never retried blindly). `wait_until_running` polls it until it runs or fails.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Unpack

from eliza_tools._polling import Plan, Poller, arun_plan, poll, run_plan
from eliza_tools._resource import (
    APIResource,
    Async,
    AsyncResource,
    ModeT,
    Sync,
    SyncResource,
    endpoint,
    parse_as,
    path_id,
    unwrap,
)
from eliza_tools._transport import WRITE, Call, Clock, RequestOptions, RouteFamily
from eliza_tools.errors import APITimeoutError, ContainerDeploymentError
from eliza_tools.types._base import validate_request
from eliza_tools.types.containers import (
    Architecture,
    Container,
    ContainerCreateRequest,
    ContainerDeletion,
    ContainerDeployment,
    ContainerList,
    ContainerResponse,
)

DEFAULT_POLL_INTERVAL = 10.0  # the server's own `polling.intervalMs`
DEFAULT_WAIT_TIMEOUT = 900.0  # the server expects about 10 minutes


def _list(**options: Unpack[RequestOptions]) -> Call[list[Container]]:
    """Your containers."""
    return Call("GET", "/containers", unwrap(ContainerList, lambda b: b.data), options=options)


def _get(container_id: str, **options: Unpack[RequestOptions]) -> Call[Container]:
    """One container with its current status; NotFoundError if it is not yours."""
    return Call(
        "GET",
        f"/containers/{path_id(container_id, 'container_id')}",
        unwrap(ContainerResponse, lambda body: body.data),
        options=options,
    )


def _create(
    name: str,
    project_name: str,
    ecr_image_uri: str,
    *,
    port: int = 3000,
    description: str | None = None,
    desired_count: int = 1,
    cpu: int = 1792,
    memory: int = 1792,
    environment_vars: Mapping[str, str] | None = None,
    health_check_path: str = "/health",
    ecr_repository_uri: str | None = None,
    image_tag: str | None = None,
    architecture: Architecture = "arm64",
    **options: Unpack[RequestOptions],
) -> Call[ContainerDeployment]:
    """Start deploying an image (billed); answers before the container runs.

    Limits: name 1..100, project_name 1..50 characters, port 1..65535,
    desired_count 1..10, cpu and memory 256..2048. InsufficientCreditsError when
    the balance does not cover the deployment. Follow it with `wait_until_running`.
    """
    body = validate_request(
        ContainerCreateRequest,
        name=name,
        project_name=project_name,
        ecr_image_uri=ecr_image_uri,
        port=port,
        description=description,
        desired_count=desired_count,
        cpu=cpu,
        memory=memory,
        environment_vars=dict(environment_vars) if environment_vars is not None else None,
        health_check_path=health_check_path,
        ecr_repository_uri=ecr_repository_uri,
        image_tag=image_tag,
        architecture=architecture,
    )
    return Call(
        "POST",
        "/containers",
        parse_as(ContainerDeployment),
        family=RouteFamily.CRITICAL,
        policy=WRITE,
        json=body.to_wire(),
        options=options,
    )


def _delete(container_id: str, **options: Unpack[RequestOptions]) -> Call[ContainerDeletion]:
    """Delete a container and tear down its stack (the server may take minutes to answer)."""
    return Call(
        "DELETE",
        f"/containers/{path_id(container_id, 'container_id')}",
        parse_as(ContainerDeletion),
        policy=WRITE,
        timeout=DEFAULT_WAIT_TIMEOUT,  # the server waits for the stack deletion itself
        options=options,
    )


def deployment_done(container: Container) -> bool:
    """True once running; False while deploying; raises when the deployment failed."""
    if container.status == "running":
        return True
    if container.failed:
        raise ContainerDeploymentError(container)
    return False


OnStatus = Callable[[Container], None]


def _wait_plan(
    clock: Clock,
    container_id: str,
    timeout: float,
    poll_interval: float,
    on_status: OnStatus | None,
) -> Plan[Container]:
    """Poll the container (now, then every `poll_interval` s) until it runs or fails."""

    def done(container: Container) -> bool:
        if on_status is not None:
            on_status(container)
        return deployment_done(container)

    def expired(container: Container | None, waited: float) -> APITimeoutError:
        status = container.status if container is not None else "unknown"
        return APITimeoutError(f"container {container_id} still {status} at the timeout")

    poller = Poller(clock, timeout=timeout, interval=poll_interval, done=done, expired=expired)
    return poll(poller, lambda: _get(container_id))


class _Containers(APIResource[ModeT]):
    list = endpoint(_list)
    get = endpoint(_get)
    create = endpoint(_create)
    delete = endpoint(_delete)


class Containers(SyncResource, _Containers[Sync]):
    """Containers on a blocking client."""

    def wait_until_running(
        self,
        container_id: str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_status: OnStatus | None = None,
    ) -> Container:
        """Poll until the container runs; ContainerDeploymentError if it fails,
        APITimeoutError after `timeout` seconds. `on_status` sees every poll."""
        plan = _wait_plan(self._clock, container_id, timeout, poll_interval, on_status)
        return run_plan(self._transport, plan)


class AsyncContainers(AsyncResource, _Containers[Async]):
    """Containers on an asyncio client."""

    async def wait_until_running(
        self,
        container_id: str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,  # noqa: ASYNC109 (on the client clock, fakeable)
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_status: OnStatus | None = None,
    ) -> Container:
        """Async twin of `Containers.wait_until_running`."""
        plan = _wait_plan(self._clock, container_id, timeout, poll_interval, on_status)
        return await arun_plan(self._transport, plan)
