"""OpenAI-compatible chat completions (plain and SSE), embeddings and models."""

from __future__ import annotations

import json
import math

import httpx
import pytest

from eliza_tools import pricing
from eliza_tools.emulator import EmulatorHandle
from tests.fixtures.emulator import auth_headers

MESSAGES = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "Hi there"}]


def test_completion_is_deterministic_and_billed(
    emulator: EmulatorHandle, site: httpx.Client
) -> None:
    body = {"model": "gpt-4o-mini", "messages": MESSAGES}
    first = site.post("/api/v1/chat/completions", json=body).json()
    second = site.post("/api/v1/chat/completions", json=body).json()
    assert first["object"] == "chat.completion" and first["id"].startswith("chatcmpl-")
    choice = first["choices"][0]
    assert choice["message"] == {"role": "assistant", "content": "Emulated reply to: Hi there"}
    assert choice["finish_reason"] == "stop"
    assert second["choices"] == first["choices"]
    usage = first["usage"]
    cost = pricing.chat_cost("gpt-4o-mini", usage["prompt_tokens"], usage["completion_tokens"])
    assert emulator.balance() == pytest.approx(25 - 2 * cost)


def test_streaming_sends_chunks_then_done(shared: httpx.Client) -> None:
    body = {"model": "gpt-4o", "messages": MESSAGES, "stream": True}
    with shared.stream("POST", "/api/v1/chat/completions", json=body) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == "Emulated reply to: Hi there"
    assert chunks[-1]["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"messages": MESSAGES}, "model", "missing_required_parameter"),
        ({"model": "m"}, "messages", "missing_required_parameter"),
        ({"model": "m", "messages": []}, "messages", "invalid_value"),
        (
            {"model": "m", "messages": [{"role": "wizard", "content": "x"}]},
            "messages[0].role",
            "invalid_value",
        ),
    ],
)
def test_chat_validation(
    shared: httpx.Client, body: dict[str, object], param: str, code: str
) -> None:
    r = shared.post("/api/v1/chat/completions", json=body)
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == param
    assert error["code"] == code


def test_openai_auth_and_402(emulator: EmulatorHandle, site: httpx.Client) -> None:
    r = httpx.post(
        f"{emulator.base_url}/chat/completions",
        json={"model": "m", "messages": MESSAGES},
        headers=auth_headers("eliza_" + "00" * 32),
    )
    assert r.status_code == 401 and r.json()["error"]["type"] == "authentication_error"
    emulator.set_balance(0)
    r = site.post("/api/v1/chat/completions", json={"model": "gpt-4o", "messages": MESSAGES})
    assert r.status_code == 402
    assert r.json()["error"]["code"] == "insufficient_credits"
    assert r.json()["error"]["message"].startswith("Insufficient credits. Required: $")
    r = site.post("/api/v1/embeddings", json={"model": "text-embedding-3-small", "input": "x"})
    assert r.status_code == 402 and r.json()["error"]["code"] == "insufficient_balance"


def test_embeddings_are_unit_vectors_that_reflect_shared_words(shared: httpx.Client) -> None:
    inputs = ["the cat sat", "the cat sat down", "quantum chromodynamics"]
    r = shared.post("/api/v1/embeddings", json={"model": "text-embedding-3-small", "input": inputs})
    body = r.json()
    assert body["object"] == "list" and [d["index"] for d in body["data"]] == [0, 1, 2]
    vectors = [d["embedding"] for d in body["data"]]
    assert all(len(v) == 1536 for v in vectors)
    assert math.isclose(sum(x * x for x in vectors[0]), 1.0, rel_tol=1e-3)

    def cosine(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])
    r = shared.post("/api/v1/embeddings", json={"model": "m", "input": []})
    assert r.status_code == 400 and r.json()["error"]["param"] == "input"


def test_models_are_public(emulator_session: EmulatorHandle) -> None:
    listing = httpx.get(f"{emulator_session.base_url}/models")
    assert listing.headers["cache-control"] == "public, s-maxage=3600"
    ids = [m["id"] for m in listing.json()["data"]]
    assert "gpt-4o-mini" in ids and "openai/gpt-image-2" in ids
    one = httpx.get(f"{emulator_session.base_url}/models/openai/gpt-4o")
    assert one.json()["owned_by"] == "openai"
    missing = httpx.get(f"{emulator_session.base_url}/models/none")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "invalid_request_error"
