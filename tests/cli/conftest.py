"""Fixtures of the CLI tests: a private config file and an environment pointing at the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from eliza_tools.emulator import EmulatorHandle
from tests.cli.helpers import cli_env


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """Where the CLI keeps its key in this test (not written yet)."""
    return tmp_path / "config" / "config.json"


@pytest.fixture
def emu_env(emulator: EmulatorHandle, config_file: Path) -> dict[str, str]:
    """The CLI's environment for the emulator: its base URL and key."""
    return cli_env(config_file, base_url=emulator.base_url, api_key=emulator.api_key)
