"""`eliza-tools agents|apps|billing …`: the real console script against a running emulator."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes import milady
from tests.fixtures.emulator import auth_headers

CONSOLE_SCRIPT = Path(sys.executable).parent / "eliza-tools"


class CLI:
    """Runs the console script with the emulator's key and base URL in the environment."""

    def __init__(self, emulator: EmulatorHandle, config: Path) -> None:
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("ELIZACLOUD_", "ELIZAOS_"))
        }
        self.env.update(
            ELIZACLOUD_API_KEY=emulator.api_key,
            ELIZACLOUD_BASE_URL=emulator.base_url,
            ELIZA_TOOLS_CONFIG=str(config),
            COLUMNS="200",
        )

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CONSOLE_SCRIPT), *args],
            capture_output=True,
            text=True,
            env=self.env,
            input=stdin,
            timeout=60,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.run(*args, stdin=stdin)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def fails(self, *args: str) -> str:
        """A user error: exit 1 and exactly one line on stderr, no traceback."""
        done = self.run(*args)
        assert done.returncode == 1, done.stdout
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
        return lines[0]


@pytest.fixture
def cli(fast_emulator: EmulatorHandle, tmp_path: Path) -> CLI:
    return CLI(fast_emulator, tmp_path / "config.json")


def test_agents_lifecycle_from_the_command_line(cli: CLI) -> None:
    env = ["--env", "A=1", "--config", '{"character": "milady"}']
    agent = cli.json("agents", "create", "cli-agent", *env)
    agent_id = agent["id"]
    assert agent["status"] == "pending"
    assert [a["id"] for a in cli.json("agents", "list")] == [agent_id]
    assert "cli-agent" in cli.ok("agents", "list")  # the table

    connect = ["agents", "connect", agent_id, "--for", "0.5", "--allow-private"]
    out = cli.ok(*connect, "--heartbeat-interval", "0.1")
    states = [line.split()[0] for line in out.splitlines()]
    assert states == ["connecting", "connected", "disconnected"]
    backups = cli.json("agents", "backups", agent_id)
    assert [b["snapshotType"] for b in backups] == ["manual"]  # the final snapshot

    assert cli.ok("agents", "chat", agent_id, "hi there").strip() == "You said: hi there"
    assert cli.ok("agents", "chat", agent_id, "-", "--stream", stdin="piped").strip() == (
        "You said: piped"
    )
    snap = cli.json("agents", "snapshot", agent_id)
    restored = cli.json("agents", "restore", agent_id, "--backup-id", snap["backupId"])
    assert restored["restoredFromBackupId"] == snap["backupId"]
    assert cli.json("agents", "shutdown", agent_id)["previousStatus"] == "running"

    assert "--yes" in cli.fails("agents", "delete", agent_id)
    assert cli.ok("agents", "delete", agent_id, "--yes").strip() == f"deleted {agent_id}"
    assert cli.json("agents", "list") == []


def test_connect_shows_a_lost_connection_and_exits_1(
    cli: CLI, fast_emulator: EmulatorHandle
) -> None:
    agent_id = cli.json("agents", "create", "doomed")["id"]
    # Start it, then kill its sandbox: the agent still says `running`, the bridge -32000.
    headers = auth_headers(fast_emulator.api_key)
    httpx.post(f"{fast_emulator.base_url}/milady/agents/{agent_id}/provision", headers=headers)
    assert (
        httpx.get(f"{fast_emulator.base_url}/milady/agents/{agent_id}", headers=headers).json()[
            "data"
        ]["status"]
        == "running"
    )
    milady.set_sandbox_down(fast_emulator.emulator, agent_id, True)

    done = cli.run(
        *("agents", "connect", agent_id, "--allow-private", "--heartbeat-interval", "0.05"),
        *("--reconnect-attempts", "2", "--reconnect-delay", "0.05"),
    )
    assert done.returncode == 1
    states = [line.split()[0] for line in done.stdout.splitlines()]
    assert states == ["connecting", "connected", "reconnecting", "error", "disconnected"]
    assert done.stderr.strip().splitlines() == [
        f"error: connection to {agent_id} lost: bridge error -32000: Sandbox unreachable"
    ]


