"""`client.cloud_agents`: Milady cloud agents (`/api/v1/milady/agents/**`, reference §11.2).

Quirks of the real server this module absorbs:

- `provision` / `resume` answer 200 when the agent already runs, 202 with a job
  otherwise, and 409 (same body) while a job is already in progress; all three
  become one `ProvisionResult`, and `wait=True` polls `GET /api/v1/jobs/{id}` at
  the interval the server asks for, reading the status under `data`.
- The bridge answers HTTP 200 even for a dead sandbox, with JSON-RPC `-32000`;
  that becomes `SandboxDownError` (a `BridgeError`), never a silent success.
- The stream answers 200 with a single `event: error` when the sandbox is down;
  that also raises `SandboxDownError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Unpack

import httpx
from pydantic import TypeAdapter

from eliza_tools._polling import Plan, Poller, arun_plan, poll, run_plan
from eliza_tools._resource import (
    APIResource,
    Async,
    AsyncResource,
    ModeT,
    Sync,
    SyncResource,
    endpoint,
    path_id,
    unwrap,
)
from eliza_tools._sse import AsyncStream, ServerSentEvent, Stream
from eliza_tools._transport import READ, WRITE, Call, Clock, RequestOptions, RouteFamily
from eliza_tools.errors import (
    BridgeError,
    ConflictError,
    JobFailedError,
    JobTimeoutError,
    SandboxDownError,
)
from eliza_tools.types._base import validate_request
from eliza_tools.types.cloud_agents import (
    JOB_DONE,
    JOB_FAILED,
    SANDBOX_DOWN_CODE,
    ActionResult,
    AgentReply,
    Backup,
    BridgeRequest,
    BridgeResponse,
    CloudAgent,
    CreateAgentRequest,
    Envelope,
    Job,
    MessageRequest,
    PairingToken,
    Polling,
    ProvisionResult,
    RestoreRequest,
    RestoreResult,
    SandboxStatus,
    Snapshot,
    StreamEvent,
)

AGENTS = "/milady/agents"
#: Milady's room for chats from its web UI; its `sendMessage` uses it with channel type DM.
DEFAULT_ROOM = "web-chat"
#: The server polls the sandbox for up to 30 s; Milady's own `sendMessage` allows 60 s.
BRIDGE_TIMEOUT = 60.0
#: The server keeps the stream open up to 120 s.
STREAM_TIMEOUT = 130.0
#: Restoring a stopped agent re-provisions it synchronously.
RESTORE_TIMEOUT = 300.0
#: How long `wait=True` waits for a provisioning job (the server expects about 90 s).
DEFAULT_WAIT = 600.0
#: The interval used when the server does not say (it says 5000 ms today).
DEFAULT_POLL_INTERVAL = 5.0
# Milady agent routes have no rate limit on the server.
_FAMILY = RouteFamily.UNLIMITED


def _agent_path(agent_id: str, tail: str = "") -> str:
    return f"{AGENTS}/{path_id(agent_id, 'agent_id')}{tail}"


def _unwrap(data_type: Any) -> Callable[[httpx.Response], Any]:
    """A `Call.parse` reading `{success, data}` and returning `data` as `data_type`."""
    envelope: type[Envelope[Any]] = Envelope[data_type]
    return unwrap(envelope, lambda body: body.data)


def _agent_call(
    method: str,
    agent_id: str,
    tail: str,
    data_type: Any,
    options: RequestOptions,
    *,
    json: Any = None,
    timeout: float | None = None,
) -> Call[Any]:
    """A call on one agent's route answering `{success, data}`; all but GET change state."""
    return Call(
        method,
        _agent_path(agent_id, tail),
        _unwrap(data_type),
        family=_FAMILY,
        policy=READ if method == "GET" else WRITE,
        json=json,
        timeout=timeout,
        options=options,
    )


# -- plain agent calls --------------------------------------------------------------------


def _list(**options: Unpack[RequestOptions]) -> Call[list[CloudAgent]]:
    """Every cloud agent of the organization."""
    return Call("GET", AGENTS, _unwrap(list[CloudAgent]), family=_FAMILY, options=options)


