"""A2A at /api/a2a: the cloud dialect, skills, error statuses and forwarding to a local peer."""

from __future__ import annotations

import base64
import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.server import free_port
from tests.fixtures.emulator import auth_headers


def rpc(client: httpx.Client, method: str, params: Any = None, rpc_id: Any = 1) -> httpx.Response:
    body: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "id": rpc_id}
    if params is not None:
        body["params"] = params
    return client.post("/api/a2a", json=body)


def send(client: httpx.Client, *parts: dict[str, Any]) -> httpx.Response:
    return rpc(client, "message/send", {"message": {"role": "user", "parts": list(parts)}})


def skill(name: str, **data: Any) -> dict[str, Any]:
    return {"type": "data", "data": {"skill": name, **data}}


def test_text_goes_to_chat_completion(shared: httpx.Client) -> None:
    r = send(shared, {"type": "text", "text": "hello there"})
    assert r.status_code == 200
    task = r.json()["result"]
    assert task["status"]["state"] == "completed"
    assert task["status"]["message"]["parts"][0] == {
        "type": "text",
        "text": "Emulated reply to: hello there",
    }
    assert len(task["history"]) == 2 and task["artifacts"][0]["name"] == "usage"
    assert task["artifacts"][0]["parts"][0]["data"]["usage"]["totalTokens"] > 0
    got = rpc(shared, "tasks/get", {"id": task["id"], "historyLength": 1}).json()["result"]
    assert got["id"] == task["id"] and len(got["history"]) == 1
    r = rpc(shared, "tasks/cancel", {"id": task["id"]})
    assert r.status_code == 400 and r.json()["error"]["code"] == -32002


def test_skills(site: httpx.Client) -> None:
    balance = send(site, skill("check_balance")).json()["result"]
    assert balance["status"]["message"]["parts"][0]["data"]["balance"] == pytest.approx(25, abs=0.1)
    image = send(site, skill("image_generation", prompt="a red fox", aspectRatio="4:3")).json()
    file_part = image["result"]["status"]["message"]["parts"][0]
    assert file_part["type"] == "file" and file_part["file"]["mimeType"] == "image/png"
    picture = Image.open(io.BytesIO(base64.b64decode(file_part["file"]["bytes"])))
    assert picture.size == (512, 384)
    site.post("/api/v1/app/agents", json={"name": "Sage", "bio": "Answers calmly."})
    listed = send(site, skill("list_agents")).json()["result"]["status"]["message"]["parts"][0]
    assert [a["name"] for a in listed["data"]["agents"]] == ["Sage"]
    agent_id = listed["data"]["agents"][0]["id"]
    reply = send(site, skill("chat_with_agent", agentId=agent_id, message="hi")).json()
    data = reply["result"]["status"]["message"]["parts"][0]["data"]
    assert data["response"] == "Sage here. Answers calmly. You said: hi"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"{not json", 400, -32700),
        (b'{"jsonrpc":"2.0","method":"message/send"}', 400, -32600),
        (b'{"jsonrpc":"1.0","method":"x","id":1}', 400, -32600),
        (b'{"jsonrpc":"2.0","method":"tasks/send","id":1}', 404, -32601),
        (b'{"jsonrpc":"2.0","method":"message/stream","id":1}', 404, -32601),
        (b'{"jsonrpc":"2.0","method":"tasks/get","id":1,"params":{"id":"nope"}}', 404, -32001),
        (b'{"jsonrpc":"2.0","method":"message/send","id":1,"params":{}}', 400, -32602),
        (
            b'{"jsonrpc":"2.0","method":"message/send","id":1,"params":{"message":{"role":"user",'
            b'"parts":[{"kind":"text","text":"x"}]}}}',
            400,
            -32602,
        ),
        (
            b'{"jsonrpc":"2.0","method":"message/send","id":1,"params":{"message":{"role":"user",'
            b'"parts":[{"type":"data","data":{"skill":"teleport"}}]}}}',
            400,
            -32004,
        ),
    ],
)
def test_jsonrpc_errors_use_non_200_statuses(
    shared: httpx.Client, payload: bytes, status: int, code: int
) -> None:
    r = shared.post("/api/a2a", content=payload, headers={"content-type": "application/json"})
    assert r.status_code == status
    assert r.json()["jsonrpc"] == "2.0" and r.json()["error"]["code"] == code


def test_auth_and_credit_errors(emulator: EmulatorHandle, site: httpx.Client) -> None:
    with httpx.Client(base_url=emulator.site_url) as anonymous:
        r = send(anonymous, {"type": "text", "text": "x"})
    assert r.status_code == 401 and r.json()["error"]["code"] == -32010
    emulator.set_balance(0)
    r = send(site, {"type": "text", "text": "x"})
    assert r.status_code == 402 and r.json()["error"]["code"] == -32011


def test_discovery_document(shared: httpx.Client) -> None:
    doc = shared.get("/api/a2a").json()
    assert doc["protocolVersion"] == "0.3.0"
    assert {m["name"] for m in doc["methods"]} == {"message/send", "tasks/get", "tasks/cancel"}
    assert {"chat_completion", "chat_with_agent"} <= {s["id"] for s in doc["skills"]}


