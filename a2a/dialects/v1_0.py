"""A2A 1.0: PascalCase methods, ProtoJSON shapes, results wrapped by member name.

The canonical models already are the 1.0 shapes, so this codec is mostly
`model_validate` / `to_wire`.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from a2a.dialects.base import Dialect, Op, require_dict, validate
from a2a.jsonrpc import InvalidParamsError
from a2a.types import (
    Event,
    ListTaskPushNotificationConfigsResponse,
    Message,
    PushConfigQuery,
    SendMessageRequest,
    SendResult,
    Task,
    TaskArtifactUpdateEvent,
    TaskPushNotificationConfig,
    TaskStatusUpdateEvent,
)

# The member name of each event type in a StreamResponse.
_MEMBERS: dict[type[Any], str] = {
    Task: "task",
    Message: "message",
    TaskStatusUpdateEvent: "statusUpdate",
    TaskArtifactUpdateEvent: "artifactUpdate",
}
_MODELS = {name: model for model, name in _MEMBERS.items()}


class V1Dialect(Dialect):
    """A2A 1.0 JSON-RPC (`SendMessage`, `A2A-Version: 1.0`)."""

    name = "1.0"
    version_header = "1.0"
    final_flag = False
    error_info = True
    methods = {
        Op.SEND: "SendMessage",
        Op.STREAM: "SendStreamingMessage",
        Op.GET: "GetTask",
        Op.LIST: "ListTasks",
        Op.CANCEL: "CancelTask",
        Op.SUBSCRIBE: "SubscribeToTask",
        Op.PUSH_SET: "CreateTaskPushNotificationConfig",
        Op.PUSH_GET: "GetTaskPushNotificationConfig",
        Op.PUSH_LIST: "ListTaskPushNotificationConfigs",
        Op.PUSH_DELETE: "DeleteTaskPushNotificationConfig",
        Op.EXTENDED_CARD: "GetExtendedAgentCard",
    }

    @override
    def encode_message(self, message: Message) -> dict[str, Any]:
        return message.to_wire()

    @override
    def decode_message(self, data: Any, where: str = "message") -> Message:
        return validate(Message, data, where)

    @override
    def encode_task(self, task: Task) -> dict[str, Any]:
        return task.to_wire()

    @override
    def decode_task(self, data: Any, where: str = "result") -> Task:
        return validate(Task, data, where)

    @override
    def encode_event(self, event: Event, *, final: bool = False) -> dict[str, Any]:
        return {_MEMBERS[type(event)]: event.to_wire()}

    @override
    def decode_event(self, data: Any) -> tuple[Event, bool]:
        body = require_dict(data, "result")
        for name, value in body.items():
            model = _MODELS.get(name)
            if model is not None:
                event: Event = validate(model, value, f"result.{name}")
                return event, False
        raise InvalidParamsError(
            "result: expected one of task, message, statusUpdate, artifactUpdate"
        )

    @override
    def encode_send(self, request: SendMessageRequest) -> dict[str, Any]:
        return request.to_wire()

    @override
    def decode_send(self, params: dict[str, Any]) -> SendMessageRequest:
        return validate(SendMessageRequest, params)

    @override
    def encode_push_config(self, config: TaskPushNotificationConfig) -> dict[str, Any]:
        return config.to_wire()

    @override
    def decode_push_config(self, data: Any) -> TaskPushNotificationConfig:
        return validate(TaskPushNotificationConfig, data)

    @override
    def encode_push_query(self, query: PushConfigQuery) -> dict[str, Any]:
        return query.to_wire()

    @override
    def decode_push_query(self, params: dict[str, Any]) -> PushConfigQuery:
        return validate(PushConfigQuery, params)

    @override
    def encode_send_result(self, result: SendResult) -> dict[str, Any]:
        return {_MEMBERS[type(result)]: result.to_wire()}

    @override
    def decode_send_result(self, data: Any) -> SendResult:
        body = require_dict(data, "result")
        if "task" in body:
            return self.decode_task(body["task"], "result.task")
        if "message" in body:
            return self.decode_message(body["message"], "result.message")
        raise InvalidParamsError("result: expected task or message")

    @override
    def encode_push_list_result(self, response: ListTaskPushNotificationConfigsResponse) -> Any:
        return response.to_wire()

    @override
    def decode_push_list_result(self, data: Any) -> ListTaskPushNotificationConfigsResponse:
        return validate(ListTaskPushNotificationConfigsResponse, data, "result")
