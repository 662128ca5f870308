"""Emulator-only checks of the Milady agent routes: kill switch, backup cap, raw quirks."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from eliza_tools import ElizaCloud
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes.milady import MAX_BACKUPS, configure
from eliza_tools.errors import SandboxDownError
from tests.fixtures.emulator import auth_headers


@pytest.fixture
def cloud(emulator: EmulatorHandle) -> Iterator[ElizaCloud]:
    """A client on a fresh emulator whose provisioning takes 25 ms."""
    configure(emulator.emulator, provision_seconds=0.5, poll_interval_ms=1000)
    with ElizaCloud(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0) as client:
        yield client


@pytest.fixture
def raw(emulator: EmulatorHandle) -> Iterator[httpx.Client]:
    """An httpx client at the emulator's root with the default key."""
    with httpx.Client(
        base_url=emulator.site_url, headers=auth_headers(emulator.api_key), timeout=10
    ) as client:
        yield client


def _running(cloud: ElizaCloud) -> str:
    agent = cloud.cloud_agents.create("emulated")
    assert cloud.cloud_agents.provision(agent.id, wait=True).status == "running"
    return agent.id


def test_kill_switch_makes_the_bridge_answer_200_with_32000(
    cloud: ElizaCloud, raw: httpx.Client
) -> None:
    agent_id = _running(cloud)
    killed = raw.post(f"/__emulator__/milady/agents/{agent_id}/sandbox", json={"down": True})
    assert killed.status_code == 200
    bridge = raw.post(
        f"/api/v1/milady/agents/{agent_id}/bridge", json={"jsonrpc": "2.0", "method": "heartbeat"}
    )
    assert bridge.status_code == 200  # the real server's quirk: HTTP success, JSON-RPC failure
    assert bridge.json()["error"] == {"code": -32000, "message": "Sandbox unreachable"}
    with pytest.raises(SandboxDownError) as excinfo:
        cloud.cloud_agents.heartbeat(agent_id)
    assert excinfo.value.code == -32000
    with pytest.raises(SandboxDownError), cloud.cloud_agents.stream_message(agent_id, "hi") as s:
        list(s)
    # No heartbeat on the server: it still believes the agent runs.
    assert cloud.cloud_agents.get(agent_id).status == "running"
    # Provisioning a "running" agent is a no-op; only resuming after a shutdown revives it.
    cloud.cloud_agents.shutdown(agent_id)
    cloud.cloud_agents.resume(agent_id, wait=True)
    assert cloud.cloud_agents.send_message(agent_id, "back?").text == "You said: back?"


def test_revive_switch_and_bad_admin_input(cloud: ElizaCloud, raw: httpx.Client) -> None:
    agent_id = _running(cloud)
    path = f"/__emulator__/milady/agents/{agent_id}/sandbox"
    raw.post(path, json={"down": True})
    raw.post(path, json={"down": False})
    assert cloud.cloud_agents.heartbeat(agent_id).method == "heartbeat.ack"
    assert raw.post(path, json={"down": "yes"}).json() == {"error": "down: must be a boolean"}
    missing = raw.post("/__emulator__/milady/agents/nope/sandbox", json={"down": True})
    assert missing.status_code == 404
    bad = raw.post("/__emulator__/milady/settings", json={"provisionSeconds": -1})
    assert bad.status_code == 400 and "provisionSeconds" in bad.json()["error"]


def test_snapshots_keep_the_newest_ten(cloud: ElizaCloud) -> None:
    agent_id = _running(cloud)
    made = [cloud.cloud_agents.snapshot(agent_id).backup_id for _ in range(MAX_BACKUPS + 2)]
    kept = [b.id for b in cloud.cloud_agents.backups(agent_id)]
    assert kept == made[::-1][:MAX_BACKUPS]


def test_restore_rules(cloud: ElizaCloud, raw: httpx.Client) -> None:
    agent_id = _running(cloud)
    old = cloud.cloud_agents.snapshot(agent_id).backup_id
    cloud.cloud_agents.snapshot(agent_id)
    cloud.cloud_agents.shutdown(agent_id)
    path = f"/api/v1/milady/agents/{agent_id}/restore"
    assert raw.post(path, json={"backupId": old}).status_code == 409  # not the latest, stopped
    assert raw.post(path).status_code == 500  # the real route needs a body
    restored = cloud.cloud_agents.restore(agent_id)  # latest: re-provisions synchronously
    assert restored.snapshot_type == "manual"
    assert cloud.cloud_agents.get(agent_id).running


def test_gate_body_other_org_and_legacy_alias(
    emulator: EmulatorHandle, cloud: ElizaCloud, raw: httpx.Client
) -> None:
    agent_id = _running(cloud)
    emulator.set_balance(1.5)
    gated = raw.post(f"/api/v1/milady/agents/{agent_id}/resume")
    assert gated.status_code == 402
    assert gated.json()["requiredBalance"] == 5 and gated.json()["currentBalance"] == 1.5
    legacy = raw.get(f"/api/v1/milaidy/agents/{agent_id}")
    assert legacy.json()["data"]["id"] == agent_id
    other = emulator.new_account(balance=10)
    seen = raw.get(f"/api/v1/milady/agents/{agent_id}", headers=auth_headers(other))
    assert seen.status_code == 404 and seen.json() == {"success": False, "error": "Agent not found"}
    garbage = raw.post(
        "/api/v1/milady/agents", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert garbage.status_code == 500 and garbage.json()["success"] is False


def test_provisioning_takes_emulated_time(emulator: EmulatorHandle, raw: httpx.Client) -> None:
    configure(emulator.emulator, provision_seconds=90)  # 4.5 s at the fixture's speedup of 20
    created = raw.post("/api/v1/milady/agents", json={"agentName": "slow"}).json()["data"]
    started = raw.post(f"/api/v1/milady/agents/{created['id']}/provision")
    assert started.status_code == 202
    body = started.json()
    assert body["polling"]["expectedDurationMs"] == 4500
    assert body["polling"]["intervalMs"] == 250  # 5000 ms divided by the speedup
    job = raw.get(body["polling"]["endpoint"]).json()
    assert job["data"]["status"] in ("pending", "in_progress")
    assert raw.get(f"/api/v1/milady/agents/{created['id']}").json()["data"]["status"] == (
        "provisioning"
    )
    assert raw.delete(f"/api/v1/milady/agents/{created['id']}").status_code == 409
