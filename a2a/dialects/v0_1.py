"""The early A2A 0.1 `tasks/send` dialect.

The client chooses the task id (`params.id`), `sessionId` is the context id, messages have
no ids, parts use `type`, artifacts are addressed by `index` and stream events name the
task `id`. No official SDK speaks it any more, so the library carries it itself.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from a2a.dialects._legacy import STATE_TO_LEGACY, LegacyDialect, _opt
from a2a.dialects.base import Op
from a2a.jsonrpc import InvalidParamsError
from a2a.types import (
    ListTaskPushNotificationConfigsResponse,
    SendMessageConfiguration,
    SendMessageRequest,
    TaskState,
    new_id,
)

# 0.1 has no rejected or auth-required: send the closest state a 0.1 client knows.
_V01_STATES = {
    **STATE_TO_LEGACY,
    TaskState.REJECTED: "failed",
    TaskState.AUTH_REQUIRED: "input-required",
}


class V01Dialect(LegacyDialect):
    """A2A 0.1 JSON-RPC (`tasks/send`; no A2A-Version header)."""

    name = "0.1"
    version_header = None
    tag = "type"
    tag_objects = False
    message_ids = False
    context_key = "sessionId"
    event_task_key = "id"
    push_task_key = "id"
    artifact_index = True
    client_task_ids = True
    state_names = _V01_STATES
    methods = {
        Op.SEND: "tasks/send",
        Op.STREAM: "tasks/sendSubscribe",
        Op.GET: "tasks/get",
        Op.CANCEL: "tasks/cancel",
        Op.SUBSCRIBE: "tasks/resubscribe",
        Op.PUSH_SET: "tasks/pushNotification/set",
        Op.PUSH_GET: "tasks/pushNotification/get",
    }

    @override
    def encode_send(self, request: SendMessageRequest) -> dict[str, Any]:
        message = request.message
        out: dict[str, Any] = {"id": message.task_id or new_id()}
        _opt(out, "sessionId", message.context_id)
        out["message"] = self.encode_message(message)
        config = request.configuration
        if config is not None:
            _opt(out, "acceptedOutputModes", config.accepted_output_modes)
            _opt(out, "historyLength", config.history_length)
            if config.task_push_notification_config is not None:
                push = self.encode_push_body(config.task_push_notification_config)
                out["pushNotification"] = push
        _opt(out, "metadata", request.metadata)
        return out

    @override
    def decode_send(self, params: dict[str, Any]) -> SendMessageRequest:
        task_id = params.get("id")
        if not isinstance(task_id, str) or not task_id:
            raise InvalidParamsError("params.id: the client-chosen task id is required")
        if "message" not in params:
            raise InvalidParamsError("params.message: Field required")
        message = self.decode_message(params["message"], "params.message")
        message.task_id = task_id
        session = params.get("sessionId")
        if isinstance(session, str):
            message.context_id = session
        push = params.get("pushNotification")
        config = None
        if any(k in params for k in ("acceptedOutputModes", "historyLength", "pushNotification")):
            config = SendMessageConfiguration(
                accepted_output_modes=params.get("acceptedOutputModes"),
                history_length=params.get("historyLength"),
                task_push_notification_config=None
                if push is None
                else self.decode_push_body(push, task_id, "params.pushNotification"),
            )
        return SendMessageRequest(
            message=message, configuration=config, metadata=params.get("metadata")
        )

    @override
    def encode_push_list_result(self, response: ListTaskPushNotificationConfigsResponse) -> Any:
        self.method(Op.PUSH_LIST)

    @override
    def decode_push_list_result(self, data: Any) -> ListTaskPushNotificationConfigsResponse:
        self.method(Op.PUSH_LIST)
        return ListTaskPushNotificationConfigsResponse(configs=[])
