"""Hostile callers of the A2A server.

- Auth: no token, a wrong token, and another principal's task id are refused, and the refusal
  for someone else's task is byte-for-byte the refusal for a task that does not exist (it
  does not leak that the task exists).
- Push notifications: webhook URLs on loopback, private ranges, link-local (cloud metadata),
  CGNAT, unspecified and IPv4-mapped addresses, non-http schemes, and hostnames resolving to
  any of them are refused, when set and again at delivery, unless private targets are allowed.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from a2a.jsonrpc import InvalidParamsError
from a2a.server import PushSender, api_key_auth, check_push_url, create_app
from a2a.stores import InMemoryTaskStore
from a2a.types import TaskPushNotificationConfig
from tests.fixtures.a2a import OTHER_API_KEY, TEST_API_KEY, ScenarioAgent, scenario_card

pytestmark = pytest.mark.timeout(30)

ALICE = {"A2A-Version": "1.0", "X-API-Key": TEST_API_KEY}
BOB = {"A2A-Version": "1.0", "X-API-Key": OTHER_API_KEY}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    keys = {TEST_API_KEY: "alice", OTHER_API_KEY: "bob"}
    app = create_app(
        ScenarioAgent(), scenario_card(), store=InMemoryTaskStore(), auth=api_key_auth(keys)
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://agent.test") as client:
        yield client


async def call(
    http: httpx.AsyncClient, method: str, params: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    return await http.post("/", json=body, headers=headers)


async def alice_task(http: httpx.AsyncClient, text: str = "ask") -> str:
    params = {"message": {"role": "ROLE_USER", "messageId": "m1", "parts": [{"text": text}]}}
    response = await call(http, "SendMessage", params, ALICE)
    task_id: str = response.json()["result"]["task"]["id"]
    return task_id


# -- auth ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": "eliza_" + "9" * 64},
        {"Authorization": "Bearer eliza_" + "9" * 64},
        {"Authorization": f"Basic {TEST_API_KEY}"},
        {"X-API-Key": TEST_API_KEY[:-1]},
        {"X-API-Key": ""},
    ],
)
async def test_missing_or_wrong_credentials_are_401(
    http: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await call(http, "ListTasks", {}, {"A2A-Version": "1.0", **headers})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    payload = response.json()
    assert payload["error"]["code"] < 0 and "result" not in payload
    assert TEST_API_KEY not in response.text


def same_as_missing(response: httpx.Response, missing: httpx.Response, task_id: str) -> None:
    """The answer about another's task equals the answer about a task that does not exist."""
    assert response.status_code == missing.status_code
    assert response.text.replace(task_id, "ID") == missing.text.replace("no-such-task", "ID")


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("GetTask", {"id": "{id}"}),
        ("CancelTask", {"id": "{id}"}),
        ("SubscribeToTask", {"id": "{id}"}),
        ("ListTaskPushNotificationConfigs", {"taskId": "{id}"}),
        ("GetTaskPushNotificationConfig", {"taskId": "{id}", "id": "c1"}),
        ("DeleteTaskPushNotificationConfig", {"taskId": "{id}", "id": "c1"}),
        ("CreateTaskPushNotificationConfig", {"taskId": "{id}", "url": "https://h.example/x"}),
        (
            "SendMessage",
            {
                "message": {
                    "role": "ROLE_USER",
                    "messageId": "m",
                    "taskId": "{id}",
                    "parts": [{"text": "x"}],
                }
            },
        ),
    ],
)
async def test_another_principals_task_is_indistinguishable_from_none(
    http: httpx.AsyncClient, method: str, params: dict[str, Any]
) -> None:
    task_id = await alice_task(http)
    as_text = json.dumps(params)
    theirs = await call(http, method, json.loads(as_text.replace("{id}", task_id)), BOB)
    missing = await call(http, method, json.loads(as_text.replace("{id}", "no-such-task")), BOB)
    assert "error" in theirs.json(), theirs.text
    same_as_missing(theirs, missing, task_id)
    # ...and the owner still has the task, untouched.
    mine = await call(http, "GetTask", {"id": task_id}, ALICE)
    assert mine.json()["result"]["status"]["state"] == "TASK_STATE_INPUT_REQUIRED"