def _create(
    agent_name: str,
    *,
    character_id: str | None = None,
    agent_config: dict[str, Any] | None = None,
    environment_vars: dict[str, str] | None = None,
    **options: Unpack[RequestOptions],
) -> Call[CloudAgent]:
    """Create an agent (status `pending`); it does not run until `provision`.

    Needs an organization balance of at least $5.00, else `InsufficientCreditsError`
    (its `required_usd` and `balance_usd` say how far off it is).
    """
    body = validate_request(
        CreateAgentRequest,
        agent_name=agent_name,
        character_id=character_id,
        agent_config=agent_config,
        environment_vars=environment_vars,
    )
    return Call(
        "POST",
        AGENTS,
        _unwrap(CloudAgent),
        family=_FAMILY,
        policy=WRITE,
        json=body.to_wire(),
        options=options,
    )


def _get(agent_id: str, **options: Unpack[RequestOptions]) -> Call[CloudAgent]:
    """One agent, with `bridge_url` and `error_count`."""
    return _agent_call("GET", agent_id, "", CloudAgent, options)


def _shutdown(agent_id: str, **options: Unpack[RequestOptions]) -> Call[ActionResult]:
    """Stop the agent's sandbox (`PATCH {action: "shutdown"}`); 409 while provisioning."""
    return _agent_call("PATCH", agent_id, "", ActionResult, options, json={"action": "shutdown"})


def _suspend(agent_id: str, **options: Unpack[RequestOptions]) -> Call[ActionResult]:
    """Take a `pre-shutdown` snapshot, then stop the agent (`resume` brings it back)."""
    return _agent_call("POST", agent_id, "/suspend", ActionResult, options)


def _delete(agent_id: str, **options: Unpack[RequestOptions]) -> Call[None]:
    """Delete the agent and its backups; 409 while it is provisioning."""
    return Call(
        "DELETE",
        _agent_path(agent_id),
        lambda response: None,
        family=_FAMILY,
        policy=WRITE,
        options=options,
    )


def _job(job_id: str, **options: Unpack[RequestOptions]) -> Call[Job]:
    """A job (`GET /api/v1/jobs/{id}`), with the server's `polling` advice attached."""
    adapter = TypeAdapter(Envelope[Job])

    def parse(response: httpx.Response) -> Job:
        raw = response.json()
        job = adapter.validate_python(raw).data
        polling = raw.get("polling") if isinstance(raw, dict) else None
        return job.model_copy(update={"polling": Polling.model_validate(polling or {})})

    return Call(
        "GET",
        f"/jobs/{path_id(job_id, 'job_id')}",
        parse,
        family=RouteFamily.STANDARD,
        options=options,
    )


def _snapshot(agent_id: str, **options: Unpack[RequestOptions]) -> Call[Snapshot]:
    """Back up a running agent now (type `manual`; the newest 10 backups are kept)."""
    return _agent_call("POST", agent_id, "/snapshot", Snapshot, options)


def _backups(agent_id: str, **options: Unpack[RequestOptions]) -> Call[list[Backup]]:
    """The agent's backups (`auto`, `manual`, `pre-shutdown`), newest first."""
    return _agent_call("GET", agent_id, "/backups", list[Backup], options)


def _restore(
    agent_id: str, backup_id: str | None = None, **options: Unpack[RequestOptions]
) -> Call[RestoreResult]:
    """Restore a backup (default: the latest); a stopped agent is re-provisioned meanwhile."""
    body = validate_request(RestoreRequest, backup_id=backup_id)
    return _agent_call(
        "POST",
        agent_id,
        "/restore",
        RestoreResult,
        options,
        json=body.to_wire(),  # the server needs a body, `{}` included
        timeout=RESTORE_TIMEOUT,
    )


def _pairing_token(agent_id: str, **options: Unpack[RequestOptions]) -> Call[PairingToken]:
    """A 60-second token pairing a browser with the running agent's web UI."""
    return _agent_call("POST", agent_id, "/pairing-token", PairingToken, options)


# -- the bridge ---------------------------------------------------------------------------


def bridge_error(error: Any) -> BridgeError:
    """The exception for a JSON-RPC `error` object of the bridge."""
    if not isinstance(error, dict):
        return BridgeError(str(error), code=None)
    code = error.get("code")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    message = str(error.get("message") or "bridge call failed")
    cls = SandboxDownError if code == SANDBOX_DOWN_CODE else BridgeError
    return cls(message, code=code, data=error.get("data"))


