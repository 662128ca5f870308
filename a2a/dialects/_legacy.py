"""What the pre-1.0 dialects share: lowercase enums, `file` parts, bare (unwrapped) results.

0.3, the elizaOS Cloud variant and 0.1 differ only in a handful of switches (the part
discriminator, whether messages carry ids, what the context id is called, how artifacts
are addressed), which are class attributes here. Decoding is by shape and tolerant: a
0.3 peer that sends `type` or a 0.1 peer that sends `kind` is still understood.
"""

from __future__ import annotations

import base64
from typing import Any

from a2a.dialects.base import Dialect, require_dict, validate
from a2a.jsonrpc import InvalidParamsError
from a2a.types import (
    Artifact,
    AuthenticationInfo,
    Event,
    Message,
    Part,
    PushConfigQuery,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    SendResult,
    Task,
    TaskArtifactUpdateEvent,
    TaskPushNotificationConfig,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
    new_id,
)

STATE_TO_LEGACY = {
    TaskState.UNSPECIFIED: "unknown",
    TaskState.SUBMITTED: "submitted",
    TaskState.WORKING: "working",
    TaskState.COMPLETED: "completed",
    TaskState.FAILED: "failed",
    TaskState.CANCELED: "canceled",
    TaskState.INPUT_REQUIRED: "input-required",
    TaskState.REJECTED: "rejected",
    TaskState.AUTH_REQUIRED: "auth-required",
}
LEGACY_TO_STATE = {v: k for k, v in STATE_TO_LEGACY.items()}
LEGACY_TO_STATE["cancelled"] = TaskState.CANCELED  # the cloud docs spell it so
_ROLE_TO_LEGACY = {Role.USER: "user", Role.AGENT: "agent"}
_LEGACY_TO_ROLE = {"user": Role.USER, "agent": Role.AGENT}


