"""A2A 1.0 protocol objects: the canonical form inside the library.

Every dialect (1.0, 0.3, the elizaOS Cloud variant, 0.1) converts to and from these
models at the edge. Field names are snake_case in Python and camelCase on the wire;
enum values are the 1.0 ProtoJSON spellings (`TASK_STATE_COMPLETED`, `ROLE_USER`).
Unknown wire fields are ignored so newer peers do not break us.
"""

from __future__ import annotations

import base64
import binascii
import os
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel


class A2AModel(BaseModel):
    """Base for every protocol object: camelCase aliases, snake_case names, extras ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", validate_by_name=True
    )

    def to_wire(self) -> dict[str, Any]:
        """The 1.0 JSON form: camelCase, unset optional fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def new_id() -> str:
    """A fresh random identifier (task, context, message and artifact ids): a UUID 4 string,
    built directly from random bytes (several per request, so cheaper than uuid.uuid4())."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def now_iso() -> str:
    """The current time as the RFC 3339 string A2A timestamps use (millisecond precision)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


class Role(StrEnum):
    """Who wrote a message."""

    USER = "ROLE_USER"
    AGENT = "ROLE_AGENT"


class TaskState(StrEnum):
    """The lifecycle state of a task."""

    UNSPECIFIED = "TASK_STATE_UNSPECIFIED"
    SUBMITTED = "TASK_STATE_SUBMITTED"
    WORKING = "TASK_STATE_WORKING"
    COMPLETED = "TASK_STATE_COMPLETED"
    FAILED = "TASK_STATE_FAILED"
    CANCELED = "TASK_STATE_CANCELED"
    INPUT_REQUIRED = "TASK_STATE_INPUT_REQUIRED"
    REJECTED = "TASK_STATE_REJECTED"
    AUTH_REQUIRED = "TASK_STATE_AUTH_REQUIRED"

    @property
    def is_terminal(self) -> bool:
        """No further change can happen to a task in this state."""
        return self in TERMINAL_STATES

    @property
    def is_interrupted(self) -> bool:
        """The task waits for the client (more input or credentials)."""
        return self in INTERRUPTED_STATES


TERMINAL_STATES = frozenset(
    {TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELED, TaskState.REJECTED}
)
INTERRUPTED_STATES = frozenset({TaskState.INPUT_REQUIRED, TaskState.AUTH_REQUIRED})


class Part(A2AModel):
    """One piece of content: exactly one of `text`, `raw` (bytes), `url` or `data`."""

    text: str | None = None
    raw: bytes | None = None
    url: str | None = None
    data: Any = None
    metadata: dict[str, Any] | None = None
    filename: str | None = None
    media_type: str | None = None

    @field_validator("raw", mode="before")
    @classmethod
    def _decode_raw(cls, value: Any) -> Any:
        # On the wire raw bytes are base64 text; in Python they are bytes.
        if isinstance(value, str):
            try:
                return base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError("raw must be base64-encoded bytes") from exc
        return value

    @model_validator(mode="after")
    def _one_content(self) -> Part:
        members = ("text", "raw", "url", "data")
        if sum(getattr(self, m) is not None for m in members) > 1:
            # ProtoJSON writers may emit unset members as "" (seen from the official SDK):
            # an empty member next to a real one is no content.
            for member in members:
                if getattr(self, member) in ("", b""):
                    setattr(self, member, None)
        if sum(getattr(self, m) is not None for m in members) != 1:
            raise ValueError("a part needs exactly one of text, raw, url or data")
        return self

    @field_serializer("raw")
    def _encode_raw(self, value: bytes | None) -> str | None:
        return None if value is None else base64.b64encode(value).decode("ascii")

    @property
    def kind(self) -> str:
        """Which content member is set: `text`, `raw`, `url` or `data`."""
        if self.text is not None:
            return "text"
        if self.raw is not None:
            return "raw"
        if self.url is not None:
            return "url"
        return "data"


