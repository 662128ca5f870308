"""CLI login over a mock transport: no key sent, a fresh UUID, the one-time key kept secret."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from eliza_tools import ElizaCloud
from eliza_tools.resources.auth import browser_url
from tests.fakes import FAKE_API_KEY, OTHER_FAKE_API_KEY

# A path prefix in front of /api/v1 must survive into the browser URL.
BASE = "http://cloud.test/prefix/api/v1"


def _client(answers: list[dict[str, Any]], seen: list[httpx.Request]) -> ElizaCloud:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        status = 201 if request.method == "POST" else 200
        return httpx.Response(status, json=answers.pop(0))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False)


def test_start_generates_a_uuid_sends_no_key_and_builds_the_browser_url() -> None:
    seen: list[httpx.Request] = []
    answer = {"sessionId": "", "status": "pending", "expiresAt": "2026-11-23T19:40:00.000Z"}

    def echo(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        session_id = json.loads(request.content)["sessionId"]
        return httpx.Response(201, json={**answer, "sessionId": session_id})

    http = httpx.Client(transport=httpx.MockTransport(echo))
    with ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False) as cloud:
        session = cloud.auth.start_cli_login()
    sent = seen[0]
    assert str(sent.url) == "http://cloud.test/prefix/api/auth/cli-session"
    assert "authorization" not in sent.headers and "x-api-key" not in sent.headers
    assert uuid.UUID(session.session_id).version == 4
    assert session.browser_url == (
        f"http://cloud.test/prefix/auth/cli-login?session={session.session_id}"
    )


def test_poll_hands_the_key_once_and_never_shows_it() -> None:
    seen: list[httpx.Request] = []
    answers: list[dict[str, Any]] = [
        {"status": "pending"},
        {
            "status": "authenticated",
            "apiKey": OTHER_FAKE_API_KEY,
            "keyPrefix": "eliza_fedcba",
            "expiresAt": None,
        },
        {"status": "authenticated", "message": "API key already retrieved"},
    ]
    with _client(answers, seen) as cloud:
        pending = cloud.auth.poll_cli_login("s-1")
        first = cloud.auth.poll_cli_login("s-1")
        again = cloud.auth.poll_cli_login("s-1")
    assert (pending.authenticated, pending.api_key) == (False, None)
    assert first.authenticated and not first.already_retrieved
    assert first.api_key is not None and first.api_key.get() == OTHER_FAKE_API_KEY
    for shown in (repr(first), str(first), first.model_dump_json(), repr(first.model_dump())):
        assert OTHER_FAKE_API_KEY not in shown
    assert again.already_retrieved and again.message == "API key already retrieved"
    assert all("x-api-key" not in request.headers for request in seen)
    assert seen[0].url.path == "/prefix/api/auth/cli-session/s-1"


def test_browser_url_encodes_the_session() -> None:
    assert (
        browser_url("https://x.test/", "a b&c") == "https://x.test/auth/cli-login?session=a+b%26c"
    )
