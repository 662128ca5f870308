"""A2A (Agent2Agent) for Python: one canonical 1.0 model, four wire dialects, client and server.

- `a2a.types`: the protocol objects (pydantic).
- `a2a.dialects`: 1.0, 0.3, the elizaOS Cloud variant and 0.1 on the wire.
- `a2a.jsonrpc`: envelopes and typed errors.
- `A2AClient` / `SyncA2AClient`: talk to any A2A agent (`from_url`) or the elizaOS Cloud
  (`for_elizacloud`).
- `a2a.server.create_app`: serve an agent (needs the `server` extra: Starlette, uvicorn).
- `a2a.langchain`: LangChain runnables as agents, remote agents as LangChain tools.

This package does not use the official `a2a-sdk` (which also installs a top-level `a2a`).
"""

from a2a.client import A2AClient, SyncA2AClient
from a2a.dialects import ELIZACLOUD, V0_1, V0_3, V1_0, Dialect, get_dialect
from a2a.jsonrpc import (
    A2AError,
    AuthenticationRequiredError,
    ContentTypeNotSupportedError,
    InsufficientCreditsError,
    InvalidParamsError,
    InvalidRequestError,
    MethodNotFoundError,
    PushNotificationNotSupportedError,
    RateLimitedError,
    TaskNotCancelableError,
    TaskNotFoundError,
    UnsupportedOperationError,
    VersionNotSupportedError,
)
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    Artifact,
    Event,
    Message,
    Part,
    Role,
    Task,
    TaskArtifactUpdateEvent,
    TaskPushNotificationConfig,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
    get_text,
)

__all__ = [
    "ELIZACLOUD",
    "V0_1",
    "V0_3",
    "V1_0",
    "A2AClient",
    "A2AError",
    "AgentCapabilities",
    "AgentCard",
    "AgentInterface",
    "AgentSkill",
    "Artifact",
    "AuthenticationRequiredError",
    "ContentTypeNotSupportedError",
    "Dialect",
    "Event",
    "InsufficientCreditsError",
    "InvalidParamsError",
    "InvalidRequestError",
    "Message",
    "MethodNotFoundError",
    "Part",
    "PushNotificationNotSupportedError",
    "RateLimitedError",
    "Role",
    "SyncA2AClient",
    "Task",
    "TaskArtifactUpdateEvent",
    "TaskNotCancelableError",
    "TaskNotFoundError",
    "TaskPushNotificationConfig",
    "TaskState",
    "TaskStatus",
    "TaskStatusUpdateEvent",
    "UnsupportedOperationError",
    "VersionNotSupportedError",
    "get_dialect",
    "get_text",
]