class Message(A2AModel):
    """One turn of conversation between a user and an agent."""

    message_id: str = Field(default_factory=new_id)
    context_id: str | None = None
    task_id: str | None = None
    role: Role
    parts: list[Part]
    metadata: dict[str, Any] | None = None
    extensions: list[str] | None = None
    reference_task_ids: list[str] | None = None


class TaskStatus(A2AModel):
    """A task's state, with an optional message from the agent and when it was set."""

    state: TaskState
    message: Message | None = None
    timestamp: str | None = None


class Artifact(A2AModel):
    """An output of a task."""

    artifact_id: str = Field(default_factory=new_id)
    name: str | None = None
    description: str | None = None
    parts: list[Part]
    metadata: dict[str, Any] | None = None
    extensions: list[str] | None = None


class Task(A2AModel):
    """A unit of work with a lifecycle, its outputs and its conversation."""

    id: str
    context_id: str | None = None
    status: TaskStatus
    artifacts: list[Artifact] | None = None
    history: list[Message] | None = None
    metadata: dict[str, Any] | None = None


class TaskStatusUpdateEvent(A2AModel):
    """A task changed state (streamed and pushed)."""

    task_id: str
    context_id: str | None = None
    status: TaskStatus
    metadata: dict[str, Any] | None = None


class TaskArtifactUpdateEvent(A2AModel):
    """A task produced (a chunk of) an artifact."""

    task_id: str
    context_id: str | None = None
    artifact: Artifact
    append: bool | None = None
    last_chunk: bool | None = None
    metadata: dict[str, Any] | None = None


Event: TypeAlias = Task | Message | TaskStatusUpdateEvent | TaskArtifactUpdateEvent
"""What a stream yields (1.0 `StreamResponse` members)."""

SendResult: TypeAlias = Task | Message
"""What `SendMessage` answers."""


class AuthenticationInfo(A2AModel):
    """Credentials the server sends with push notifications (`Authorization: scheme creds`)."""

    scheme: str
    credentials: str | None = None


class TaskPushNotificationConfig(A2AModel):
    """Where and how to push a task's updates."""

    tenant: str | None = None
    id: str | None = None
    task_id: str | None = None
    url: str
    token: str | None = None
    authentication: AuthenticationInfo | None = None


class SendMessageConfiguration(A2AModel):
    """Options for one `SendMessage`."""

    accepted_output_modes: list[str] | None = None
    task_push_notification_config: TaskPushNotificationConfig | None = None
    history_length: int | None = None
    return_immediately: bool | None = None


class SendMessageRequest(A2AModel):
    """Parameters of `SendMessage` / `SendStreamingMessage`."""

    tenant: str | None = None
    message: Message
    configuration: SendMessageConfiguration | None = None
    metadata: dict[str, Any] | None = None


class TaskQuery(A2AModel):
    """Parameters naming one task (`GetTask`, `CancelTask`, `SubscribeToTask`)."""

    tenant: str | None = None
    id: str
    history_length: int | None = None
    metadata: dict[str, Any] | None = None


MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


class ListTasksRequest(A2AModel):
    """Parameters of `ListTasks`."""

    tenant: str | None = None
    context_id: str | None = None
    status: TaskState | None = None
    page_size: int | None = Field(default=None, ge=0)
    page_token: str | None = None
    history_length: int | None = Field(default=None, ge=0)
    status_timestamp_after: str | None = None
    include_artifacts: bool | None = None

    @field_validator("page_size")
    @classmethod
    def _clamp_page_size(cls, value: int | None) -> int | None:
        # 0 is ProtoJSON's "unset" (default 50); the spec caps pages at 100.
        return None if not value else min(value, MAX_PAGE_SIZE)


class ListTasksResponse(A2AModel):
    """One page of tasks; `next_page_token` is empty on the last page."""

    tasks: list[Task]
    next_page_token: str = ""
    page_size: int
    total_size: int


