"""The elizaOS Cloud variant served at `/api/a2a`.

0.3 method names (`message/send`, `tasks/get`, `tasks/cancel` only), but parts are
discriminated by `type`, messages carry no `messageId`, and the task and context ids of a
send travel in `params.metadata`. The skill is chosen by a data part
`{"type": "data", "data": {"skill": "<id>", ...}}`.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from a2a.dialects.base import Op
from a2a.dialects.v0_3 import V03Dialect
from a2a.types import SendMessageRequest


class ElizaCloudDialect(V03Dialect):
    """elizaOS Cloud `/api/a2a` JSON-RPC."""

    name = "elizacloud"
    tag = "type"
    tag_objects = False
    message_ids = False
    methods = {
        Op.SEND: "message/send",
        Op.GET: "tasks/get",
        Op.CANCEL: "tasks/cancel",
    }

    @override
    def encode_send(self, request: SendMessageRequest) -> dict[str, Any]:
        out = super().encode_send(request)
        ids = {"taskId": request.message.task_id, "contextId": request.message.context_id}
        ids = {k: v for k, v in ids.items() if v is not None}
        if ids:
            out["metadata"] = {**(request.metadata or {}), **ids}
        return out

    @override
    def decode_send(self, params: dict[str, Any]) -> SendMessageRequest:
        request = super().decode_send(params)
        if request.metadata is None:
            return request
        metadata = dict(request.metadata)
        task_id = metadata.pop("taskId", None)
        context_id = metadata.pop("contextId", None)
        message = request.message
        if isinstance(task_id, str) and message.task_id is None:
            message.task_id = task_id
        if isinstance(context_id, str) and message.context_id is None:
            message.context_id = context_id
        # Metadata that only carried the ids goes away; metadata the caller sent stays.
        carried_ids = task_id is not None or context_id is not None
        request.metadata = None if carried_ids and not metadata else metadata
        return request
