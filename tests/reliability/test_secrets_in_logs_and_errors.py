"""The secrets scan beyond the repository files (tests/unit/test_no_secrets.py covers those):
the key a client holds never shows in the logs written while calls fail, in the str/repr of
any error raised (and the errors they chain), in the objects users print, nor in the log of a
served agent that was called with it.

The key is made at run time (an emulator account's key), so it cannot be in any file by
accident: finding it anywhere means the code leaked it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from a2a.client import SyncA2AClient
from eliza_tools import ElizaCloud
from eliza_tools.config import Secret
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.errors import ElizaCloudError
from tests.fixtures.a2a_replica import Replicas

pytestmark = pytest.mark.timeout(60)

KEY_SHAPE = re.compile(r"eliza_[0-9a-fA-F]{64}")


def texts_of(error: BaseException) -> Iterator[str]:
    """str and repr of an error, its args and every error it chains."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield from (repr(arg) for arg in current.args)
        for name in ("message", "body", "details", "code", "request"):
            if hasattr(current, name):
                yield repr(getattr(current, name))
        current = current.__cause__ or current.__context__


@pytest.fixture
def key(emulator: EmulatorHandle) -> str:
    made = emulator.new_account(balance=5.0)
    assert KEY_SHAPE.fullmatch(made), "the emulator's keys look real"
    return made


def failing_calls(emulator: EmulatorHandle, key: str) -> list[BaseException]:
    """Run calls that fail in every way the client knows, with DEBUG logging everywhere."""
    site = "/api/v1"
    # A server that echoes the key back in its error body.
    emulator.inject_fault(
        f"{site}/models", status=401, body={"error": f"Invalid API key {key}"}, times=1
    )
    emulator.inject_fault(f"{site}/credits/*", status=500, times=None)
    emulator.inject_fault(f"{site}/generate-image", drop=True, times=1)
    emulator.inject_fault(
        f"{site}/embeddings", status=429, headers={"Retry-After": "0"}, times=None
    )
    emulator.inject_fault(f"{site}/chat/completions", delay=1.0, times=1)
    raised: list[BaseException] = []
    http = httpx.Client(timeout=0.3)
    with ElizaCloud(key, emulator.base_url, http_client=http, max_retries=1) as cloud:
        cloud._core.backoff_base = 0.01
        attempts: list[Any] = [
            lambda: cloud.models.list(),
            lambda: cloud.credits.balance(),
            lambda: cloud.images.generate("x"),
            lambda: cloud.embeddings.create("text-embedding-3-small", "hi"),
            lambda: cloud.chat.completions.create(
                "gpt-4o-mini", [{"role": "user", "content": "x"}], timeout=0.3
            ),
            lambda: cloud.images.generate(""),  # refused before sending
        ]
        for attempt in attempts:
            try:
                attempt()
            except Exception as exc:
                raised.append(exc)
        printed = [repr(cloud), str(cloud), repr(cloud._core), repr(cloud.settings)]
    assert all(key not in text for text in printed), printed
    return raised


def test_no_key_in_logs_or_errors_of_failing_calls(
    emulator: EmulatorHandle, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        raised = failing_calls(emulator, key)
    assert len(raised) == 6
    assert all(isinstance(e, ElizaCloudError) for e in raised), [type(e) for e in raised]
    leaks = [t for e in raised for t in texts_of(e) if key in t]
    assert leaks == [], leaks
    assert key not in caplog.text
    assert caplog.records, "the scan must have seen some log records"


def test_secret_holders_never_print_the_key(key: str) -> None:
    secret = Secret(key)
    assert key not in repr(secret) and key not in str(secret) and key not in f"{secret}"
    client = SyncA2AClient("http://127.0.0.1:9/", api_key=key, bearer_token=key)
    assert key not in repr(client) and key not in str(client)
    client.close()


def test_a_served_agent_never_logs_the_callers_key(
    key: str, tmp_path: Any, replica_process: Replicas
) -> None:
    server = replica_process.start(f"sqlite:{tmp_path / 'tasks.db'}")
    headers = {"A2A-Version": "1.0", "X-API-Key": key, "Authorization": f"Bearer {key}"}
    request: dict[str, Any] = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "SendMessage",
        "params": {"message": {"role": "ROLE_USER", "messageId": "m", "parts": [{"text": "x"}]}},
    }
    with httpx.Client(timeout=5) as http:
        answer = http.post(server.url + "/", json=request, headers=headers)  # wrong key: 401
        assert answer.status_code == 401 and key not in answer.text
        broken = http.post(server.url + "/", content=b"{" + key.encode(), headers=headers)
        assert key not in broken.text
        count: dict[str, Any] = {
            **request,
            "params": {
                "message": {**request["params"]["message"], "parts": [{"text": "count x y"}]}
            },
        }
        http.post(
            server.url + "/",
            json=count,
            headers={**headers, "X-API-Key": "eliza_" + "0123456789abcdef" * 4},
        )
    server.stop()
    written = server.log_path.read_text()
    assert key not in written
    assert KEY_SHAPE.findall(written) == []
