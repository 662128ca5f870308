"""Dialect round trips: canonical -> wire -> canonical keeps everything each dialect carries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from a2a.dialects import (
    DIALECTS,
    ELIZACLOUD,
    V0_1,
    V0_3,
    V1_0,
    Op,
    card_from_wire,
    legacy_card,
    pick_interface,
    resolve_method,
)
from a2a.jsonrpc import InvalidParamsError, MethodNotFoundError, VersionNotSupportedError
from a2a.types import (
    AgentCard,
    AgentInterface,
    ListTasksResponse,
    Message,
    Part,
    Role,
    SendMessageRequest,
    Task,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
)
from tests.fixtures.a2a import (
    CARRIES,
    events,
    messages,
    push_configs,
    send_requests,
    strip_message_ids,
    tasks,
)

NAMES = ["1.0", "0.3", "elizacloud", "0.1"]
PROPS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same(dialect_name: str, left: Any, right: Any) -> None:
    a, b = left.to_wire(), right.to_wire()
    if not CARRIES[dialect_name].message_ids:
        a, b = strip_message_ids(a), strip_message_ids(b)
    assert a == b


def through_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("name", NAMES)
@PROPS
@given(data=st.data())
def test_message_round_trip(name: str, data: st.DataObject) -> None:
    dialect = DIALECTS[name]
    message = data.draw(messages(CARRIES[name]))
    same(name, dialect.decode_message(through_json(dialect.encode_message(message))), message)


@pytest.mark.parametrize("name", NAMES)
@PROPS
@given(data=st.data())
def test_task_round_trip(name: str, data: st.DataObject) -> None:
    dialect = DIALECTS[name]
    task = data.draw(tasks(CARRIES[name]))
    wire = through_json(dialect.encode_task(task))
    same(name, dialect.decode_task(wire), task)
    same(name, dialect.decode_send_result(through_json(dialect.encode_send_result(task))), task)


@pytest.mark.parametrize("name", NAMES)
@PROPS
@given(data=st.data(), final=st.booleans())
def test_event_round_trip(name: str, data: st.DataObject, final: bool) -> None:
    dialect = DIALECTS[name]
    event = data.draw(events(CARRIES[name]))
    decoded, got_final = dialect.decode_event(
        through_json(dialect.encode_event(event, final=final))
    )
    assert type(decoded) is type(event)
    same(name, decoded, event)
    if isinstance(event, TaskStatusUpdateEvent):
        assert got_final is (final and dialect.final_flag)


@pytest.mark.parametrize("name", NAMES)
@PROPS
@given(data=st.data())
def test_send_params_round_trip(name: str, data: st.DataObject) -> None:
    dialect = DIALECTS[name]
    request = data.draw(send_requests(CARRIES[name], name))
    decoded = dialect.decode_send(through_json(dialect.encode_send(request)))
    same(name, decoded, request)


@pytest.mark.parametrize("name", ["1.0", "0.3", "0.1"])
@PROPS
@given(config=push_configs())
def test_push_config_round_trip(name: str, config: Any) -> None:
    dialect = DIALECTS[name]
    assert dialect.decode_push_config(through_json(dialect.encode_push_config(config))) == config


def test_list_result_round_trip() -> None:
    task = Task(id="t1", status=TaskStatus(state=TaskState.WORKING))
    page = ListTasksResponse(tasks=[task], next_page_token="abc", page_size=1, total_size=3)
    assert V1_0.decode_list_result(through_json(V1_0.encode_list_result(page))) == page


def test_v1_wraps_results_by_member_name() -> None:
    task = Task(id="t", status=TaskStatus(state=TaskState.COMPLETED))
    assert V1_0.encode_send_result(task) == {
        "task": {"id": "t", "status": {"state": "TASK_STATE_COMPLETED"}}
    }
    message = Message(message_id="m", role=Role.AGENT, parts=[Part(text="hi")])
    assert V1_0.encode_send_result(message) == {
        "message": {"messageId": "m", "role": "ROLE_AGENT", "parts": [{"text": "hi"}]}
    }


def test_v03_uses_kind_and_lowercase() -> None:
    message = Message(message_id="m", role=Role.USER, parts=[Part(text="hi")])
    assert V0_3.encode_message(message) == {
        "kind": "message",
        "messageId": "m",
        "role": "user",
        "parts": [{"kind": "text", "text": "hi"}],
    }
    event = TaskStatusUpdateEvent(task_id="t", status=TaskStatus(state=TaskState.INPUT_REQUIRED))
    assert V0_3.encode_event(event, final=True) == {
        "taskId": "t",
        "kind": "status-update",
        "status": {"state": "input-required"},
        "final": True,
    }


def test_cloud_send_moves_ids_to_metadata_and_drops_message_id() -> None:
    message = Message(role=Role.USER, parts=[Part(data={"skill": "check_balance"})], task_id="t")
    params = ELIZACLOUD.encode_send(SendMessageRequest(message=message, metadata={"x": 1}))
    assert params == {
        "message": {
            "role": "user",
            "parts": [{"type": "data", "data": {"skill": "check_balance"}}],
        },
        "metadata": {"x": 1, "taskId": "t"},
    }


def test_v01_send_has_client_task_id_and_session() -> None:
    message = Message(role=Role.USER, parts=[Part(text="hi")], context_id="s1")
    params = V0_1.encode_send(SendMessageRequest(message=message))
    assert params["id"] and params["sessionId"] == "s1"
    assert params["message"] == {"role": "user", "parts": [{"type": "text", "text": "hi"}]}
    decoded = V0_1.decode_send(params)
    assert decoded.message.task_id == params["id"]


def test_v01_downgrades_states_it_does_not_know() -> None:
    task = Task(id="t", status=TaskStatus(state=TaskState.REJECTED))
    assert V0_1.encode_task(task)["status"]["state"] == "failed"


def test_cloud_server_result_is_understood() -> None:
    # The shape /api/a2a answers (reference §5): no kinds, no ids on messages or artifacts.
    wire = {
        "id": "task-1",
        "contextId": "ctx",
        "status": {
            "state": "completed",
            "message": {"role": "agent", "parts": [{"type": "text", "text": "hello"}]},
            "timestamp": "2026-01-01T00:00:00Z",
        },
        "history": [{"role": "user", "parts": [{"type": "text", "text": "hi"}]}],
        "artifacts": [{"name": "usage", "parts": [{"type": "data", "data": {"cost": 0.1}}]}],
    }
    task = ELIZACLOUD.decode_send_result(wire)
    assert isinstance(task, Task)
    assert task.status.state is TaskState.COMPLETED
    assert task.status.message is not None and task.status.message.parts[0].text == "hello"
    assert task.artifacts is not None and task.artifacts[0].parts[0].data == {"cost": 0.1}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "params.message"),
        ({"message": {"role": "ROLE_USER", "parts": "x"}}, "params.message.parts"),
        ({"message": {"role": "user", "parts": [{"text": "a"}]}}, "params.message.role"),
        ({"message": {"role": "ROLE_USER", "parts": [{}]}}, "params.message.parts.0"),
    ],
)
def test_v1_invalid_params_name_the_field(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidParamsError) as info:
        V1_0.decode_send(params)
    assert info.value.message.startswith(field)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"message": {"role": "user"}}, "params.message.parts"),
        ({"message": {"role": "user", "parts": [{"kind": "zip"}]}}, "params.message.parts.0.kind"),
        ({"message": {"role": "user", "parts": [{"kind": "file", "file": 3}]}}, "parts.0.file"),
    ],
)
def test_v03_invalid_params_name_the_field(params: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidParamsError) as info:
        V0_3.decode_send(params)
    assert field in info.value.message


def test_resolve_method_by_name_and_header() -> None:
    assert resolve_method("SendMessage", "1.0", {}) == (V1_0, Op.SEND)
    assert resolve_method("SendMessage", "1.0.1", {}) == (V1_0, Op.SEND)
    assert resolve_method("message/send", None, {"message": {"messageId": "m", "parts": []}}) == (
        V0_3,
        Op.SEND,
    )
    assert resolve_method("message/send", None, {"message": {"parts": []}})[0] is ELIZACLOUD
    typed = {"message": {"messageId": "m", "parts": [{"type": "text", "text": "a"}]}}
    assert resolve_method("message/send", None, typed)[0] is ELIZACLOUD
    kinded = {"message": {"parts": [{"kind": "text", "text": "a"}]}}
    assert resolve_method("message/send", None, kinded)[0] is V0_3
    assert resolve_method("tasks/send", None, {}) == (V0_1, Op.SEND)
    assert resolve_method("tasks/get", "0.3", {}) == (V0_3, Op.GET)
    with pytest.raises(VersionNotSupportedError):
        resolve_method("SendMessage", None, {})
    with pytest.raises(VersionNotSupportedError):
        resolve_method("message/send", "9.0", {})
    with pytest.raises(MethodNotFoundError):
        resolve_method("nope/nope", "1.0", {})


def test_cards_of_every_generation() -> None:
    v1 = AgentCard(
        name="a",
        supported_interfaces=[
            AgentInterface(url="http://h/", protocol_version="0.3"),
            AgentInterface(url="http://h/", protocol_version="1.0"),
        ],
    )
    assert pick_interface(card_from_wire(v1.to_wire())) == (V1_0, "http://h/")
    legacy = legacy_card(v1)
    assert legacy["url"] == "http://h/" and legacy["protocolVersion"] == "0.3.0"
    v03 = {"name": "b", "url": "http://x/rpc", "protocolVersion": "0.3.0", "skills": [{"id": "s"}]}
    assert pick_interface(card_from_wire(v03)) == (V0_3, "http://x/rpc")
    v01 = {"name": "c", "url": "http://y/", "version": "1", "capabilities": {}, "skills": []}
    assert pick_interface(card_from_wire(v01)) == (V0_1, "http://y/")


def test_raw_parts_are_base64_on_the_wire() -> None:
    part = Part(raw=b"\x00\x01", media_type="application/octet-stream")
    assert part.to_wire() == {"raw": "AAE=", "mediaType": "application/octet-stream"}
    assert Part.model_validate({"raw": "AAE="}).raw == b"\x00\x01"
    with pytest.raises(ValueError, match="exactly one"):
        Part(text="a", url="http://x")
    lenient = Part.model_validate({"text": "a", "url": "", "filename": "", "mediaType": ""})
    assert lenient.text == "a" and lenient.url is None
    with pytest.raises(ValueError, match="exactly one"):
        Part.model_validate({})