def _parse_bridge(response: httpx.Response) -> BridgeResponse:
    raw = response.json()
    if isinstance(raw, dict) and raw.get("error") is not None:
        raise bridge_error(raw["error"])
    return BridgeResponse.model_validate(raw)


def _bridge_call(
    agent_id: str,
    request: BridgeRequest,
    parse: Callable[[httpx.Response], Any],
    options: RequestOptions,
) -> Call[Any]:
    return Call(
        "POST",
        _agent_path(agent_id, "/bridge"),
        parse,
        family=_FAMILY,
        policy=WRITE,  # `message.send` makes the agent act: never sent twice on a guess
        json=request.to_wire(),
        timeout=BRIDGE_TIMEOUT,
        options=options,
    )


def _bridge(
    agent_id: str,
    method: str,
    params: dict[str, Any] | None = None,
    *,
    rpc_id: str | int | None = 1,
    **options: Unpack[RequestOptions],
) -> Call[BridgeResponse]:
    """Call a JSON-RPC method of the agent (`message.send`, `status.get`, `heartbeat`).

    A JSON-RPC error raises `BridgeError` (`SandboxDownError` for -32000, which the
    server answers with HTTP 200 when the sandbox is not running or not reachable).
    """
    request = validate_request(BridgeRequest, id=rpc_id, method=method, params=params)
    return _bridge_call(agent_id, request, _parse_bridge, options)


def _result_as(model: Any) -> Callable[[httpx.Response], Any]:
    def parse(response: httpx.Response) -> Any:
        return model.model_validate(_parse_bridge(response).result)

    return parse


def _message_params(text: str, room_id: str | None, **extra: str | None) -> dict[str, Any]:
    return validate_request(MessageRequest, text=text, room_id=room_id, **extra).to_wire()


