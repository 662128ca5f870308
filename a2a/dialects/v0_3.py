"""A2A 0.2/0.3: `message/send` methods, `kind` discriminators, lowercase enums."""

from __future__ import annotations

from typing import Any

from typing_extensions import override

from a2a.dialects._legacy import LegacyDialect
from a2a.dialects.base import Op
from a2a.types import ListTaskPushNotificationConfigsResponse


class V03Dialect(LegacyDialect):
    """A2A 0.3 JSON-RPC (`message/send`, `A2A-Version: 0.3`)."""

    name = "0.3"
    version_header = "0.3"
    methods = {
        Op.SEND: "message/send",
        Op.STREAM: "message/stream",
        Op.GET: "tasks/get",
        Op.CANCEL: "tasks/cancel",
        Op.SUBSCRIBE: "tasks/resubscribe",
        Op.PUSH_SET: "tasks/pushNotificationConfig/set",
        Op.PUSH_GET: "tasks/pushNotificationConfig/get",
        Op.PUSH_LIST: "tasks/pushNotificationConfig/list",
        Op.PUSH_DELETE: "tasks/pushNotificationConfig/delete",
        Op.EXTENDED_CARD: "agent/getAuthenticatedExtendedCard",
    }

    @override
    def encode_push_list_result(self, response: ListTaskPushNotificationConfigsResponse) -> Any:
        # 0.3 answers a bare array of TaskPushNotificationConfig.
        return [self.encode_push_config(c) for c in response.configs]

    @override
    def decode_push_list_result(self, data: Any) -> ListTaskPushNotificationConfigsResponse:
        items = data if isinstance(data, list) else []
        return ListTaskPushNotificationConfigsResponse(
            configs=[self.decode_push_config(item) for item in items]
        )
