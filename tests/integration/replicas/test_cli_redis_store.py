"""`eliza-tools a2a serve ... --store redis://…`: two CLI replicas share their tasks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.a2a import free_port
from tests.fixtures.redis import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.timeout(60)]

AGENT = """
from langchain_core.runnables import RunnableLambda

chain = RunnableLambda(lambda text: text.upper(), name="shouter")
"""
SCRIPT = str(Path(sys.executable).with_name("eliza-tools"))


@pytest.fixture
def cli_replicas(tmp_path: Path, redis_server: RedisServer) -> Iterator[list[str]]:
    (tmp_path / "shout_agent.py").write_text(AGENT)
    env = {**os.environ, "ELIZA_TOOLS_CONFIG": str(tmp_path / "config.json")}
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                SCRIPT,
                "a2a",
                "serve",
                "shout_agent:chain",
                "--no-auth",
                "--port",
                str(port),
                "--store",
                redis_server.url,
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, process.communicate()[1][-2000:]
                try:
                    if httpx.get(url + "/.well-known/agent-card.json").is_success:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "a2a serve did not start"
                time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.communicate(timeout=10)


def test_a_task_sent_to_one_cli_replica_is_read_from_the_other(cli_replicas: list[str]) -> None:
    a, b = cli_replicas
    headers = {"A2A-Version": "1.0"}
    send = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "SendMessage",
        "params": {"message": {"role": "ROLE_USER", "messageId": "m", "parts": [{"text": "hi"}]}},
    }
    task = httpx.post(a + "/", json=send, headers=headers, timeout=20).json()["result"]["task"]
    get = {"jsonrpc": "2.0", "id": 2, "method": "GetTask", "params": {"id": task["id"]}}
    found = httpx.post(b + "/", json=get, headers=headers, timeout=20).json()["result"]
    assert found["status"]["state"] == "TASK_STATE_COMPLETED"
    assert found["artifacts"] == task["artifacts"]
