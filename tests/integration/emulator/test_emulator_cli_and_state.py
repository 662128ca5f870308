"""The `eliza-tools emulator` command (output, shutdown) and SQLite persistence.

Its start time is measured by `bench/emulator_start.py`, not asserted here: timed
assertions fail on a busy machine without telling anything about the code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from eliza_tools.emulator import run_emulator
from tests.fixtures.emulator import auth_headers


def _start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "eliza-tools"), "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    values: dict[str, str] = {}
    while "ELIZACLOUD_API_KEY" not in values:
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else "no output"
        if "=" in line:
            name, value = line.strip().split("=", 1)
            values[name] = value
    return process, values


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=10)


def test_cli_prints_url_and_key_and_serves(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    process, values = _start("--balance", "7.5", "--state", str(state))
    try:
        base, key = values["ELIZACLOUD_BASE_URL"], values["ELIZACLOUD_API_KEY"]
        assert base.startswith("http://127.0.0.1:") and base.endswith("/api/v1")
        r = httpx.get(f"{base}/credits/balance", headers=auth_headers(key))
        assert r.json() == {"balance": 7.5}
        httpx.post(f"{base}/generate-image", json={"prompt": "x"}, headers=auth_headers(key))
    finally:
        assert _stop(process) == 130  # the CLI's exit code for Ctrl-C
    # A restart on the same state prints the same key and keeps the balance.
    process, again = _start("--state", str(state))
    try:
        assert again["ELIZACLOUD_API_KEY"] == key
        r = httpx.get(f"{again['ELIZACLOUD_BASE_URL']}/credits/balance", headers=auth_headers(key))
        assert r.json() == {"balance": 7.46}
    finally:
        _stop(process)


def test_sqlite_state_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "emulator.sqlite3"
    with run_emulator(state_path=state, speedup=20, clone_seconds=1) as emu:
        client = httpx.Client(base_url=emu.site_url, headers=auth_headers(emu.api_key))
        agent = client.post("/api/v1/app/agents", json={"name": "Keeper", "bio": "Stays."}).json()
        doc = client.post("/api/v1/knowledge", json={"content": "Persistent facts about owls."})
        image_url = client.post("/api/v1/generate-image", json={"prompt": "owl"}).json()
        files = {"file0": ("a.mp3", b"ID3" + b"\0" * 64, "audio/mpeg")}
        voice = client.post(
            "/api/v1/voice/clone", data={"name": "v", "cloneType": "instant"}, files=files
        ).json()
        task = client.post(
            "/api/a2a",
            json={
                "jsonrpc": "2.0",
                "id": 1,
                "method": "message/send",
                "params": {"message": {"role": "user", "parts": [{"type": "text", "text": "hi"}]}},
            },
        ).json()["result"]
        other_key = emu.new_account(balance=3)
        balance = emu.balance()
        assert emu.emulator.store.persistent
    with run_emulator(state_path=state) as emu:
        assert emu.api_key == client.headers["X-API-Key"]
        client = httpx.Client(base_url=emu.site_url, headers=auth_headers(emu.api_key))
        assert emu.balance() == balance and emu.balance(other_key) == 3
        chars = client.get("/api/my-agents/characters").json()["data"]["characters"]
        assert [c["id"] for c in chars] == [agent["agent"]["id"]]
        hits = client.post("/api/v1/knowledge/query", json={"query": "owls"}).json()["results"]
        assert hits[0]["metadata"]["documentId"] == doc.json()["documentId"]
        old_url = image_url["images"][0]["url"]
        path = old_url.split("/files/", 1)[1]
        assert httpx.get(f"{emu.site_url}/files/{path}").status_code == 200
        assert client.get(f"/api/v1/voice/{voice['voice']['id']}").status_code == 200
        got = client.post(
            "/api/a2a",
            json={"jsonrpc": "2.0", "id": 2, "method": "tasks/get", "params": {"id": task["id"]}},
        ).json()
        assert got["result"]["id"] == task["id"]