def _opt(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


class LegacyDialect(Dialect):
    """Shared codec of the 0.x dialects; subclasses set the switches below."""

    final_flag = True
    error_info = False
    tag = "kind"
    """The part discriminator key."""
    tag_objects = True
    """Messages, tasks and events carry `kind` too."""
    message_ids = True
    """Messages carry messageId, contextId, taskId, referenceTaskIds, extensions."""
    context_key = "contextId"
    event_task_key = "taskId"
    push_task_key = "taskId"
    artifact_index = False
    """Artifacts are addressed by `index` (0.1) instead of `artifactId`."""
    state_names = STATE_TO_LEGACY

    # -- parts -------------------------------------------------------------------
    def encode_part(self, part: Part) -> dict[str, Any]:
        out: dict[str, Any]
        if part.text is not None:
            out = {self.tag: "text", "text": part.text}
        elif part.raw is not None or part.url is not None:
            file: dict[str, Any] = {}
            if part.raw is not None:
                file["bytes"] = base64.b64encode(part.raw).decode("ascii")
            else:
                file["uri"] = part.url
            _opt(file, "name", part.filename)
            _opt(file, "mimeType", part.media_type)
            out = {self.tag: "file", "file": file}
        else:
            out = {self.tag: "data", "data": part.data}
        _opt(out, "metadata", part.metadata)
        return out

    def decode_part(self, data: Any, where: str) -> Part:
        body = require_dict(data, where)
        kind = body.get(self.tag) or body.get("kind") or body.get("type")
        if kind is None:
            kind = "text" if "text" in body else "file" if "file" in body else "data"
        fields: dict[str, Any] = {"metadata": body.get("metadata")}
        if kind == "text":
            fields["text"] = body.get("text")
        elif kind == "file":
            file = require_dict(body.get("file"), f"{where}.file")
            if "bytes" in file:
                fields["raw"] = file["bytes"]
            else:
                fields["url"] = file.get("uri")
            fields["filename"] = file.get("name")
            fields["media_type"] = file.get("mimeType")
        elif kind == "data":
            fields["data"] = body.get("data")
        else:
            raise InvalidParamsError(f"{where}.{self.tag}: unknown part kind {kind!r}")
        return validate(Part, fields, where)

    # -- messages, artifacts, tasks -------------------------------------------------
    def encode_message(self, message: Message) -> dict[str, Any]:
        out: dict[str, Any] = {
            "role": _ROLE_TO_LEGACY[message.role],
            "parts": [self.encode_part(p) for p in message.parts],
        }
        if self.tag_objects:
            out["kind"] = "message"
        if self.message_ids:
            out["messageId"] = message.message_id
            _opt(out, "contextId", message.context_id)
            _opt(out, "taskId", message.task_id)
            _opt(out, "referenceTaskIds", message.reference_task_ids)
            _opt(out, "extensions", message.extensions)
        _opt(out, "metadata", message.metadata)
        return out

    def decode_message(self, data: Any, where: str = "message") -> Message:
        body = require_dict(data, where)
        role = _LEGACY_TO_ROLE.get(str(body.get("role"))) or body.get("role")
        parts = body.get("parts")
        if not isinstance(parts, list):
            raise InvalidParamsError(f"{where}.parts: must be a list of parts")
        fields: dict[str, Any] = {
            "role": role,
            "parts": [self.decode_part(p, f"{where}.parts.{i}") for i, p in enumerate(parts)],
            "metadata": body.get("metadata"),
            "context_id": body.get("contextId"),
            "task_id": body.get("taskId"),
            "reference_task_ids": body.get("referenceTaskIds"),
            "extensions": body.get("extensions"),
        }
        fields["message_id"] = body.get("messageId") or new_id()
        return validate(Message, fields, where)

    def encode_artifact(self, artifact: Artifact, index: int) -> dict[str, Any]:
        out: dict[str, Any] = {"artifactId": artifact.artifact_id}
        if self.artifact_index:
            out["index"] = index
        _opt(out, "name", artifact.name)
        _opt(out, "description", artifact.description)
        out["parts"] = [self.encode_part(p) for p in artifact.parts]
        _opt(out, "metadata", artifact.metadata)
        if not self.artifact_index:
            _opt(out, "extensions", artifact.extensions)
        return out

    def decode_artifact(self, data: Any, where: str) -> Artifact:
        body = require_dict(data, where)
        parts = body.get("parts")
        if not isinstance(parts, list):
            raise InvalidParamsError(f"{where}.parts: must be a list of parts")
        artifact_id = body.get("artifactId")
        if artifact_id is None:
            artifact_id = str(body.get("index", 0)) if self.artifact_index else new_id()
        fields = {
            "artifact_id": artifact_id,
            "name": body.get("name"),
            "description": body.get("description"),
            "parts": [self.decode_part(p, f"{where}.parts.{i}") for i, p in enumerate(parts)],
            "metadata": body.get("metadata"),
            "extensions": body.get("extensions"),
        }
        return validate(Artifact, fields, where)

    def encode_status(self, status: TaskStatus) -> dict[str, Any]:
        out: dict[str, Any] = {"state": self.state_names[status.state]}
        if status.message is not None:
            out["message"] = self.encode_message(status.message)
        _opt(out, "timestamp", status.timestamp)
        return out

    def decode_status(self, data: Any, where: str) -> TaskStatus:
        body = require_dict(data, where)
        state = LEGACY_TO_STATE.get(body.get("state"))  # type: ignore[arg-type]
        if state is None:
            raise InvalidParamsError(f"{where}.state: unknown task state {body.get('state')!r}")
        message = body.get("message")
        return TaskStatus(
            state=state,
            message=None if message is None else self.decode_message(message, f"{where}.message"),
            timestamp=body.get("timestamp"),
        )

    def encode_task(self, task: Task) -> dict[str, Any]:
        out: dict[str, Any] = {"id": task.id}
        if self.tag_objects:
            out["kind"] = "task"
        _opt(out, self.context_key, task.context_id)
        out["status"] = self.encode_status(task.status)
        if task.artifacts is not None:
            out["artifacts"] = [self.encode_artifact(a, i) for i, a in enumerate(task.artifacts)]
        if task.history is not None:
            out["history"] = [self.encode_message(m) for m in task.history]
        _opt(out, "metadata", task.metadata)
        return out

    def decode_task(self, data: Any, where: str = "result") -> Task:
        body = require_dict(data, where)
        if not isinstance(body.get("id"), str):
            raise InvalidParamsError(f"{where}.id: must be a string")
        artifacts = body.get("artifacts")
        history = body.get("history")
        return Task(
            id=body["id"],
            context_id=body.get(self.context_key) or body.get("contextId"),
            status=self.decode_status(body.get("status"), f"{where}.status"),
            artifacts=None
            if artifacts is None
            else [
                self.decode_artifact(a, f"{where}.artifacts.{i}") for i, a in enumerate(artifacts)
            ],
            history=None
            if history is None
            else [self.decode_message(m, f"{where}.history.{i}") for i, m in enumerate(history)],
            metadata=body.get("metadata"),
        )

    # -- events ----------------------------------------------------------------------
    def encode_event(self, event: Event, *, final: bool = False) -> dict[str, Any]:
        if isinstance(event, Task):
            return self.encode_task(event)
        if isinstance(event, Message):
            return self.encode_message(event)
        out: dict[str, Any] = {self.event_task_key: event.task_id}
        if self.event_task_key == "taskId":
            _opt(out, "contextId", event.context_id)
        if isinstance(event, TaskStatusUpdateEvent):
            if self.tag_objects:
                out["kind"] = "status-update"
            out["status"] = self.encode_status(event.status)
            out["final"] = final
        else:
            if self.tag_objects:
                out["kind"] = "artifact-update"
            artifact = self.encode_artifact(event.artifact, _index_of(event.artifact))
            if self.artifact_index:
                # 0.1 keeps chunking flags inside the artifact.
                _opt(artifact, "append", event.append)
                _opt(artifact, "lastChunk", event.last_chunk)
            else:
                _opt(out, "append", event.append)
                _opt(out, "lastChunk", event.last_chunk)
            out["artifact"] = artifact
        _opt(out, "metadata", event.metadata)
        return out

    def decode_event(self, data: Any) -> tuple[Event, bool]:
        body = require_dict(data, "result")
        kind = body.get("kind")
        final = bool(body.get("final", False))
        task_id = body.get(self.event_task_key, body.get("taskId", body.get("id")))
        if kind == "artifact-update" or (kind is None and "artifact" in body):
            artifact_body = require_dict(body.get("artifact"), "result.artifact")
            flags = artifact_body if self.artifact_index else body
            return TaskArtifactUpdateEvent(
                task_id=task_id,
                context_id=body.get("contextId"),
                artifact=self.decode_artifact(artifact_body, "result.artifact"),
                append=flags.get("append"),
                last_chunk=flags.get("lastChunk"),
                metadata=body.get("metadata"),
            ), final
        if kind == "status-update" or (kind is None and ("taskId" in body or "final" in body)):
            return TaskStatusUpdateEvent(
                task_id=task_id,
                context_id=body.get("contextId"),
                status=self.decode_status(body.get("status"), "result.status"),
                metadata=body.get("metadata"),
            ), final
        if kind == "task" or (kind is None and "status" in body):
            return self.decode_task(body), final
        return self.decode_message(body, "result"), final

    # -- results -----------------------------------------------------------------------
    def encode_send_result(self, result: SendResult) -> dict[str, Any]:
        return self.encode_task(result) if isinstance(result, Task) else self.encode_message(result)

    def decode_send_result(self, data: Any) -> SendResult:
        body = require_dict(data, "result")
        if body.get("kind") == "task" or "status" in body:
            return self.decode_task(body)
        return self.decode_message(body, "result")

    # -- send params ---------------------------------------------------------------------
    def encode_configuration(self, config: SendMessageConfiguration | None) -> dict[str, Any]:
        """The 0.x `configuration` object (blocking is the opposite of returnImmediately)."""
        if config is None:
            return {}
        out: dict[str, Any] = {}
        _opt(out, "acceptedOutputModes", config.accepted_output_modes)
        _opt(out, "historyLength", config.history_length)
        if config.task_push_notification_config is not None:
            out["pushNotificationConfig"] = self.encode_push_body(
                config.task_push_notification_config
            )
        if config.return_immediately is not None:
            out["blocking"] = not config.return_immediately
        return out

    def decode_configuration(self, data: Any, where: str) -> SendMessageConfiguration | None:
        if data is None:
            return None
        body = require_dict(data, where)
        push = body.get("pushNotificationConfig")
        blocking = body.get("blocking")
        return validate(
            SendMessageConfiguration,
            {
                "accepted_output_modes": body.get("acceptedOutputModes"),
                "history_length": body.get("historyLength"),
                "task_push_notification_config": None
                if push is None
                else self.decode_push_body(push, None, f"{where}.pushNotificationConfig"),
                "return_immediately": None if blocking is None else not blocking,
            },
            where,
        )

    def encode_send(self, request: SendMessageRequest) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.encode_message(request.message)}
        if request.configuration is not None:
            out["configuration"] = self.encode_configuration(request.configuration)
        _opt(out, "metadata", request.metadata)
        return out

    def decode_send(self, params: dict[str, Any]) -> SendMessageRequest:
        if "message" not in params:
            raise InvalidParamsError("params.message: Field required")
        return SendMessageRequest(
            message=self.decode_message(params["message"], "params.message"),
            configuration=self.decode_configuration(
                params.get("configuration"), "params.configuration"
            ),
            metadata=params.get("metadata"),
        )

    # -- push configs ----------------------------------------------------------------------
    def encode_push_body(self, config: TaskPushNotificationConfig) -> dict[str, Any]:
        """The inner 0.x PushNotificationConfig `{id?, url, token?, authentication?}`."""
        out: dict[str, Any] = {}
        _opt(out, "id", config.id)
        out["url"] = config.url
        _opt(out, "token", config.token)
        if config.authentication is not None:
            auth: dict[str, Any] = {"schemes": [config.authentication.scheme]}
            _opt(auth, "credentials", config.authentication.credentials)
            out["authentication"] = auth
        return out

    def decode_push_body(
        self, data: Any, task_id: str | None, where: str
    ) -> TaskPushNotificationConfig:
        body = require_dict(data, where)
        auth = body.get("authentication")
        info = None
        if auth is not None:
            auth_body = require_dict(auth, f"{where}.authentication")
            schemes = auth_body.get("schemes") or [auth_body.get("scheme") or "Bearer"]
            info = AuthenticationInfo(scheme=schemes[0], credentials=auth_body.get("credentials"))
        fields = {
            "id": body.get("id"),
            "task_id": task_id,
            "url": body.get("url"),
            "token": body.get("token"),
            "authentication": info,
        }
        return validate(TaskPushNotificationConfig, fields, where)

    def encode_push_config(self, config: TaskPushNotificationConfig) -> dict[str, Any]:
        return {
            self.push_task_key: config.task_id,
            "pushNotificationConfig": self.encode_push_body(config),
        }

    def decode_push_config(self, data: Any) -> TaskPushNotificationConfig:
        body = require_dict(data, "params")
        task_id = body.get(self.push_task_key) or body.get("taskId") or body.get("id")
        if not isinstance(task_id, str):
            raise InvalidParamsError(f"params.{self.push_task_key}: must be a string")
        return self.decode_push_body(
            body.get("pushNotificationConfig"), task_id, "params.pushNotificationConfig"
        )

    def encode_push_query(self, query: PushConfigQuery) -> dict[str, Any]:
        out: dict[str, Any] = {"id": query.task_id}
        _opt(out, "pushNotificationConfigId", query.id)
        return out

    def decode_push_query(self, params: dict[str, Any]) -> PushConfigQuery:
        task_id = params.get("id")
        if not isinstance(task_id, str):
            raise InvalidParamsError("params.id: must be the task id (a string)")
        return PushConfigQuery(task_id=task_id, id=params.get("pushNotificationConfigId"))


def _index_of(artifact: Artifact) -> int:
    """0.1 addresses artifacts by index; ids that are numbers (as 0.1 peers give) map back."""
    return int(artifact.artifact_id) if artifact.artifact_id.isdigit() else 0
