"""The seeds' "Getting Started" walkthrough, run with curl against `eliza-tools cloud serve`.

The real console script runs in a subprocess with its embedded emulator; the commands are
the walkthrough's own (only the port, token, session id and agent id are filled in). The
login is approved on the emulator's page: GET it for the browser cookie, then POST the
approval, as its Approve button does.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import httpx
import pytest

from eliza_tools.emulator.server import free_port
from tests.fixtures.emulator import auth_headers

CONSOLE_SCRIPT = Path(sys.executable).parent / "eliza-tools"
# Step 4's body, byte for byte as the walkthrough writes it.
WALKTHROUGH_BODY = """{
    "agentName": "my-cloud-agent",
    "agentConfig": {},
    "environmentVars": {}
  }"""


class LocalAPI:
    """A running `eliza-tools cloud serve`: its URL, token and embedded emulator."""

    def __init__(self, process: subprocess.Popen[str], info: dict[str, str]) -> None:
        self.process = process
        self.url = info["ELIZA_TOOLS_CLOUD_URL"].replace("127.0.0.1", "localhost")
        self.token = info["ELIZA_TOOLS_CLOUD_TOKEN"]
        self.emulator_key = info["EMULATOR_API_KEY"]
        self.upstream = info["EMULATOR_BASE_URL"].removesuffix("/api/v1")

    def curl(self, *args: str) -> Any:
        """Run curl with the walkthrough's arguments; the answer as JSON."""
        if shutil.which("curl") is None:
            pytest.fail("the walkthrough runs with curl: install it (Debian: apt-get install curl)")
        done = subprocess.run(
            ["curl", "-sS", "--max-time", "30", *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=40,
        )
        return json.loads(done.stdout)


def _read_banner(process: subprocess.Popen[str]) -> dict[str, str]:
    lines: Queue[str] = Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    info: dict[str, str] = {}
    while True:
        try:
            line = lines.get(timeout=20)
        except Empty:
            raise AssertionError(f"no banner; stderr: {process.stderr}") from None
        if line.startswith("Press Ctrl-C"):
            return info
        key, sep, value = line.partition("=")
        if sep:
            info[key] = value


@pytest.fixture
def local_api(tmp_path: Path) -> Iterator[LocalAPI]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ELIZACLOUD_", "ELIZAOS_"))}
    env["ELIZA_TOOLS_CONFIG"] = str(tmp_path / "no-config.json")  # nothing configured
    env.pop("ELIZA_TOOLS_CLOUD_TOKEN", None)
    # Speed-up 100000: provisioning (90 s) is done by the first poll of its job.
    command = [str(CONSOLE_SCRIPT), "cloud", "serve", "--port", str(free_port())]
    process = subprocess.Popen(
        [*command, "--speedup", "100000"], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        yield LocalAPI(process, _read_banner(process))
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C: graceful shutdown, then exit 130
        assert process.wait(timeout=15) == 130


def test_the_getting_started_walkthrough_runs_as_written(local_api: LocalAPI) -> None:
    api, bearer = local_api, f"Authorization: Bearer {local_api.token}"

    # Step 1: start the login flow.
    started = api.curl("-X", "POST", f"{api.url}/api/cloud/login", "-H", bearer)
    assert started["ok"] is True and started["sessionId"]
    session = started["sessionId"]
    assert started["browserUrl"] == f"{api.upstream}/auth/cli-login?session={session}"

    # Step 2: poll (as written: no token); pending until the browser approves.
    poll = f"{api.url}/api/cloud/login/status?sessionId={session}"
    assert api.curl(poll) == {"status": "pending"}
    with httpx.Client(timeout=10) as browser:
        assert browser.get(started["browserUrl"]).status_code == 200  # gets the cookie
        approve = browser.post(f"{api.upstream}/api/auth/cli-session/{session}/complete")
        assert approve.status_code == 200, approve.text
    done = api.curl(poll)
    assert done["status"] == "authenticated" and done["keyPrefix"].startswith("eliza_")
    assert api.curl(poll) == done  # polling again keeps saying so

    # Step 3: connection status (as written: no token).
    status = api.curl(f"{api.url}/api/cloud/status")
    assert status["connected"] is True and status["enabled"] is True
    assert status["hasApiKey"] is True and status["organizationId"]
    assert status["topUpUrl"] == f"{api.upstream}/dashboard/settings?tab=billing"

    # "Credits and Billing".
    credits = api.curl(f"{api.url}/api/cloud/credits", "-H", bearer)
    assert credits == {
        "connected": True,
        "balance": 25.0,
        "low": False,
        "critical": False,
        "topUpUrl": status["topUpUrl"],
    }

    # Step 4: create a cloud agent.
    created = api.curl(
        "-X",
        "POST",
        f"{api.url}/api/cloud/agents",
        "-H",
        bearer,
        "-H",
        "Content-Type: application/json",
        "-d",
        WALKTHROUGH_BODY,
    )
    assert created["ok"] is True and created["agent"]["name"] == "my-cloud-agent"
    agent_id = created["agent"]["id"]

    # Step 5: connect to it (provisions and waits for the job).
    connected = api.curl(
        "-X", "POST", f"{api.url}/api/cloud/agents/{agent_id}/connect", "-H", bearer
    )
    assert connected == {
        "ok": True,
        "agentId": agent_id,
        "agentName": "my-cloud-agent",
        "status": {"connected": True, "state": "connected"},
    }
    listed = api.curl(f"{api.url}/api/cloud/agents", "-H", bearer)
    assert [(a["id"], a["status"]) for a in listed["agents"]] == [(agent_id, "running")]
    assert api.curl(f"{api.url}/api/cloud/status")["agent"] == {
        "id": agent_id,
        "state": "connected",
    }

    # Disconnecting: final snapshot, key forgotten.
    bye = api.curl("-X", "POST", f"{api.url}/api/cloud/disconnect", "-H", bearer)
    assert bye == {"ok": True, "status": "disconnected"}
    after = api.curl(f"{api.url}/api/cloud/status")
    assert after["connected"] is False and after["reason"] == "not_authenticated"
    backups = httpx.get(
        f"{api.upstream}/api/v1/milady/agents/{agent_id}/backups",
        headers=auth_headers(api.emulator_key),
    ).json()["data"]
    assert [b["snapshotType"] for b in backups] == ["manual"]  # the final snapshot


def test_protected_routes_need_the_token(local_api: LocalAPI) -> None:
    anonymous = local_api.curl("-X", "POST", f"{local_api.url}/api/cloud/login")
    assert anonymous["ok"] is False and "Bearer" in anonymous["error"]
    wrong = local_api.curl(
        f"{local_api.url}/api/cloud/agents", "-H", "Authorization: Bearer not-the-token"
    )
    assert wrong == anonymous
