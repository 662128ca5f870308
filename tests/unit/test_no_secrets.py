"""Fail the build if a real-looking API key sits anywhere in the repository.

Only the documented fake keys of tests/fakes.py may appear. This covers the
cassettes, fixtures, notebooks, docs and the code itself.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.fakes import ALLOWED_FAKE_KEYS

ROOT = Path(__file__).resolve().parents[2]
KEY_PATTERN = re.compile(r"eliza_[0-9a-fA-F]{64}")


def _repository_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def test_only_fake_keys_in_the_repository() -> None:
    offenders: list[str] = []
    files = _repository_files()
    assert any(path.suffix == ".yaml" for path in files), "the scan must see the cassettes"
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for match in KEY_PATTERN.findall(text):
            if match not in ALLOWED_FAKE_KEYS:
                offenders.append(f"{path.relative_to(ROOT)}: {match[:12]}…")
    assert offenders == [], "real-looking API keys found:\n" + "\n".join(offenders)


def test_cassettes_hold_no_credentials_headers() -> None:
    cassettes = (ROOT / "tests" / "cassettes").rglob("*.yaml")
    for path in cassettes:
        text = path.read_text(encoding="utf-8").lower()
        assert "authorization:" not in text, path
        assert "x-api-key:" not in text, path
