"""SIGKILL a server mid-task, restart it on the same store: every task is found in a truthful
state (completed ones intact, interrupted ones failed with a reason) and every stored record
reads back whole. SQLite (one server owns the file) and Redis (the restarted replica, or any
other, fails the dead replica's running tasks once its heartbeat expires)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from a2a.types import Task
from tests.fixtures.a2a import TEST_API_KEY
from tests.fixtures.a2a_replica import Replicas, ServerProcess
from tests.fixtures.redis import RedisServer

pytestmark = pytest.mark.timeout(60)

HEADERS = {"A2A-Version": "1.0", "X-API-Key": TEST_API_KEY}
REASON = "The server stopped before the task finished"


def rpc_body(method: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}


def message(text: str) -> dict[str, Any]:
    return {
        "role": "ROLE_USER",
        "messageId": f"m-{text}-{time.monotonic_ns()}",
        "parts": [{"text": text}],
    }


async def rpc(http: httpx.AsyncClient, url: str, method: str, params: dict[str, Any]) -> Any:
    payload = (await http.post(url + "/", json=rpc_body(method, params), headers=HEADERS)).json()
    assert "result" in payload, payload
    return payload["result"]


async def first_event(http: httpx.AsyncClient, url: str, text: str) -> str:
    """Start a stream, read its first event (the Task) and return the task id; the stream
    stays open in the background until the server dies."""
    request = rpc_body("SendStreamingMessage", {"message": message(text)})
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def follow() -> None:
        try:
            async with http.stream("POST", url + "/", json=request, headers=HEADERS) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data: ") and not found.done():
                        found.set_result(json.loads(line[6:])["result"]["task"]["id"])
        except httpx.HTTPError:
            pass  # the server was killed under the stream

    asyncio.get_running_loop().create_task(follow())
    return await asyncio.wait_for(found, 10)


async def load_tasks(http: httpx.AsyncClient, url: str) -> tuple[list[str], list[str]]:
    """Tasks that complete, and tasks left running when the server dies."""
    done = []
    for i in range(5):
        result = await rpc(http, url, "SendMessage", {"message": message(f"echo {i}")})
        done.append(result["task"]["id"])
    running = [await first_event(http, url, "count 100 50") for _ in range(8)]
    params = {"message": message("hang"), "configuration": {"returnImmediately": True}}
    running.append((await rpc(http, url, "SendMessage", params))["task"]["id"])
    await asyncio.sleep(0.3)  # let the runs write a few events
    return done, running


async def check_after_restart(
    http: httpx.AsyncClient, url: str, done: list[str], running: list[str], wait: float
) -> None:
    for task_id in done:
        task = await rpc(http, url, "GetTask", {"id": task_id})
        assert task["status"]["state"] == "TASK_STATE_COMPLETED"
        assert task["artifacts"][0]["parts"][0]["text"].startswith("echo: echo ")
    deadline = time.monotonic() + wait
    for task_id in running:
        while True:
            task = await rpc(http, url, "GetTask", {"id": task_id})
            if task["status"]["state"] == "TASK_STATE_FAILED" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.1)
        assert task["status"]["state"] == "TASK_STATE_FAILED", task["status"]
        assert REASON in task["status"]["message"]["parts"][0]["text"]
    page = await rpc(http, url, "ListTasks", {"pageSize": 100})
    assert {t["id"] for t in page["tasks"]} == set(done) | set(running)


async def test_sqlite_kill_mid_task_then_restart(tmp_path: Path, replica_process: Replicas) -> None:
    spec = f"sqlite:{tmp_path / 'tasks.db'}"
    server: ServerProcess = replica_process.start(spec)
    async with httpx.AsyncClient(timeout=10) as http:
        done, running = await load_tasks(http, server.url)
        server.kill()
        # No partial record: every row parses as a whole task.
        with sqlite3.connect(tmp_path / "tasks.db") as db:
            rows = db.execute("SELECT body FROM a2a_tasks").fetchall()
        assert {Task.model_validate_json(body).id for (body,) in rows} == set(done) | set(running)
        restarted = replica_process.start(spec)
        await check_after_restart(http, restarted.url, done, running, wait=0.0)


@pytest.mark.redis
async def test_redis_kill_mid_task_then_restart(
    redis_server: RedisServer, redis_prefix: str, replica_process: Replicas
) -> None:
    server = replica_process.start(redis_server.url, prefix=redis_prefix, replica_ttl=1.0)
    async with httpx.AsyncClient(timeout=10) as http:
        done, running = await load_tasks(http, server.url)
        server.kill()
        with redis.Redis.from_url(redis_server.url) as client:
            keys = list(client.scan_iter(f"{redis_prefix}:t:*"))
            bodies = [client.hget(key, "body") for key in keys]
        ids = {Task.model_validate_json(body).id for body in bodies if body is not None}
        assert len(bodies) == len(ids) and ids == set(done) | set(running)
        restarted = replica_process.start(redis_server.url, prefix=redis_prefix, replica_ttl=1.0)
        # The dead replica's heartbeat must expire first (1 s), then a sweep fails its tasks.
        await check_after_restart(http, restarted.url, done, running, wait=5.0)
        # A client that resumes its dropped stream on the new replica gets the end of it.
        request = rpc_body("SubscribeToTask", {"id": running[0]})
        headers = {**HEADERS, "Last-Event-ID": "1"}
        async with http.stream(
            "POST", restarted.url + "/", json=request, headers=headers
        ) as response:
            lines = [line async for line in response.aiter_lines() if line.startswith("data: ")]
        last = json.loads(lines[-1][6:])["result"]["statusUpdate"]["status"]
        assert last["state"] == "TASK_STATE_FAILED"