async def test_list_tasks_shows_only_the_callers_tasks(http: httpx.AsyncClient) -> None:
    task_id = await alice_task(http)
    bob = (await call(http, "ListTasks", {}, BOB)).json()["result"]
    assert bob["tasks"] == [] and bob["totalSize"] == 0
    alice = (await call(http, "ListTasks", {}, ALICE)).json()["result"]
    assert [t["id"] for t in alice["tasks"]] == [task_id]


# -- push notification targets ---------------------------------------------------------------

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://localhost/hook",  # resolves to loopback
    "http://10.0.0.5/hook",
    "http://172.16.3.4/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:169.254.169.254]/hook",
    "http://224.0.0.1/hook",  # multicast
    "file:///etc/passwd",
    "gopher://example.com/",
    "ftp://example.com/x",
    "http:///no-host",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_push_urls_to_internal_targets_are_refused(http: httpx.AsyncClient, url: str) -> None:
    task_id = await alice_task(http)
    response = await call(
        http, "CreateTaskPushNotificationConfig", {"taskId": task_id, "url": url}, ALICE
    )
    error = response.json()["error"]
    assert error["code"] == -32602, error
    listed = await call(http, "ListTaskPushNotificationConfigs", {"taskId": task_id}, ALICE)
    assert listed.json()["result"].get("configs", []) == []


async def test_push_url_in_send_configuration_is_screened_too(http: httpx.AsyncClient) -> None:
    params = {
        "message": {"role": "ROLE_USER", "messageId": "m", "parts": [{"text": "echo x"}]},
        "configuration": {"taskPushNotificationConfig": {"url": "http://10.1.2.3/x"}},
    }
    response = await call(http, "SendMessage", params, ALICE)
    assert response.json()["error"]["code"] == -32602


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
    """Resolve the given hostnames to the given addresses (no network in tests)."""
    real = asyncio.BaseEventLoop.getaddrinfo

    async def getaddrinfo(self: Any, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (a, port),
                )
                for a in answers[host]
            ]
        return await real(self, host, port, *args, **kwargs)

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", getaddrinfo)


async def test_hostnames_resolving_to_private_addresses_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_dns(
        monkeypatch,
        {
            "evil.example": ["10.0.0.7"],
            "mixed.example": ["93.184.216.34", "127.0.0.1"],  # one bad answer is enough
            "meta.example": ["fd00:ec2::254"],
            "good.example": ["93.184.216.34"],
        },
    )
    for host in ("evil.example", "mixed.example", "meta.example"):
        with pytest.raises(InvalidParamsError, match="non-public"):
            await check_push_url(f"https://{host}/hook")
    await check_push_url("https://good.example/hook")
    with pytest.raises(InvalidParamsError, match="cannot resolve"):
        await check_push_url("https://does-not-resolve.invalid/hook")


async def test_delivery_rechecks_a_host_that_was_re_pointed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = {"rebind.example": ["93.184.216.34"]}
    fake_dns(monkeypatch, answers)
    config = TaskPushNotificationConfig(id="c", task_id="t", url="http://rebind.example/hook")
    await check_push_url(config.url)  # accepted when set
    answers["rebind.example"] = ["127.0.0.1"]  # DNS rebinding after the check
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    sender = PushSender(
        client_factory=lambda: httpx.AsyncClient(transport=httpx.MockTransport(record))
    )
    assert not await sender.deliver(config, {"x": 1})
    assert sent == [] and sender.failed == 1
    await sender.close()


async def test_private_targets_are_allowed_only_when_asked() -> None:
    await check_push_url("http://127.0.0.1:9/hook", allow_private=True)
    with pytest.raises(InvalidParamsError):
        await check_push_url("file:///etc/passwd", allow_private=True)  # never a non-http URL
    received: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        received.append(request.content)
        return httpx.Response(204)

    config = TaskPushNotificationConfig(id="c", task_id="t", url="http://127.0.0.1:9/hook")
    allowed = PushSender(
        allow_private=True,
        client_factory=lambda: httpx.AsyncClient(transport=httpx.MockTransport(record)),
    )
    assert await allowed.deliver(config, {"ok": True})
    assert json.loads(received[0]) == {"ok": True}
    await allowed.close()
    default = PushSender(
        client_factory=lambda: httpx.AsyncClient(transport=httpx.MockTransport(record))
    )
    assert not await default.deliver(config, {"ok": True})
    assert len(received) == 1
    await default.close()
