"""The server can run the TCK's messageId-prefix scenarios with a small test agent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import TckAgent, scenario_card
from tests.unit.a2a.test_a2a_server import V1, rpc


@pytest.fixture
async def tck() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(TckAgent(), scenario_card(), store=InMemoryTaskStore())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sut.test") as client:
        yield client


def send(prefix: str) -> dict[str, object]:
    return {"message": {"role": "ROLE_USER", "messageId": f"{prefix}-1", "parts": [{"text": "x"}]}}


@pytest.mark.parametrize(
    ("prefix", "state"),
    [
        ("tck-complete-task", "TASK_STATE_COMPLETED"),
        ("tck-input-required", "TASK_STATE_INPUT_REQUIRED"),
        ("tck-reject-task", "TASK_STATE_REJECTED"),
    ],
)
async def test_task_scenarios(tck: httpx.AsyncClient, prefix: str, state: str) -> None:
    task = (await rpc(tck, "SendMessage", send(prefix), V1))["result"]["task"]
    assert task["status"]["state"] == state


async def test_message_and_artifact_scenarios(tck: httpx.AsyncClient) -> None:
    reply = (await rpc(tck, "SendMessage", send("tck-message-response"), V1))["result"]
    assert reply["message"]["parts"] == [{"text": "Hello from TCK"}]
    file_task = (await rpc(tck, "SendMessage", send("tck-artifact-file"), V1))["result"]["task"]
    assert file_task["artifacts"][0]["parts"] == [
        {"raw": "ZmlsZSBjb250ZW50", "filename": "f.txt", "mediaType": "text/plain"}
    ]
    data_task = (await rpc(tck, "SendMessage", send("tck-artifact-data"), V1))["result"]["task"]
    assert data_task["artifacts"][0]["parts"] == [{"data": {"key": "value"}}]
