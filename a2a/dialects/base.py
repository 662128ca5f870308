"""The dialect interface: one codec per wire form, all converting to the canonical 1.0 models.

A client encodes requests and decodes results; a server decodes requests and encodes
results. Both directions live on the same object so property tests can check that
canonical -> wire -> canonical keeps everything the dialect can carry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from a2a.jsonrpc import InvalidParamsError, MethodNotFoundError
from a2a.types import (
    AgentCard,
    Event,
    ListTaskPushNotificationConfigsResponse,
    ListTasksRequest,
    ListTasksResponse,
    Message,
    PushConfigQuery,
    SendMessageRequest,
    SendResult,
    Task,
    TaskPushNotificationConfig,
    TaskQuery,
)

M = TypeVar("M", bound=BaseModel)


class Op(StrEnum):
    """The protocol operations, independent of how each dialect names them."""

    SEND = "send"
    STREAM = "stream"
    GET = "get"
    LIST = "list"
    CANCEL = "cancel"
    SUBSCRIBE = "subscribe"
    PUSH_SET = "push_set"
    PUSH_GET = "push_get"
    PUSH_LIST = "push_list"
    PUSH_DELETE = "push_delete"
    EXTENDED_CARD = "extended_card"


def field_path(loc: tuple[int | str, ...], prefix: str = "") -> str:
    """A dotted wire path (`message.parts.0.text`) for an error location."""
    dotted = ".".join(str(p) for p in loc)
    return f"{prefix}.{dotted}" if prefix and dotted else (prefix or dotted)


def validate(model: type[M], data: Any, prefix: str = "params") -> M:
    """Validate wire data into a model, or raise -32602 naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = field_path(tuple(first["loc"]), prefix)
        raise InvalidParamsError(f"{where}: {first['msg']}") from None


def require_dict(value: Any, where: str) -> dict[str, Any]:
    """The value as a JSON object, or -32602 naming where it was expected."""
    if not isinstance(value, dict):
        raise InvalidParamsError(f"{where}: must be an object")
    return value


class Dialect(ABC):
    """One wire form of A2A JSON-RPC."""

    name: str
    """`1.0`, `0.3`, `elizacloud` or `0.1`."""
    version_header: str | None
    """The `A2A-Version` value a client sends (None: send no header)."""
    methods: dict[Op, str]
    """The JSON-RPC method name of each supported operation."""
    final_flag: bool
    """Streams mark their last status event with `final: true` (0.x)."""
    error_info: bool
    """Errors carry 1.0's `data: [google.rpc.ErrorInfo]`."""
    client_task_ids: bool = False
    """The client chooses the task id of a new task (0.1 `tasks/send`)."""

    def method(self, op: Op) -> str:
        """The method name for an operation, or -32601 when the dialect lacks it."""
        try:
            return self.methods[op]
        except KeyError:
            raise MethodNotFoundError(f"{op.value} is not available in A2A {self.name}") from None

    # -- objects ---------------------------------------------------------------
    @abstractmethod
    def encode_message(self, message: Message) -> dict[str, Any]:
        """Canonical message -> wire."""

    @abstractmethod
    def decode_message(self, data: Any, where: str = "message") -> Message:
        """Wire message -> canonical (-32602 naming the field on bad input)."""

    @abstractmethod
    def encode_task(self, task: Task) -> dict[str, Any]:
        """Canonical task -> wire."""

    @abstractmethod
    def decode_task(self, data: Any, where: str = "result") -> Task:
        """Wire task -> canonical."""

    @abstractmethod
    def encode_event(self, event: Event, *, final: bool = False) -> dict[str, Any]:
        """A stream event as the `result` of one SSE frame (`final` only in 0.x)."""

    @abstractmethod
    def decode_event(self, data: Any) -> tuple[Event, bool]:
        """One SSE frame's `result` -> (event, final flag as sent; False when absent)."""

    # -- requests ----------------------------------------------------------------
    @abstractmethod
    def encode_send(self, request: SendMessageRequest) -> dict[str, Any]:
        """`SendMessage` params -> wire."""

    @abstractmethod
    def decode_send(self, params: dict[str, Any]) -> SendMessageRequest:
        """Wire params of a send -> canonical request."""

    def encode_task_query(self, query: TaskQuery) -> dict[str, Any]:
        """GetTask / CancelTask / SubscribeToTask params (the same in every dialect)."""
        return query.to_wire()

    def decode_task_query(self, params: dict[str, Any]) -> TaskQuery:
        """Wire task-query params -> canonical."""
        return validate(TaskQuery, params)

    def encode_list(self, request: ListTasksRequest) -> dict[str, Any]:
        """ListTasks params (1.0 only)."""
        self.method(Op.LIST)
        return request.to_wire()

    def decode_list(self, params: dict[str, Any]) -> ListTasksRequest:
        """Wire ListTasks params -> canonical."""
        return validate(ListTasksRequest, params)

    @abstractmethod
    def encode_push_config(self, config: TaskPushNotificationConfig) -> dict[str, Any]:
        """A push config as set params and as a result."""

    @abstractmethod
    def decode_push_config(self, data: Any) -> TaskPushNotificationConfig:
        """Wire push config (set params or result) -> canonical."""

    @abstractmethod
    def encode_push_query(self, query: PushConfigQuery) -> dict[str, Any]:
        """Get / list / delete push-config params."""

    @abstractmethod
    def decode_push_query(self, params: dict[str, Any]) -> PushConfigQuery:
        """Wire get / list / delete push-config params -> canonical."""

    # -- results -----------------------------------------------------------------
    @abstractmethod
    def encode_send_result(self, result: SendResult) -> dict[str, Any]:
        """The result of a send: a Task or a Message."""

    @abstractmethod
    def decode_send_result(self, data: Any) -> SendResult:
        """Wire send result -> Task or Message."""

    def encode_list_result(self, response: ListTasksResponse) -> dict[str, Any]:
        """The ListTasks result."""
        return {
            "tasks": [self.encode_task(t) for t in response.tasks],
            "nextPageToken": response.next_page_token,
            "pageSize": response.page_size,
            "totalSize": response.total_size,
        }

    def decode_list_result(self, data: Any) -> ListTasksResponse:
        """Wire ListTasks result -> canonical."""
        body = require_dict(data, "result")
        tasks = [
            self.decode_task(t, f"result.tasks.{i}") for i, t in enumerate(body.get("tasks") or [])
        ]
        return ListTasksResponse(
            tasks=tasks,
            next_page_token=body.get("nextPageToken") or "",
            page_size=int(body.get("pageSize") or len(tasks)),
            total_size=int(body.get("totalSize") or len(tasks)),
        )

    @abstractmethod
    def encode_push_list_result(self, response: ListTaskPushNotificationConfigsResponse) -> Any:
        """The list-push-configs result."""

    @abstractmethod
    def decode_push_list_result(self, data: Any) -> ListTaskPushNotificationConfigsResponse:
        """Wire list-push-configs result -> canonical."""

    def encode_card(self, card: AgentCard) -> dict[str, Any]:
        """The agent card as this dialect's clients expect it."""
        return card.to_wire()

    def __repr__(self) -> str:
        return f"<A2A dialect {self.name}>"
