"""Interop with the official `a2a-sdk` 1.3: its server and client run as subprocesses of
`.venv-interop/bin/python` (a separate virtualenv, because the SDK installs a top-level `a2a`
that would shadow ours). Scripts in `peers/`; `.ci/test.sh` creates the virtualenv.

A missing `.venv-interop` is a failure, not a skip: interop is part of the proof.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.a2a import free_port

REPO = Path(__file__).resolve().parents[2]
INTEROP_PYTHON = REPO / ".venv-interop" / "bin" / "python"
PEERS = Path(__file__).resolve().parent / "peers"
INSTALL_HINT = (
    'python3 -m venv .venv-interop && .venv-interop/bin/pip install "a2a-sdk[http-server]==1.3.0" '
    "uvicorn httpx   (or run .ci/test.sh, which does it)"
)

pytestmark = pytest.mark.interop


def require_interop_python() -> Path:
    """The interop interpreter, or a test failure saying how to create it."""
    if not INTEROP_PYTHON.exists():
        pytest.fail(
            f"{INTEROP_PYTHON} is missing: the interop tests need it. Create it with: "
            f"{INSTALL_HINT}"
        )
    return INTEROP_PYTHON


def peer_command(script: str, *args: str) -> list[str]:
    """A command running one peer script in isolated mode (`-I`: no cwd, no PYTHONPATH on
    sys.path, so `import a2a` is the official SDK and never this repository's package)."""
    return [str(require_interop_python()), "-I", str(PEERS / script), *args]


def peer_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def run_sdk_client(url: str, version: str) -> dict[str, Any]:
    """Run the official client's scenario against `url`; its JSON results."""
    done = subprocess.run(
        peer_command("sdk_client.py", url, "--version", version),
        capture_output=True,
        text=True,
        timeout=90,
        cwd=PEERS,
        env=peer_env(),
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"sdk_client.py exited {done.returncode}:\n{done.stderr[-3000:]}")
    results: dict[str, Any] = json.loads(done.stdout)
    return results


@pytest.fixture(scope="module")
def sdk_server() -> Iterator[str]:
    """The official SDK's echo server (peers/sdk_server.py) on a loopback port: its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            peer_command("sdk_server.py", "--port", str(port)),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=PEERS,
            env=peer_env(),
        )
        try:
            wait_until_serving(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until_serving(url: str, proc: subprocess.Popen[bytes], log: Any) -> None:
    """Poll the card until the server answers (fail with its output if it dies or hangs)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"sdk_server.py exited {proc.returncode}:\n{log.read().decode()[-3000:]}")
        try:
            if httpx.get(url + "/.well-known/agent-card.json", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail("sdk_server.py did not answer within 30 s")
