"""CLI login: the real status sequence, expiry, and the browser page's cookie-only completion."""

from __future__ import annotations

import re
import time
import uuid

import httpx

from eliza_tools.emulator import EmulatorHandle, run_emulator
from tests.fixtures.emulator import auth_headers


def test_full_login_sequence(emulator_session: EmulatorHandle, shared: httpx.Client) -> None:
    site = emulator_session.site_url
    session_id = str(uuid.uuid4())
    created = httpx.post(f"{site}/api/auth/cli-session", json={"sessionId": session_id})
    assert created.status_code == 201
    assert created.json()["status"] == "pending" and created.json()["expiresAt"].endswith("Z")
    poll = f"{site}/api/auth/cli-session/{session_id}"
    assert httpx.get(poll).json() == {"status": "pending"}

    # The API key cannot complete the session: the real route wants a browser session.
    r = shared.post(f"/api/auth/cli-session/{session_id}/complete")
    assert r.status_code == 401 and r.json()["code"] == "session_auth_required"

    with httpx.Client(base_url=site) as browser:
        page = browser.get(f"/auth/cli-login?session={session_id}")
        assert page.status_code == 200 and re.search(r"<button[^>]*>Approve</button>", page.text)
        assert "emulator-session" in browser.cookies
        done = browser.post(f"/api/auth/cli-session/{session_id}/complete")
        assert done.status_code == 200 and done.json()["success"] is True

    first = httpx.get(poll).json()
    assert first["status"] == "authenticated"
    key = first["apiKey"]
    assert re.fullmatch(r"eliza_[0-9a-f]{64}", key) and first["keyPrefix"] == key[:12]
    assert httpx.get(poll).json() == {
        "status": "authenticated",
        "message": "API key already retrieved",
    }
    # The new key works.
    balance = httpx.get(f"{site}/api/v1/credits/balance", headers=auth_headers(key))
    assert balance.status_code == 200


def test_expired_and_unknown_sessions_are_404() -> None:
    with run_emulator(cli_session_ttl=0.2) as emu:
        url = f"{emu.site_url}/api/auth/cli-session"
        session_id = str(uuid.uuid4())
        httpx.post(url, json={"sessionId": session_id})
        assert httpx.get(f"{url}/{session_id}").json() == {"status": "pending"}
        time.sleep(0.3)
        r = httpx.get(f"{url}/{session_id}")
        assert (r.status_code, r.json()) == (404, {"error": "Session not found or expired"})
        assert httpx.get(f"{url}/{uuid.uuid4()}").status_code == 404
        r = httpx.post(url, json={})
        assert (r.status_code, r.json()) == (400, {"error": "Session ID is required"})


def test_login_page_needs_a_session_parameter(shared: httpx.Client) -> None:
    assert shared.get("/auth/cli-login").status_code == 400
