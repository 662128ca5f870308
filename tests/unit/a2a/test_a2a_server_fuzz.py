"""Whatever a client sends, the server answers with JSON-RPC (never a 500 or a traceback)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from a2a.dialects import DIALECTS
from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import ScenarioAgent, json_values, scenario_card

METHODS = sorted({m for d in DIALECTS.values() for m in d.methods.values()} | {"bogus"})
STREAMING = {
    "SendStreamingMessage",
    "SubscribeToTask",
    "message/stream",
    "tasks/resubscribe",
    "tasks/sendSubscribe",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(ScenarioAgent(), scenario_card(), store=InMemoryTaskStore())
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client


params = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "message": st.fixed_dictionaries(
                {
                    "role": st.sampled_from(["ROLE_USER", "user", 3]),
                    "parts": st.lists(
                        st.dictionaries(
                            st.sampled_from(["text", "kind", "type", "data", "raw", "file", "url"]),
                            json_values,
                            max_size=3,
                        ),
                        max_size=2,
                    ),
                },
                optional={"messageId": json_values, "taskId": json_values},
            )
        },
        optional={"configuration": json_values, "id": json_values, "metadata": json_values},
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    method=st.sampled_from(METHODS),
    params=params,
    version=st.sampled_from(["1.0", "", "0.3"]),
    request_id=json_values,
)
def test_any_request_gets_a_jsonrpc_answer(
    client: TestClient, method: str, params: Any, version: str, request_id: Any
) -> None:
    body = {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}
    response = client.post("/", content=json.dumps(body), headers={"A2A-Version": version})
    assert response.status_code == 200
    if response.headers["content-type"].startswith("text/event-stream"):
        assert method in STREAMING
        frames = [line for line in response.text.splitlines() if line.startswith("data: ")]
        assert frames and all("jsonrpc" in json.loads(f[6:]) for f in frames)
        return
    answer = response.json()
    assert answer["jsonrpc"] == "2.0"
    assert ("error" in answer) != ("result" in answer)
    if "error" in answer:
        assert answer["error"]["code"] != -32603, answer
