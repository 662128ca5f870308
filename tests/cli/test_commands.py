"""`tools`, `image`, `video`, `speak`, `knowledge` and user errors, via the console script."""

from __future__ import annotations

import json
from pathlib import Path

from eliza_tools.emulator import EmulatorHandle
from tests.cli.helpers import FAKE_KEY, assert_one_line_error, cli_env, run_cli


def test_tools_list_needs_no_key_and_shows_arguments(config_file: Path) -> None:
    table = run_cli("tools", "list", env=cli_env(config_file))
    assert table.returncode == 0, table.stderr
    assert "generate_image" in table.stdout and "prompt: string*" in table.stdout
    specs = json.loads(run_cli("tools", "list", "--json", env=cli_env(config_file)).stdout)
    names = {spec["name"] for spec in specs}
    assert {"generate_image", "check_credits", "discover_agents"} <= names
    assert all(spec["parameters"]["additionalProperties"] is False for spec in specs)


def test_tools_call_runs_a_tool_and_refuses_bad_arguments(
    emu_env: dict[str, str], tmp_path: Path
) -> None:
    ok = run_cli("tools", "call", "check_credits", "--json", env=emu_env, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["result"]["balance_usd"] == 25.0
    bad = run_cli("tools", "call", "generate_image", "--args", '{"prompt": 3}', env=emu_env)
    assert_one_line_error(bad, "generate_image", "prompt")
    assert_one_line_error(run_cli("tools", "call", "nope", env=emu_env), "no tool named 'nope'")


def test_image_video_and_speak_save_files(
    emulator: EmulatorHandle, emu_env: dict[str, str], tmp_path: Path
) -> None:
    image = run_cli(
        "image", "a red fox", "-n", "2", "-o", "pics", "--json", env=emu_env, cwd=tmp_path
    )
    assert image.returncode == 0, image.stderr
    saved = [tmp_path / item["path"] for item in json.loads(image.stdout)]
    assert [path.name for path in saved] == ["image-1.png", "image-2.png"]
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in saved)

    video = run_cli("video", "a fox running", "-o", "fox.mp4", env=emu_env, cwd=tmp_path)
    assert video.returncode == 0, video.stderr
    assert b"ftyp" in (tmp_path / "fox.mp4").read_bytes()[:16]

    speech = run_cli(
        "speak", "Hello from the command line.", "-o", "hi.mp3", env=emu_env, cwd=tmp_path
    )
    assert speech.returncode == 0, speech.stderr
    audio = (tmp_path / "hi.mp3").read_bytes()
    assert audio[:3] == b"ID3" or audio[0] == 0xFF
    assert emulator.balance() < 25.0  # all three were billed


def test_knowledge_upload_then_query(emu_env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "fox.md"
    notes.write_text("Red foxes eat mice and berries. They live in forests and cities.\n")
    upload = run_cli("knowledge", "upload", str(notes), env=emu_env)
    assert upload.returncode == 0, upload.stderr
    assert "fox.md" in upload.stdout and "success" in upload.stdout
    query = run_cli("knowledge", "query", "what do foxes eat", "--json", env=emu_env)
    hits = json.loads(query.stdout)["results"]
    assert hits and "mice" in hits[0]["content"]
    refused = run_cli("knowledge", "upload", str(tmp_path / "x.exe"), env=emu_env)
    assert_one_line_error(refused, "unsupported file type")


def test_every_user_error_is_one_line(
    emulator: EmulatorHandle, config_file: Path, tmp_path: Path
) -> None:
    no_key = run_cli("image", "x", env=cli_env(config_file))
    assert_one_line_error(no_key, "no elizaos cloud api key found", "eliza-tools login")

    bad_key = cli_env(config_file, base_url=emulator.base_url, api_key=FAKE_KEY)
    assert_one_line_error(run_cli("speak", "hi", env=bad_key, cwd=tmp_path), "401", "login")

    emulator.set_balance(0.0)
    broke = cli_env(config_file, base_url=emulator.base_url, api_key=emulator.api_key)
    assert_one_line_error(run_cli("image", "x", env=broke, cwd=tmp_path), "insufficient credits")

    down = cli_env(config_file, base_url="http://127.0.0.1:9", api_key=FAKE_KEY)
    assert_one_line_error(run_cli("image", "x", env=down), "connection", "ELIZACLOUD_BASE_URL")

    usage = run_cli("image", env=down)  # a missing argument: argparse's usage, exit 2
    assert usage.returncode == 2 and "required: prompt" in usage.stderr

    debug = run_cli("--debug", "image", "x", env=down)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