def test_connect_refuses_a_plain_http_base_url_without_allow_private(cli: CLI) -> None:
    agent_id = cli.json("agents", "create", "safe")["id"]
    assert "must be https" in cli.fails("agents", "connect", agent_id, "--for", "0.1")


def test_agent_argument_errors_are_one_line(cli: CLI) -> None:
    assert "--env: expected KEY=VALUE" in cli.fails("agents", "create", "x", "--env", "oops")
    assert "--config: must be a JSON object" in cli.fails("agents", "create", "x", "--config", "[]")
    assert "agent_name" in cli.fails("agents", "create", "")
    assert "Agent not found" in cli.fails("agents", "backups", "no-such-agent")


def test_agents_discover_lists_services(cli: CLI) -> None:
    page = cli.json("agents", "discover", "--types", "agent,mcp", "--limit", "5")
    assert {"services", "total", "hasMore"} <= set(page) and len(page["services"]) <= 5
    assert "Services" in cli.ok("agents", "discover", "--query", "anything")
    assert "limit" in cli.fails("agents", "discover", "--limit", "0")


def test_apps_from_the_command_line(cli: CLI) -> None:
    created = cli.json("apps", "create", "CLI App", "--url", "https://app.example.com")
    app_id = created["app"]["id"]
    assert created["apiKey"].startswith("eliza_")  # shown this once
    table = cli.ok("apps", "regenerate-key", app_id)
    assert "shown once" in table and "eliza_" in table
    assert [a["id"] for a in cli.json("apps", "list")] == [app_id]
    assert cli.json("apps", "check-name", "CLI App")["available"] is False
    assert cli.json("apps", "update", app_id, "--description", "new")["description"] == "new"
    money = cli.json("apps", "monetization", app_id, "--enable", "--markup", "20")
    assert money["monetizationEnabled"] is True and money["inferenceMarkupPercentage"] == 20
    assert "analytics" in cli.json("apps", "analytics", app_id)
    assert "users" in cli.json("apps", "users", app_id)
    assert "earnings" in cli.json("apps", "earnings", app_id)
    both = ("--enable", "--disable")
    assert "--enable and --disable" in cli.fails("apps", "monetization", app_id, *both)
    assert "--yes" in cli.fails("apps", "delete", app_id)
    assert cli.json("apps", "delete", app_id, "--yes")["success"] is True
    assert cli.json("apps", "list") == []


def test_billing_from_the_command_line(cli: CLI) -> None:
    balance = cli.json("billing", "balance")
    assert balance["balance"] == 25.0 and balance["topUpUrl"].endswith("?tab=billing")
    assert "$25.00" in cli.ok("billing", "balance")
    assert "transactions" in cli.json("billing", "transactions", "--limit", "5")
    settings = cli.json("billing", "settings")
    assert settings["autoTopUp"]["enabled"] is False
    assert "payment method" in cli.fails("billing", "settings", "--auto-top-up", "on")
    session = cli.json(
        "billing",
        "checkout",
        "10",
        "--success-url",
        "http://localhost:3000/ok",
        "--cancel-url",
        "http://localhost:3000/no",
    )
    assert session["url"] and session["sessionId"]
    assert "not paid" in cli.fails("billing", "verify", session["sessionId"])


def test_a_bad_key_is_one_line_with_a_hint(cli: CLI) -> None:
    cli.env["ELIZACLOUD_API_KEY"] = "eliza_" + "ab" * 32
    line = cli.fails("billing", "balance")
    assert "ELIZACLOUD_API_KEY" in line and "eliza_abab" not in line


def test_cloud_serve_start_errors_are_one_line(cli: CLI) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert cli.fails("cloud", "serve", "--port", port) == (
            f"error: port {port} is in use; pick another with --port"
        )
    assert "https" in cli.fails("cloud", "serve", "--port", "0")  # the env's http emulator URL
