"""The local cloud API in process (httpx over ASGI) against a real emulator on loopback:
every error path answers `{ok: false, error}` with the right status, never a traceback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from eliza_tools.cloud import ManagerOptions
from eliza_tools.cloud.server import create_app
from eliza_tools.cloud.service import CloudService
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.server import free_port
from tests.fixtures.emulator import auth_headers

TOKEN = "t" * 32
LOCAL = ManagerOptions(allow_private=True)


def _client(service: CloudService, host: str = "127.0.0.1:2138") -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(service, TOKEN)),
        base_url=f"http://{host}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


@pytest.fixture
async def logged_in(fast_emulator: EmulatorHandle) -> AsyncIterator[httpx.AsyncClient]:
    service = CloudService(fast_emulator.base_url, api_key=fast_emulator.api_key, options=LOCAL)
    async with _client(service) as client:
        yield client
    await service.aclose()


@pytest.fixture
async def logged_out(fast_emulator: EmulatorHandle) -> AsyncIterator[httpx.AsyncClient]:
    service = CloudService(fast_emulator.base_url, options=LOCAL)
    async with _client(service) as client:
        yield client
    await service.aclose()


async def test_only_loopback_host_names_are_answered(fast_emulator: EmulatorHandle) -> None:
    service = CloudService(fast_emulator.base_url, options=LOCAL)
    async with _client(service, host="evil.example:2138") as client:
        r = await client.get("/api/cloud/status")  # a DNS-rebinding page would send this
    assert r.status_code == 403 and "loopback" in r.json()["error"]
    await service.aclose()


async def test_logged_out_answers(logged_out: httpx.AsyncClient) -> None:
    status = (await logged_out.get("/api/cloud/status")).json()
    assert status["connected"] is False and status["reason"] == "not_authenticated"
    credits = (await logged_out.get("/api/cloud/credits")).json()
    assert credits["connected"] is False and credits["balance"] is None
    r = await logged_out.get("/api/cloud/agents")
    assert r.status_code == 401 and "log in first" in r.json()["error"]
    r = await logged_out.get("/api/cloud/login/status")
    assert r.status_code == 400 and r.json()["error"] == "sessionId is required"
    # A session this server did not start is never polled upstream.
    r = await logged_out.get("/api/cloud/login/status", params={"sessionId": "someone-elses"})
    assert r.json() == {"status": "expired", "error": "Session not found or expired"}


async def test_bad_agent_bodies_name_the_field(logged_in: httpx.AsyncClient) -> None:
    cases = [
        (b"not json", "body: must be a JSON object"),
        (b"[1, 2]", "body: must be a JSON object"),
        (b"{}", "agentName: is required"),
        (b'{"agentName": "' + b"x" * 101 + b'"}', "agentName: is required"),
        (b'{"agentName": "a", "agentConfig": []}', "agentConfig: must be an object"),
        (b'{"agentName": "a", "characterId": "nope"}', "character_id"),
    ]
    for body, error in cases:
        r = await logged_in.post("/api/cloud/agents", content=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["ok"] is False and error in r.json()["error"]


async def test_cloud_errors_keep_their_status(
    logged_in: httpx.AsyncClient, fast_emulator: EmulatorHandle
) -> None:
    r = await logged_in.post("/api/cloud/agents/0e0e0e0e-0000-4000-8000-000000000000/connect")
    assert r.status_code == 404 and r.json() == {"ok": False, "error": "Agent not found"}
    agent = (await logged_in.post("/api/cloud/agents", json={"agentName": "poor"})).json()
    fast_emulator.set_balance(1.0)
    r = await logged_in.post(f"/api/cloud/agents/{agent['agent']['id']}/provision")
    assert r.status_code == 402 and "minimum balance of $5.00" in r.json()["error"]
    status = (await logged_in.get("/api/cloud/status")).json()
    assert status["agent"] is None  # the failed connect left nothing behind
    credits = (await logged_in.get("/api/cloud/credits")).json()
    assert (credits["low"], credits["critical"]) == (True, False)


async def test_shutdown_takes_a_final_snapshot_then_deletes(
    fast_emulator: EmulatorHandle,
) -> None:
    service = CloudService(fast_emulator.base_url, api_key=fast_emulator.api_key, options=LOCAL)
    async with _client(service) as client:
        created = await client.post("/api/cloud/agents", json={"agentName": "a"})
        agent_id = created.json()["agent"]["id"]
        r = await client.post(f"/api/cloud/agents/{agent_id}/provision")
        assert r.json()["status"] == {"connected": True, "state": "connected"}
        r = await client.post(f"/api/cloud/agents/{agent_id}/shutdown")
        assert r.json() == {"ok": True, "agentId": agent_id, "status": "stopped"}
        manager = service.require_manager()
        assert manager.stats.backups == 1 and manager.agent_id is None  # the final snapshot
        assert (await client.get("/api/cloud/agents")).json() == {"ok": True, "agents": []}
    await service.aclose()


async def test_a_rejected_key_and_an_unreachable_cloud_have_their_reasons(
    fast_emulator: EmulatorHandle,
) -> None:
    rejected = CloudService(fast_emulator.base_url, api_key="eliza_" + "ab" * 32, options=LOCAL)
    async with _client(rejected) as client:
        status = (await client.get("/api/cloud/status")).json()
    assert status["reason"] == "api_key_present_not_authenticated" and status["hasApiKey"]
    await rejected.aclose()

    nowhere = f"http://127.0.0.1:{free_port()}"
    gone = CloudService(nowhere, api_key=fast_emulator.api_key, options=LOCAL)
    async with _client(gone) as client:
        status = (await client.get("/api/cloud/status")).json()
        assert status["reason"] == "api_key_present_runtime_not_started"
        r = await client.get("/api/cloud/agents")
        assert r.status_code == 502 and r.json()["error"].startswith("Eliza Cloud unreachable")
        await client.post("/api/cloud/disconnect")
        r = await client.post("/api/cloud/login")
        assert r.status_code == 502
        status = (await client.get("/api/cloud/status")).json()
        assert status["reason"] == "runtime_not_started"
    await gone.aclose()


async def test_server_shutdown_takes_the_final_snapshot(fast_emulator: EmulatorHandle) -> None:
    service = CloudService(fast_emulator.base_url, api_key=fast_emulator.api_key, options=LOCAL)
    app = create_app(service, TOKEN)
    async with app.router.lifespan_context(app), _client(service) as client:
        created = await client.post("/api/cloud/agents", json={"agentName": "kept"})
        agent_id = created.json()["agent"]["id"]
        assert (await client.post(f"/api/cloud/agents/{agent_id}/connect")).status_code == 200
    async with httpx.AsyncClient(
        base_url=fast_emulator.base_url, headers=auth_headers(fast_emulator.api_key)
    ) as cloud:
        backups = (await cloud.get(f"/milady/agents/{agent_id}/backups")).json()["data"]
    assert [b["snapshotType"] for b in backups] == ["manual"]


def test_a_short_token_is_refused(fast_emulator: EmulatorHandle) -> None:
    with pytest.raises(ValueError, match="token: must be at least 16"):
        create_app(CloudService(fast_emulator.base_url, options=LOCAL), "short")
