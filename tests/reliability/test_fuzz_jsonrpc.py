"""Property-based fuzzing of the A2A JSON-RPC endpoint: random JSON, wrong types, huge strings,
deep nesting, invalid UTF-8, oversized bodies and batches. Every answer is a well-formed
JSON-RPC success or error (or an event stream of them), never a 500, and the server keeps
serving afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from a2a.dialects import V0_1, V0_3, V1_0
from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import scenario_card

pytestmark = pytest.mark.timeout(120)

MAX_BODY = 65_536
METHODS = sorted(
    {*V1_0.methods.values(), *V0_3.methods.values(), *V0_1.methods.values(), "nope", ""}
)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def quick_agent(context: Any, updater: Any) -> None:
    """Answers anything at once (a fuzzed stream must end)."""
    await updater.complete(f"ok: {context.text[:20]}")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    app = create_app(
        quick_agent, scenario_card(), store=InMemoryTaskStore(), max_body_bytes=MAX_BODY
    )
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def check_rpc_object(payload: Any) -> None:
    """One well-formed JSON-RPC 2.0 response."""
    assert isinstance(payload, dict), payload
    assert payload.get("jsonrpc") == "2.0", payload
    assert ("result" in payload) != ("error" in payload), payload
    assert "id" in payload
    if "error" in payload:
        error = payload["error"]
        assert isinstance(error["code"], int) and not isinstance(error["code"], bool)
        assert isinstance(error["message"], str)


def check_answer(client: TestClient, body: bytes, headers: dict[str, str] | None = None) -> None:
    response = client.post(
        "/", content=body, headers={"Content-Type": "application/json", **(headers or {})}
    )
    assert response.status_code in (200, 401, 413), (response.status_code, response.text[:300])
    if response.headers["content-type"].startswith("text/event-stream"):
        frames = [line[6:] for line in response.text.splitlines() if line.startswith("data: ")]
        assert frames
        for frame in frames:
            check_rpc_object(json.loads(frame))
    else:
        check_rpc_object(response.json())


def still_serving(client: TestClient) -> None:
    body = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "SendMessage",
        "params": {"message": {"role": "ROLE_USER", "messageId": "m", "parts": [{"text": "hi"}]}},
    }
    response = client.post("/", json=body, headers={"A2A-Version": "1.0"})
    assert response.status_code == 200 and "result" in response.json()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
ids = (
    st.none()
    | st.integers()
    | st.text(max_size=10)
    | st.floats()
    | st.booleans()
    | st.lists(st.integers(), max_size=2)
)
versions = st.sampled_from(
    [{}, {"A2A-Version": "1.0"}, {"A2A-Version": "0.3"}, {"A2A-Version": "9"}]
)


@st.composite
def envelopes(draw: st.DrawFn) -> dict[str, Any]:
    """JSON-RPC-shaped requests with any method and params of any shape."""
    envelope: dict[str, Any] = {
        "jsonrpc": draw(st.sampled_from(["2.0", "2.0", "1.0", 2])),
        "id": draw(ids),
        "method": draw(st.sampled_from(METHODS) | st.text(max_size=12) | json_values),
    }
    params = draw(
        st.one_of(
            json_values,
            st.fixed_dictionaries(
                {},
                optional={
                    "id": json_values,
                    "taskId": json_values,
                    "message": json_values
                    | st.fixed_dictionaries(
                        {"role": st.sampled_from(["ROLE_USER", "user", "agent", 3])},
                        optional={
                            "parts": json_values
                            | st.lists(
                                st.dictionaries(
                                    st.sampled_from(["text", "data", "kind", "type", "raw", "url"]),
                                    json_values,
                                ),
                                max_size=3,
                            ),
                            "messageId": json_values,
                            "taskId": json_values,
                            "contextId": json_values,
                            "kind": json_values,
                        },
                    ),
                    "configuration": json_values,
                    "pageSize": json_values,
                    "pageToken": json_values,
                    "historyLength": json_values,
                    "url": json_values,
                    "pushNotificationConfig": json_values,
                    "status": json_values,
                },
            ),
        )
    )
    if draw(st.booleans()):
        envelope["params"] = params
    return envelope


@FUZZ
@given(payload=json_values, headers=versions)
def test_random_json(client: TestClient, payload: Any, headers: dict[str, str]) -> None:
    check_answer(client, json.dumps(payload).encode(), headers)


@FUZZ
@given(request=envelopes(), headers=versions)
def test_requests_with_wrong_types(
    client: TestClient, request: dict[str, Any], headers: dict[str, str]
) -> None:
    check_answer(client, json.dumps(request).encode(), headers)


@FUZZ
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_and_invalid_utf8(client: TestClient, raw: bytes) -> None:
    check_answer(client, raw)
    check_answer(
        client, b'{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"' + raw + b'"}}'
    )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(envelopes(), max_size=5))
def test_batches(client: TestClient, batch: list[dict[str, Any]]) -> None:
    check_answer(client, json.dumps(batch).encode())


@pytest.mark.parametrize("size", [MAX_BODY - 200, MAX_BODY + 1, 5 * MAX_BODY])
def test_huge_strings_and_oversized_bodies(client: TestClient, size: int) -> None:
    text = "x" * size
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "SendMessage",
        "params": {"message": {"role": "ROLE_USER", "messageId": "m", "parts": [{"text": text}]}},
    }
    check_answer(client, json.dumps(body).encode(), {"A2A-Version": "1.0"})
    still_serving(client)


def test_oversized_body_without_content_length(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BODY // 1000 + 5):
            yield b" " * 1000

    response = client.post("/", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    check_rpc_object(response.json())


@pytest.mark.parametrize("depth", [100, 1_000, 30_000])
def test_deep_nesting(client: TestClient, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    check_answer(client, nested.encode())
    if depth > 10_000:  # deeper than the parser goes: a parse error, not an internal error
        assert client.post("/", content=nested.encode()).json()["error"]["code"] == -32700
    deep_params = (
        '{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":'
        + '{"a":' * depth
        + "1"
        + "}" * depth
        + "}}"
    )
    check_answer(client, deep_params.encode(), {"A2A-Version": "1.0"})
    still_serving(client)


def test_numbers_past_the_parsers_limits(client: TestClient) -> None:
    check_answer(client, b'{"jsonrpc":"2.0","id":' + b"9" * 5000 + b',"method":"GetTask"}')
    check_answer(client, b'{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":1e999}}')
    check_answer(client, b'{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":NaN}}')
    still_serving(client)


def test_server_keeps_serving_after_the_fuzzing(client: TestClient) -> None:
    still_serving(client)
