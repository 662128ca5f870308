"""`eliza-tools demo`: the story on the embedded emulator, and the README's main command
run exactly as written in a fresh clone with a fresh virtualenv."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from eliza_tools.config import API_KEY_ENV_VARS
from tests.cli.helpers import assert_one_line_error, cli_env, run_cli

REPO = Path(__file__).resolve().parents[3]
README_COMMAND = re.compile(r"<!-- demo-command -->\s*```bash\n(.+?)\n```", re.S)


def test_demo_runs_offline_and_saves_its_files(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "config.json")  # no key, no base URL: only the emulator
    result = run_cli("demo", "--json", env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads(result.stdout[result.stdout.index("{\n") :])
    out = tmp_path / "eliza-demo"
    assert summary == json.loads((out / "summary.json").read_text())
    assert [step["status"] for step in summary["steps"]] == ["ok"] * 7
    assert (out / "lighthouse.png").read_bytes().startswith(b"\x89PNG")
    (speech,) = summary["steps"][2]["files"]
    assert Path(speech).parent == out.resolve() and speech.endswith(".mp3")
    audio = Path(speech).read_bytes()
    assert audio[:3] == b"ID3" or audio[0] == 0xFF
    assert "1989" in (out / "knowledge-answer.txt").read_text()
    assert "Basho" in (out / "delegated.txt").read_text()
    back = (out / "delegated-back.txt").read_text()
    assert "running on your machine" in back and Path(speech).name in back
    assert 0 < summary["spent_usd"] < 1


def test_demo_cloud_without_a_key_is_one_line(tmp_path: Path) -> None:
    result = run_cli("demo", "--cloud", env=cli_env(tmp_path / "config.json"), cwd=tmp_path)
    assert_one_line_error(result, "no elizaos cloud api key found")


@pytest.mark.timeout(400)
def test_readme_main_command_works_in_a_fresh_clone(tmp_path: Path) -> None:
    """Clone the committed tree (what a newcomer gets) and run the README's line verbatim:
    a new virtualenv, pip from the configured index, then the demo."""
    match = README_COMMAND.search((REPO / "README.md").read_text())
    assert match, "README.md lost its <!-- demo-command --> block"
    command = match.group(1).strip()
    assert "\n" not in command and command.startswith("python3 -m venv")
    clone = tmp_path / "eliza-tools"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=60)
    env = {k: v for k, v in os.environ.items() if k not in API_KEY_ENV_VARS}
    env.pop("VIRTUAL_ENV", None)
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(REPO))
    )
    result = subprocess.run(
        ["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=360
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Summary" in result.stdout
    assert (clone / "eliza-demo" / "summary.json").exists()
