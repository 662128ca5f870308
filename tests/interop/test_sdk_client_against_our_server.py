"""The official SDK's client (subprocess, `.venv-interop`) against our server (in-process
uvicorn on loopback), through its 1.0 transport and its 0.3 compat transport."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from a2a.server import create_app
from a2a.server.auth import ANONYMOUS
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import LiveServer, ScenarioAgent, scenario_card
from tests.interop.conftest import run_sdk_client

pytestmark = pytest.mark.interop


class OurServer:
    """Our server with an in-memory store the tests can look into."""

    def __init__(self) -> None:
        self.store = InMemoryTaskStore()
        self.live = LiveServer(create_app(ScenarioAgent(), scenario_card(), store=self.store))

    def dialect_of(self, task_id: str) -> str | None:
        """The wire dialect the task was created in (as the server recorded it)."""
        record = asyncio.run(self.store.get(ANONYMOUS, task_id))
        return record.dialect if record else None


@pytest.fixture(scope="module")
def our_server() -> Iterator[OurServer]:
    server = OurServer()
    with server.live:
        yield server


@pytest.fixture(scope="module", params=["1.0", "0.3"])
def sdk(request: pytest.FixtureRequest, our_server: OurServer) -> tuple[str, dict[str, Any]]:
    """(protocol version, the official client's results against our server)."""
    version: str = request.param
    return version, run_sdk_client(our_server.live.url, version)


def test_sdk_client_uses_the_interface_of_its_version(sdk: tuple[str, dict[str, Any]]) -> None:
    version, results = sdk
    assert results["interfaces"] == [version]


def test_send_completes_a_task_in_that_dialect(
    sdk: tuple[str, dict[str, Any]], our_server: OurServer
) -> None:
    version, results = sdk
    [task] = results["send"]
    assert task["kind"] == "task"
    assert task["state"] == "TASK_STATE_COMPLETED"
    assert task["text"] == "echo: hello"
    assert our_server.dialect_of(task["id"]) == version


def test_direct_reply_is_a_message(sdk: tuple[str, dict[str, Any]]) -> None:
    _, results = sdk
    assert results["reply"] == [{"kind": "message", "text": "reply: hi"}]


def test_stream_is_task_then_appended_chunks_then_completed(
    sdk: tuple[str, dict[str, Any]],
) -> None:
    _, results = sdk
    events = results["stream"]
    assert [e["kind"] for e in events] == [
        "task",
        "artifact_update",
        "artifact_update",
        "artifact_update",
        "status_update",
    ]
    chunks = events[1:4]
    assert [c["text"] for c in chunks] == ["c0", "c1", "c2"]
    assert [c["append"] for c in chunks] == [False, True, True]
    assert {c["artifact_id"] for c in chunks} == {"art-1"}
    assert events[-1]["state"] == "TASK_STATE_COMPLETED"


def test_stream_of_a_direct_reply_is_one_message(sdk: tuple[str, dict[str, Any]]) -> None:
    _, results = sdk
    assert results["stream_reply"] == [{"kind": "message", "text": "reply: yo"}]


def test_get_returns_the_sent_task(sdk: tuple[str, dict[str, Any]]) -> None:
    _, results = sdk
    sent = results["send"][0]
    assert results["get"] == sent


def test_cancel_an_input_required_task_then_again(sdk: tuple[str, dict[str, Any]]) -> None:
    _, results = sdk
    [asked] = results["ask"]
    assert asked["state"] == "TASK_STATE_INPUT_REQUIRED"
    assert results["cancel"]["id"] == asked["id"]
    assert results["cancel"]["state"] == "TASK_STATE_CANCELED"
    assert results["cancel_again"]["error"] == "TaskNotCancelableError"


def test_unknown_task_is_task_not_found(sdk: tuple[str, dict[str, Any]]) -> None:
    _, results = sdk
    assert results["get_missing"]["error"] == "TaskNotFoundError"


def test_subscribe_sees_the_task_then_its_cancellation(sdk: tuple[str, dict[str, Any]]) -> None:
    _, results = sdk
    sub = results["subscribe"]
    assert "error" not in sub, sub
    assert sub["started"]["state"] in ("TASK_STATE_SUBMITTED", "TASK_STATE_WORKING")
    assert sub["first"]["kind"] == "task" and sub["first"]["id"] == sub["started"]["id"]
    assert sub["canceled"]["state"] == "TASK_STATE_CANCELED"
    assert sub["rest"][-1] == {"kind": "status_update", "state": "TASK_STATE_CANCELED"}