def _send_message(
    agent_id: str,
    text: str,
    *,
    room_id: str = DEFAULT_ROOM,
    channel_type: str | None = "DM",
    mode: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[AgentReply]:
    """Send a message through the bridge and return the agent's reply (`message.send`)."""
    params = _message_params(text, room_id, channel_type=channel_type, mode=mode)
    request = BridgeRequest(id=1, method="message.send", params=params)
    return _bridge_call(agent_id, request, _result_as(AgentReply), options)


def _sandbox_status(agent_id: str, **options: Unpack[RequestOptions]) -> Call[SandboxStatus]:
    """The sandbox's own status (`status.get`): uptime, memories, start time."""
    request = BridgeRequest(id=1, method="status.get")
    return _bridge_call(agent_id, request, _result_as(SandboxStatus), options)


def _heartbeat(agent_id: str, **options: Unpack[RequestOptions]) -> Call[BridgeResponse]:
    """Check the sandbox really answers; raises `SandboxDownError` when it does not.

    Unlike Milady's monitor (which counts any HTTP 2xx as alive), this reads the body.
    """
    request = BridgeRequest(method="heartbeat")
    return _bridge_call(agent_id, request, _parse_bridge, options)


def _stream_call(
    agent_id: str, text: str, room_id: str | None, options: RequestOptions
) -> Call[None]:
    params = _message_params(text, room_id)  # the stream route drops channelType and mode
    request = BridgeRequest(id=1, method="message.send", params=params)
    headers = {"Accept": "text/event-stream", **options.get("extra_headers", {})}
    return Call(
        "POST",
        _agent_path(agent_id, "/stream"),
        lambda response: None,
        family=_FAMILY,
        policy=WRITE,
        json=request.to_wire(),
        timeout=STREAM_TIMEOUT,
        options={**options, "extra_headers": headers},
    )


def _stream_event(event: ServerSentEvent) -> StreamEvent:
    """One event of the stream; the `error` event (the sandbox is down) raises."""
    try:
        payload = event.json()
    except ValueError:
        payload = {"text": event.data}
    data = payload if isinstance(payload, dict) else {"value": payload}
    if event.event == "error":
        message = str(data.get("message") or "stream failed")
        raise SandboxDownError(message, code=None, data=data)
    return StreamEvent(event=event.event, data=data)


# -- provisioning and jobs ----------------------------------------------------------------

Lifecycle = Literal["provision", "resume"]


def _provision_result(body: Any, *, in_progress: bool = False) -> ProvisionResult:
    """One result from the 200 (already running), 202 (queued) or 409 (already queued) body."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ValueError("provision answer without data")
    if "jobId" not in data:
        return ProvisionResult(
            agent_id=data["id"],
            status=data.get("status", "running"),
            bridge_url=data.get("bridgeUrl"),
            health_url=data.get("healthUrl"),
        )
    return ProvisionResult(
        agent_id=data["agentId"],
        status=data.get("status", "pending"),
        job_id=data["jobId"],
        already_in_progress=in_progress or bool(body.get("alreadyInProgress")),
        estimated_completion_at=data.get("estimatedCompletionAt"),
        polling=Polling.model_validate(body.get("polling") or {}),
    )


def _lifecycle(
    agent_id: str, action: Lifecycle, webhook_url: str | None, options: RequestOptions
) -> Call[ProvisionResult]:
    headers = dict(options.get("extra_headers", {}))
    if webhook_url is not None:
        headers["X-Webhook-URL"] = webhook_url  # the server posts `job.completed` there
    return Call(
        "POST",
        _agent_path(agent_id, f"/{action}"),
        lambda response: _provision_result(response.json()),
        family=_FAMILY,
        policy=WRITE,  # costs money (a running sandbox is billed hourly)
        options={**options, "extra_headers": headers},
    )


def _already_queued(exc: ConflictError) -> ProvisionResult:
    """A 409 that carries the running job is not a failure: the caller can wait for it."""
    try:
        return _provision_result(exc.body, in_progress=True)
    except (KeyError, ValueError):
        raise exc from None


def _advised_interval(polled: ProvisionResult | Job) -> float | None:
    """The interval the server asked for (its `polling.intervalMs`), in seconds."""
    return polled.polling.interval if polled.polling is not None else None


def _job_plan(clock: Clock, job_id: str, timeout: float, interval: float | None) -> Plan[Job]:
    """Sleep the interval the server asked for, poll, and stop at `completed` (return),
    `failed` or `shouldContinue: false` (raise `JobFailedError`), or when `timeout`
    seconds have passed (raise `JobTimeoutError`)."""

    def done(job: Job) -> bool:
        if job.status == JOB_DONE:
            return True
        stopped = job.polling is not None and job.polling.should_continue is False
        if job.status == JOB_FAILED or stopped:
            raise JobFailedError(
                f"job {job_id} {job.status}: {job.error or 'no reason given'}",
                job_id=job_id,
                status=job.status,
                error=job.error,
            )
        return False

    def expired(job: Job | None, waited: float) -> JobTimeoutError:
        status = job.status if job is not None else "pending"
        message = f"job {job_id} still {status} after {waited:.1f} s"
        return JobTimeoutError(message, job_id=job_id, status=status, waited=waited)

    poller = Poller(
        clock,
        timeout=timeout,
        interval=interval or DEFAULT_POLL_INTERVAL,
        done=done,
        expired=expired,
        advice=_advised_interval,
    )
    yield poller.pause()  # the job was just queued: give it the first interval
    return (yield from poll(poller, lambda: _job(job_id)))


def _start_plan(
    clock: Clock,
    agent_id: str,
    action: Lifecycle,
    wait: bool,
    wait_timeout: float,
    webhook_url: str | None,
    options: RequestOptions,
) -> Plan[ProvisionResult]:
    """`provision` / `resume`: start, then (with `wait`) follow the job and read the agent."""
    try:
        result: ProvisionResult = yield _lifecycle(agent_id, action, webhook_url, options)
    except ConflictError as exc:
        result = _already_queued(exc)
    if not wait or result.job_id is None:
        return result
    interval = _advised_interval(result)
    job = yield from _job_plan(clock, result.job_id, wait_timeout, interval)
    agent: CloudAgent = yield _get(agent_id)
    return result.model_copy(update={"job": job, "agent": agent, "status": agent.status})


class CloudAgents(APIResource[ModeT]):
    """Milady cloud agents: lifecycle, backups, pairing and the JSON-RPC bridge."""

    list = endpoint(_list)
    create = endpoint(_create)
    get = endpoint(_get)
    shutdown = endpoint(_shutdown)
    suspend = endpoint(_suspend)
    delete = endpoint(_delete)
    job = endpoint(_job)
    snapshot = endpoint(_snapshot)
    backups = endpoint(_backups)
    restore = endpoint(_restore)
    pairing_token = endpoint(_pairing_token)
    bridge = endpoint(_bridge)
    send_message = endpoint(_send_message)
    sandbox_status = endpoint(_sandbox_status)
    heartbeat = endpoint(_heartbeat)


class SyncCloudAgents(SyncResource, CloudAgents[Sync]):
    """Cloud agents on the blocking client."""

    def provision(
        self,
        agent_id: str,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_WAIT,
        webhook_url: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ProvisionResult:
        """Start the agent's sandbox. Needs a balance of at least $5.00.

        Returns at once with the job (or with the bridge URL if it already runs).
        With `wait=True`, polls the job (up to `wait_timeout` seconds) until it
        completes and fills in `job` and the fresh `agent`; raises `JobFailedError`
        or `JobTimeoutError`.
        """
        plan = _start_plan(
            self._clock, agent_id, "provision", wait, wait_timeout, webhook_url, options
        )
        return run_plan(self._transport, plan)

    def resume(
        self,
        agent_id: str,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_WAIT,
        webhook_url: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ProvisionResult:
        """Bring a suspended or stopped agent back; like `provision`."""
        plan = _start_plan(
            self._clock, agent_id, "resume", wait, wait_timeout, webhook_url, options
        )
        return run_plan(self._transport, plan)

    def wait_job(
        self, job_id: str, *, wait_timeout: float = DEFAULT_WAIT, interval: float | None = None
    ) -> Job:
        """Poll a job until it completes; raises `JobFailedError` or `JobTimeoutError`."""
        plan = _job_plan(self._clock, job_id, wait_timeout, interval)
        return run_plan(self._transport, plan)

    def stream_message(
        self,
        agent_id: str,
        text: str,
        *,
        room_id: str | None = DEFAULT_ROOM,
        **options: Unpack[RequestOptions],
    ) -> Stream[StreamEvent]:
        """Send a message; iterate the result for the SSE events as they come.

        Events are `connected`, one or more `chunk` (their `.text` is the reply)
        and `done`. Iterating raises `SandboxDownError` when the server streams its
        `error` event (it answers HTTP 200 when the sandbox is down). Use it in a
        `with` block, or read it to the end, to release the connection.
        """
        call = _stream_call(agent_id, text, room_id, options)
        return Stream(self._transport, call, _stream_event)


class AsyncCloudAgents(AsyncResource, CloudAgents[Async]):
    """Cloud agents on the asyncio client; the twin of `SyncCloudAgents`."""

    async def provision(
        self,
        agent_id: str,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_WAIT,
        webhook_url: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ProvisionResult:
        """Async twin of `SyncCloudAgents.provision`."""
        plan = _start_plan(
            self._clock, agent_id, "provision", wait, wait_timeout, webhook_url, options
        )
        return await arun_plan(self._transport, plan)

    async def resume(
        self,
        agent_id: str,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_WAIT,
        webhook_url: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ProvisionResult:
        """Async twin of `SyncCloudAgents.resume`."""
        plan = _start_plan(
            self._clock, agent_id, "resume", wait, wait_timeout, webhook_url, options
        )
        return await arun_plan(self._transport, plan)

    async def wait_job(
        self, job_id: str, *, wait_timeout: float = DEFAULT_WAIT, interval: float | None = None
    ) -> Job:
        """Async twin of `SyncCloudAgents.wait_job`."""
        plan = _job_plan(self._clock, job_id, wait_timeout, interval)
        return await arun_plan(self._transport, plan)

    async def stream_message(
        self,
        agent_id: str,
        text: str,
        *,
        room_id: str | None = DEFAULT_ROOM,
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[StreamEvent]:
        """Async twin of `SyncCloudAgents.stream_message`: await it, then `async for`."""
        call = _stream_call(agent_id, text, room_id, options)
        return await AsyncStream.open(self._transport, call, _stream_event)