# -- a tiny A2A peer on loopback --------------------------------------------------------------


def _peer_app(version: str, seen: list[dict[str, Any]]) -> Starlette:
    """A JSON-RPC A2A agent speaking 1.0 (`SendMessage`) or only 0.3 (`message/send`)."""

    async def endpoint(request: Request) -> JSONResponse:
        body = await request.json()
        seen.append({"method": body["method"], "version": request.headers.get("a2a-version")})
        text = body["params"]["message"]["parts"][0]["text"]
        if version == "1.0" and body["method"] == "SendMessage":
            message = {
                "messageId": "r1",
                "role": "ROLE_AGENT",
                "parts": [{"text": f"local: {text}"}],
            }
            return JSONResponse(
                {"jsonrpc": "2.0", "id": body["id"], "result": {"message": message}}
            )
        if version == "0.3" and body["method"] == "message/send":
            task = {
                "kind": "task",
                "id": "t1",
                "contextId": "c1",
                "status": {
                    "state": "completed",
                    "message": {
                        "kind": "message",
                        "messageId": "r1",
                        "role": "agent",
                        "parts": [{"kind": "text", "text": f"old local: {text}"}],
                    },
                },
            }
            return JSONResponse({"jsonrpc": "2.0", "id": body["id"], "result": task})
        error = {"code": -32601, "message": "Method not found"}
        return JSONResponse({"jsonrpc": "2.0", "id": body["id"], "error": error}, status_code=404)

    return Starlette(routes=[Route("/rpc", endpoint, methods=["POST"])])


@pytest.fixture(params=["1.0", "0.3"])
def peer(request: pytest.FixtureRequest) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            _peer_app(request.param, seen), port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}/rpc", seen
    server.should_exit = True
    thread.join(5)


def test_chat_with_agent_forwards_to_the_registered_endpoint(
    site: httpx.Client, peer: tuple[str, list[dict[str, Any]]]
) -> None:
    url, seen = peer
    agent = site.post("/api/v1/app/agents", json={"name": "Local", "a2aEndpoint": url}).json()
    r = send(site, skill("chat_with_agent", agentId=agent["agent"]["id"], message="ping"))
    assert r.status_code == 200, r.text
    response = r.json()["result"]["status"]["message"]["parts"][0]["data"]["response"]
    if seen[-1]["method"] == "SendMessage":
        assert response == "local: ping" and seen == [{"method": "SendMessage", "version": "1.0"}]
    else:
        assert response == "old local: ping"
        assert [s["method"] for s in seen] == ["SendMessage", "message/send"]
        assert seen[1]["version"] == "0.3"
    # The per-agent JSON-RPC reaches the same peer.
    r = site.post(
        f"/api/agents/{agent['agent']['id']}/a2a",
        json={
            "jsonrpc": "2.0",
            "id": "1",
            "method": "chat",
            "params": {"messages": [{"role": "user", "content": "pong"}]},
        },
    )
    assert r.json()["result"]["content"].endswith("local: pong")


def test_unreachable_endpoint_is_a_jsonrpc_error(site: httpx.Client) -> None:
    url = f"http://127.0.0.1:{free_port()}/nothing"
    agent = site.post("/api/v1/app/agents", json={"name": "Gone", "a2aEndpoint": url}).json()
    r = send(site, skill("chat_with_agent", agentId=agent["agent"]["id"], message="x"))
    assert r.status_code == 500 and r.json()["error"]["code"] == -32603


def test_per_agent_rpc_errors(emulator_session: EmulatorHandle, shared: httpx.Client) -> None:
    agent_id = shared.post("/api/v1/app/agents", json={"name": "Rpc"}).json()["agent"]["id"]
    url = f"{emulator_session.site_url}/api/agents/{agent_id}/a2a"
    body = {"jsonrpc": "2.0", "id": 1, "method": "chat"}
    assert httpx.post(url, json=body).json()["error"]["code"] == -32002
    r = httpx.post(
        url, json={**body, "method": "x"}, headers=auth_headers(emulator_session.api_key)
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == -32601
    r = httpx.post(url, json={**body, "id": None}, headers=auth_headers(emulator_session.api_key))
    assert r.status_code == 400 and r.json()["error"]["code"] == -32600
    info = httpx.post(
        url, json={**body, "method": "getAgentInfo"}, headers=auth_headers(emulator_session.api_key)
    ).json()
    assert info["result"]["name"] == "Rpc"


def test_a2a_has_its_own_limiter_without_headers() -> None:
    from eliza_tools.emulator import run_emulator

    with run_emulator(speedup=30) as emu:  # 100 per 2 s per organization
        client = httpx.Client(base_url=emu.site_url, headers=auth_headers(emu.api_key))
        body = {"jsonrpc": "2.0", "id": 1, "method": "tasks/get", "params": {"id": "x"}}
        responses = [client.post("/api/a2a", json=body) for _ in range(110)]
    limited = [r for r in responses if r.status_code == 429]
    assert limited, "no 429 within 110 calls"
    assert limited[0].json()["error"]["code"] == -32012
    assert "x-ratelimit-limit" not in limited[0].headers