class PushConfigQuery(A2AModel):
    """Parameters of the get/delete/list push-notification-config calls."""

    tenant: str | None = None
    task_id: str
    id: str | None = None
    page_size: int | None = None
    page_token: str | None = None


class ListTaskPushNotificationConfigsResponse(A2AModel):
    """The push configs of one task."""

    configs: list[TaskPushNotificationConfig]
    next_page_token: str = ""


class AgentInterface(A2AModel):
    """One way to reach the agent: URL, binding and protocol version."""

    url: str
    protocol_binding: str = "JSONRPC"
    tenant: str | None = None
    protocol_version: str = "1.0"


class AgentProvider(A2AModel):
    """Who runs the agent."""

    organization: str
    url: str | None = None


class AgentExtension(A2AModel):
    """A protocol extension the agent supports."""

    uri: str
    description: str | None = None
    required: bool | None = None
    params: dict[str, Any] | None = None


class AgentCapabilities(A2AModel):
    """Optional protocol features the agent offers."""

    streaming: bool | None = None
    push_notifications: bool | None = None
    extensions: list[AgentExtension] | None = None
    extended_agent_card: bool | None = None


class AgentSkill(A2AModel):
    """Something the agent can do."""

    id: str
    name: str
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    examples: list[str] | None = None
    input_modes: list[str] | None = None
    output_modes: list[str] | None = None
    security_requirements: list[dict[str, Any]] | None = None


class AgentCard(A2AModel):
    """The agent's self-description, served at `/.well-known/agent-card.json`."""

    name: str
    description: str = ""
    supported_interfaces: list[AgentInterface] = Field(default_factory=list)
    provider: AgentProvider | None = None
    version: str = "1.0.0"
    documentation_url: str | None = None
    capabilities: AgentCapabilities = Field(default_factory=AgentCapabilities)
    security_schemes: dict[str, Any] | None = None
    security_requirements: list[dict[str, Any]] | None = None
    default_input_modes: list[str] = Field(default_factory=lambda: ["text/plain"])
    default_output_modes: list[str] = Field(default_factory=lambda: ["text/plain"])
    skills: list[AgentSkill] = Field(default_factory=list)
    signatures: list[dict[str, Any]] | None = None
    icon_url: str | None = None


def ends_stream(event: Event) -> bool:
    """Whether a stream ends after this event: a Message, or a status update to a terminal or
    interrupted state (1.0 closes there; 0.x marks it `final`)."""
    if isinstance(event, Message):
        return True
    if isinstance(event, TaskStatusUpdateEvent):
        state = event.status.state
        return state.is_terminal or state.is_interrupted
    return False


def text_part(text: str) -> Part:
    """A text part."""
    return Part(text=text)


def user_message(text: str, **fields: Any) -> Message:
    """A user message holding one text part."""
    return Message(role=Role.USER, parts=[Part(text=text)], **fields)


def agent_message(text: str, **fields: Any) -> Message:
    """An agent message holding one text part."""
    return Message(role=Role.AGENT, parts=[Part(text=text)], **fields)


def get_text(obj: Event | Artifact | Part | list[Part] | None) -> str:
    """The text of a message, task (status message, then artifacts), artifact or parts.

    Data parts are skipped; several text parts are joined by newlines.
    """
    if obj is None:
        return ""
    if isinstance(obj, Part):
        return obj.text or ""
    if isinstance(obj, list):
        return "\n".join(p.text for p in obj if p.text is not None)
    if isinstance(obj, Message | Artifact):
        return get_text(obj.parts)
    if isinstance(obj, TaskArtifactUpdateEvent):
        return get_text(obj.artifact)
    if isinstance(obj, TaskStatusUpdateEvent):
        return get_text(obj.status.message)
    texts = [get_text(a) for a in obj.artifacts or []]
    texts = [t for t in texts if t]
    if texts:
        return "\n".join(texts)
    return get_text(obj.status.message)
