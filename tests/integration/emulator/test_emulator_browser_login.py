"""The CLI login page in a real browser (Debian chromium through Playwright)."""

from __future__ import annotations

import shutil
import uuid

import httpx
import pytest

from eliza_tools.emulator import EmulatorHandle

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_approve_button_completes_the_cli_login(emulator: EmulatorHandle) -> None:
    from playwright.sync_api import sync_playwright

    session_id = str(uuid.uuid4())
    httpx.post(f"{emulator.site_url}/api/auth/cli-session", json={"sessionId": session_id})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(f"{emulator.site_url}/auth/cli-login?session={session_id}")
            page.get_by_role("button", name="Approve").click()
            page.get_by_text("Approved.").wait_for(timeout=5000)
        finally:
            browser.close()
    polled = httpx.get(f"{emulator.site_url}/api/auth/cli-session/{session_id}").json()
    assert polled["status"] == "authenticated" and polled["apiKey"].startswith("eliza_")
