"""Run the real `eliza-tools` console script in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from eliza_tools.config import API_KEY_ENV_VARS

# The console script pip installed next to the interpreter running the tests.
SCRIPT = str(Path(sys.executable).with_name("eliza-tools"))
FAKE_KEY = "eliza_" + "5f3c" * 16


def cli_env(
    config: Path, *, base_url: str | None = None, api_key: str | None = None
) -> dict[str, str]:
    """A clean environment: no inherited keys, a private config file, wide non-TTY output."""
    env = {k: v for k, v in os.environ.items() if k not in API_KEY_ENV_VARS}
    env.pop("ELIZACLOUD_BASE_URL", None)
    env.update(ELIZA_TOOLS_CONFIG=str(config), COLUMNS="200", NO_COLOR="1")
    if base_url is not None:
        env["ELIZACLOUD_BASE_URL"] = base_url
    if api_key is not None:
        env["ELIZACLOUD_API_KEY"] = api_key
    return env


def run_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`eliza-tools ARGS...`; returns the finished process (text output)."""
    return subprocess.run(
        [SCRIPT, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Non-zero exit, no traceback, stderr ends with one `error:` line holding every needle."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), result.stderr
    for needle in needles:
        assert needle.lower() in last.lower(), last
    return last
