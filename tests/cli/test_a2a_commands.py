"""`eliza-tools a2a serve | card | send` against each other, all as real processes."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eliza_tools.emulator.server import free_port
from tests.cli.helpers import SCRIPT, assert_one_line_error, cli_env, run_cli

AGENT = """
from langchain_core.runnables import RunnableLambda

chain = RunnableLambda(lambda text: text.upper(), name="shouter")
not_a_runnable = 42
"""


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "shout_agent.py").write_text(AGENT)
    return tmp_path


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            if httpx.get(url + "/.well-known/agent-card.json").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("a2a serve did not start")


def _serve(workdir: Path, config_file: Path, *options: str) -> tuple[str, subprocess.Popen[str]]:
    """`a2a serve shout_agent:chain OPTIONS` on a free port: (url, process) once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [SCRIPT, "a2a", "serve", "shout_agent:chain", "--port", str(port), *options],
        cwd=workdir,
        env=cli_env(config_file),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process)
    except BaseException:
        process.terminate()
        process.wait(timeout=10)
        raise
    return url, process


@pytest.fixture
def served(workdir: Path, config_file: Path) -> Iterator[tuple[str, str]]:
    """`a2a serve shout_agent:chain` with a generated token; yields (url, token)."""
    url, process = _serve(workdir, config_file, "--store", f"sqlite:{workdir / 'tasks.sqlite3'}")
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline(), process.stdout.readline()]
        match = re.search(r"Token \(.*\): (a2a_\S+)", "".join(lines))
        assert match, lines
        yield url, match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_card_send_and_stream(served: tuple[str, str], config_file: Path) -> None:
    url, token = served
    env = cli_env(config_file)
    card = run_cli("a2a", "card", url, env=env)
    assert card.returncode == 0 and "shouter" in card.stdout and "1.0" in card.stdout

    sent = run_cli("a2a", "send", url, "hello there", "--token", token, env=env)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == "HELLO THERE"

    streamed = run_cli("a2a", "send", url, "stream me", "--api-key", token, "--stream", env=env)
    lines = streamed.stdout.strip().splitlines()
    assert [line.split()[-1] for line in lines if line.startswith("task")] == [
        "submitted",
        "working",
        "completed",
    ]
    assert "artifact output: STREAM ME" in lines

    refused = run_cli("a2a", "send", url, "no token", env=env)
    assert_one_line_error(refused, "credentials")


def test_serve_refuses_to_run_without_auth_unless_told(workdir: Path, config_file: Path) -> None:
    env = cli_env(config_file)
    empty = run_cli("a2a", "serve", "shout_agent:chain", "--token", "", env=env, cwd=workdir)
    assert_one_line_error(empty, "refusing to serve without authentication", "--no-auth")
    both = run_cli(
        "a2a", "serve", "shout_agent:chain", "--no-auth", "--token", "t", env=env, cwd=workdir
    )
    assert_one_line_error(both, "contradict")
    wrong = run_cli("a2a", "serve", "shout_agent:not_a_runnable", env=env, cwd=workdir)
    assert_one_line_error(wrong, "not a LangChain Runnable")
    missing = run_cli("a2a", "serve", "no_such_module:x", env=env, cwd=workdir)
    assert_one_line_error(missing, "cannot import 'no_such_module'")


def test_serve_with_no_auth_answers_anyone(workdir: Path, config_file: Path) -> None:
    url, process = _serve(workdir, config_file, "--store", "memory", "--no-auth")
    try:
        sent = run_cli("a2a", "send", url, "open", env=cli_env(config_file))
        assert sent.stdout.strip() == "OPEN"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "no authentication" in err
