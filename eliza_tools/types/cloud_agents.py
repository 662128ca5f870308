"""Milady cloud agent shapes (`/api/v1/milady/agents/**`, reference §11.2) and jobs (§7).

Every route answers `{success, data}`; the resources unwrap `data`. Status is a
plain string (`pending|provisioning|running|stopped|disconnected|error` today)
so a new server status never breaks parsing.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import Field, SecretStr

from eliza_tools.types._base import ElizaModel, RequestModel

DataT = TypeVar("DataT")

AgentAction = Literal["shutdown", "suspend"]
#: The agent statuses the server knows today.
AGENT_STATUSES = ("pending", "provisioning", "running", "stopped", "disconnected", "error")
#: The JSON-RPC code the bridge answers (with HTTP 200) when the sandbox is down.
SANDBOX_DOWN_CODE = -32000
#: Terminal statuses of a job.
JOB_DONE = "completed"
JOB_FAILED = "failed"


class Envelope(ElizaModel, Generic[DataT]):
    """`{success, data}`, the envelope of every Milady agent route and of jobs."""

    success: bool = True
    data: DataT


class CloudAgent(ElizaModel):
    """A cloud agent. The list has the common fields; `get` adds `bridge_url` and `error_count`."""

    id: str
    agent_name: str | None = None
    status: str = "pending"
    database_status: str | None = None
    last_backup_at: str | None = None
    last_heartbeat_at: str | None = None
    error_message: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    bridge_url: str | None = None
    error_count: int | None = None

    @property
    def running(self) -> bool:
        """Whether the sandbox is up (the bridge can answer)."""
        return self.status == "running"


class CreateAgentRequest(RequestModel):
    """The body of `POST /agents` (creating does not provision)."""

    agent_name: str = Field(min_length=1, max_length=100)
    character_id: str | None = Field(
        default=None,
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    )
    agent_config: dict[str, Any] | None = None
    # The server stores environment variables as given: the keys stay as written.
    environment_vars: dict[str, str] | None = None


class ActionResult(ElizaModel):
    """`PATCH /agents/{id}` (shutdown, suspend) and `POST …/suspend`."""

    agent_id: str
    action: str
    message: str = ""
    previous_status: str | None = None


class Polling(ElizaModel):
    """How the server asks to be polled: `{endpoint?, intervalMs?, shouldContinue?, …}`."""

    endpoint: str | None = None
    interval_ms: int | None = None
    expected_duration_ms: int | None = None
    should_continue: bool | None = None

    @property
    def interval(self) -> float | None:
        """The interval in seconds, when the server gave one."""
        return self.interval_ms / 1000 if self.interval_ms is not None else None


class Job(ElizaModel):
    """`GET /api/v1/jobs/{id}`: the status sits under `data` (the official SDK misreads it)."""

    id: str
    type: str | None = None
    status: str
    result: Any = None
    error: Any = None
    attempts: int | None = None
    max_attempts: int | None = None
    estimated_completion_at: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    #: The envelope's `polling`, copied here by the resource.
    polling: Polling | None = None

    @property
    def done(self) -> bool:
        """Completed or failed: polling again would not change it."""
        return self.status in (JOB_DONE, JOB_FAILED)


class ProvisionResult(ElizaModel):
    """What `provision` / `resume` answered.

    Either the agent was already running (HTTP 200: `job_id` is None and
    `bridge_url` is set), or a job was queued (202) or was already queued (409:
    `already_in_progress`). With `wait=True` the finished `job` and the fresh
    `agent` are filled in.
    """

    agent_id: str
    status: str
    job_id: str | None = None
    already_in_progress: bool = False
    estimated_completion_at: str | None = None
    bridge_url: str | None = None
    health_url: str | None = None
    polling: Polling | None = None
    job: Job | None = None
    agent: CloudAgent | None = None

    @property
    def queued(self) -> bool:
        """Whether the server answered with a job to wait for."""
        return self.job_id is not None


class Snapshot(ElizaModel):
    """`POST …/snapshot`: always of type `manual` (the server ignores the body)."""

    backup_id: str
    snapshot_type: str = "manual"
    size_bytes: int | None = None
    created_at: str | None = None


class Backup(ElizaModel):
    """One entry of `GET …/backups` (note: `id` here, `backupId` from `snapshot`)."""

    id: str
    snapshot_type: str
    size_bytes: int | None = None
    vercel_snapshot_id: str | None = None
    created_at: str | None = None


class RestoreRequest(RequestModel):
    """The body of `POST …/restore`; `{}` restores the latest backup."""

    backup_id: str | None = Field(
        default=None,
        pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    )


class RestoreResult(ElizaModel):
    """`POST …/restore`."""

    restored_from_backup_id: str
    snapshot_type: str | None = None
    created_at: str | None = None


class PairingToken(ElizaModel):
    """`POST …/pairing-token`: a 60-second token; hidden in repr and logs."""

    token: SecretStr
    redirect_url: str | None = None
    expires_in: int = 60


class BridgeRequest(RequestModel):
    """A JSON-RPC 2.0 request to the agent's bridge."""

    jsonrpc: Literal["2.0"] = "2.0"
    id: str | int | None = None
    method: str = Field(min_length=1)
    params: dict[str, Any] | None = None


class BridgeResponse(ElizaModel):
    """A JSON-RPC answer of the bridge (its `error`, if any, was raised as `BridgeError`).

    `heartbeat` answers a notification `{method: "heartbeat.ack", params}` with no `result`.
    """

    jsonrpc: str = "2.0"
    id: str | int | None = None
    result: Any = None
    method: str | None = None
    params: Any = None


class MessageRequest(RequestModel):
    """`message.send` parameters; `channelType` and `mode` reach only the plain bridge."""

    text: str = Field(min_length=1)
    room_id: str | None = Field(default=None, min_length=1)
    channel_type: str | None = None
    mode: str | None = None


class AgentReply(ElizaModel):
    """The `result` of `message.send`: the agent's reply."""

    text: str
    metadata: dict[str, Any] = Field(default_factory=dict)


class SandboxStatus(ElizaModel):
    """The `result` of `status.get`."""

    status: str
    uptime: float | None = None
    memories_count: int | None = None
    started_at: str | None = None


class StreamEvent(ElizaModel):
    """One SSE event of `POST …/stream`: `connected`, `chunk` (`{text}`) or `done`."""

    event: str
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def text(self) -> str:
        """The text of a `chunk` event ("" for the others)."""
        value = self.data.get("text") if self.event == "chunk" else None
        return value if isinstance(value, str) else ""
