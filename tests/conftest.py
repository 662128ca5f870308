"""Root conftest: loads every fixture module under tests/fixtures/ so features add fixtures
without editing a shared file."""

from pathlib import Path

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)
