"""Push notifications: URL screening, payload per dialect, headers, retries."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from a2a.jsonrpc import InvalidParamsError
from a2a.server.push import PushSender, check_push_url
from a2a.server.task_manager import TaskManager
from a2a.stores import InMemoryTaskStore
from a2a.types import (
    AuthenticationInfo,
    Message,
    Part,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    TaskPushNotificationConfig,
)
from tests.fixtures.a2a import ScenarioAgent

PUBLIC = "https://93.184.216.34/hook"


class Capture(PushSender):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[TaskPushNotificationConfig, Any]] = []

    def enqueue(self, key: str, config: TaskPushNotificationConfig, payload: Any) -> None:
        self.sent.append((config, payload))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://[::1]/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1/x",
        "http://169.254.169.254/latest",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://localhost/x",
        "ftp://93.184.216.34/x",
        "not a url",
    ],
)
async def test_private_and_odd_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidParamsError):
        await check_push_url(url)


async def test_public_and_allowed_private_urls_pass() -> None:
    await check_push_url(PUBLIC)
    await check_push_url("http://127.0.0.1:9/x", allow_private=True)


def request(text: str, push: TaskPushNotificationConfig) -> SendMessageRequest:
    message = Message(role=Role.USER, parts=[Part(text=text)])
    config = SendMessageConfiguration(task_push_notification_config=push)
    return SendMessageRequest(message=message, configuration=config)


@pytest.mark.parametrize("dialect", ["1.0", "0.3", "0.1"])
async def test_payload_follows_the_dialect_of_the_config(dialect: str) -> None:
    sender = Capture()
    manager = TaskManager(ScenarioAgent(), InMemoryTaskStore(), push_sender=sender)
    await manager.send("me", dialect, request("echo p", TaskPushNotificationConfig(url=PUBLIC)))
    payloads = [p for _, p in sender.sent]
    if dialect == "1.0":
        assert [next(iter(p)) for p in payloads] == ["task", "artifactUpdate", "statusUpdate"]
    else:
        assert all("status" in p and "id" in p for p in payloads)
        assert payloads[-1]["status"]["state"] == "completed"
        assert ("kind" in payloads[-1]) is (dialect == "0.3")
    config = sender.sent[0][0]
    assert config.id and config.task_id == payloads[0].get("task", payloads[0]).get("id")


async def test_delivery_headers_and_retries() -> None:
    calls: list[httpx.Request] = []
    answers = [httpx.Response(503), httpx.Response(200)]

    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(req)
        return answers.pop(0)

    sender = PushSender(
        backoff=0.0,
        client_factory=lambda: httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )
    config = TaskPushNotificationConfig(
        url=PUBLIC,
        token="tok",
        authentication=AuthenticationInfo(scheme="Bearer", credentials="secret-cred"),
    )
    assert await sender.deliver(config, {"statusUpdate": {}}) is True
    assert len(calls) == 2
    assert calls[0].headers["x-a2a-notification-token"] == "tok"
    assert calls[0].headers["authorization"] == "Bearer secret-cred"
    await sender.close()


async def test_refused_receiver_is_not_retried() -> None:
    calls: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        calls.append(req)
        return httpx.Response(404)

    sender = PushSender(
        backoff=0.0,
        client_factory=lambda: httpx.AsyncClient(transport=httpx.MockTransport(handler)),
    )
    assert await sender.deliver(TaskPushNotificationConfig(url=PUBLIC), {}) is False
    assert len(calls) == 1 and sender.failed == 1
    await sender.close()
