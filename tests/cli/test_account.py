"""`eliza-tools login`, `logout` and `status` through the real console script."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from eliza_tools.emulator import EmulatorHandle, run_emulator
from tests.cli.helpers import FAKE_KEY, SCRIPT, assert_one_line_error, cli_env, run_cli

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOGIN_URL = re.compile(r"(http://\S+/auth/cli-login\?session=\S+)")


def _approve_in_chromium(url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.get_by_role("button", name="Approve").click()
            page.get_by_text("Approved.").wait_for(timeout=10_000)
        finally:
            browser.close()


def _read_login_url(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # the URL is printed before polling starts
        seen.append(line)
        match = LOGIN_URL.search(line)
        if match:
            return match.group(1)
    raise AssertionError(f"no login URL printed: {''.join(seen)}")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_login_end_to_end_in_headless_chromium(emulator: EmulatorHandle, config_file: Path) -> None:
    env = cli_env(config_file)
    process = subprocess.Popen(
        [
            SCRIPT,
            "login",
            "--no-browser",
            "--base-url",
            emulator.site_url,
            "--interval",
            "0.2",
            "--timeout",
            "60",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = _read_login_url(process)
        assert url.startswith(emulator.site_url + "/auth/cli-login?session=")
        _approve_in_chromium(url)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Logged in" in out and str(config_file) in out
    saved = json.loads(config_file.read_text())
    assert re.fullmatch(r"eliza_[0-9a-f]{64}", saved["api_key"])
    assert saved["base_url"] == emulator.base_url
    assert saved["api_key"] not in out + err  # shown masked only
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    # The saved key works: status reads it from the file and reaches the emulator.
    status = run_cli("status", "--json", env=env)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["key_source"] == str(config_file)


def test_login_times_out_with_one_line(emulator: EmulatorHandle, config_file: Path) -> None:
    result = run_cli(
        "login",
        "--no-browser",
        "--base-url",
        emulator.base_url,
        "--timeout",
        "0.5",
        "--interval",
        "0.2",
        env=cli_env(config_file),
    )
    assert_one_line_error(result, "not approved within 0.5 s")
    assert not config_file.exists()


def test_login_reports_an_expired_session(config_file: Path) -> None:
    with run_emulator(cli_session_ttl=0.2) as emu:
        result = run_cli(
            "login",
            "--no-browser",
            "--base-url",
            emu.base_url,
            "--interval",
            "0.4",
            env=cli_env(config_file),
        )
    assert_one_line_error(result, "expired")


def test_logout_removes_only_the_key(config_file: Path) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text(json.dumps({"api_key": FAKE_KEY, "base_url": "http://x/api/v1"}))
    result = run_cli("logout", env=cli_env(config_file))
    assert result.returncode == 0 and "Logged out" in result.stdout
    assert json.loads(config_file.read_text()) == {"base_url": "http://x/api/v1"}
    again = run_cli("logout", "--json", env=cli_env(config_file))
    assert json.loads(again.stdout)["logged_out"] is False


def test_status_shows_balance_and_flags(emulator: EmulatorHandle, emu_env: dict[str, str]) -> None:
    table = run_cli("status", env=emu_env)
    assert table.returncode == 0, table.stderr
    assert "$25.00" in table.stdout and "$ELIZACLOUD_API_KEY" in table.stdout
    assert emulator.api_key not in table.stdout
    emulator.set_balance(1.5)
    low = json.loads(run_cli("status", "--json", env=emu_env).stdout)
    assert (low["balance_usd"], low["low"], low["critical"]) == (1.5, True, False)
    emulator.set_balance(0.1)
    critical = run_cli("status", env=emu_env)
    assert "critical" in critical.stdout


def test_status_exits_1_when_the_key_is_refused(
    emulator: EmulatorHandle, config_file: Path
) -> None:
    result = run_cli(
        "status", "--json", env=cli_env(config_file, base_url=emulator.base_url, api_key=FAKE_KEY)
    )
    assert result.returncode == 1
    info = json.loads(result.stdout)
    assert info["connected"] is False and "401" in info["error"]
