"""`ElizaCloudToolkit`: construction from the environment, selection, output files, budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from eliza_tools import ElizaCloud
from eliza_tools.errors import ConfigurationError, InvalidRequestError
from eliza_tools.tools import ALL_TOOLS, Budget, BudgetExceededError, ElizaCloudToolkit
from eliza_tools.tools.output import OutputDir, extension_for
from tests.fakes import FAKE_API_KEY

ENV_VARS = ("ELIZACLOUD_API_KEY", "ELIZAOS_CLOUD_API_KEY", "ELIZAOS_API_KEY")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ELIZA_TOOLS_CONFIG", str(tmp_path / "no-config.json"))
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_no_arguments_with_the_key_in_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("ELIZACLOUD_API_KEY", FAKE_API_KEY)
    tools = ElizaCloudToolkit().get_tools()
    assert [tool.name for tool in tools] == [tool.name for tool in ALL_TOOLS]
    assert all(tool.response_format == "content_and_artifact" for tool in tools)
    assert FAKE_API_KEY not in repr(tools) and FAKE_API_KEY not in repr(ElizaCloudToolkit())


def test_no_key_is_a_clear_error_naming_the_variable(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="ELIZACLOUD_API_KEY"):
        ElizaCloudToolkit().get_tools()


def test_include_and_exclude() -> None:
    client = ElizaCloud(FAKE_API_KEY, "http://cloud.test")
    names = [t.name for t in ElizaCloudToolkit(client, include=["check_credits"]).get_tools()]
    assert names == ["check_credits"]
    kept = ElizaCloudToolkit(client, exclude=["generate_video"]).openai_tools()
    assert "generate_video" not in {spec["function"]["name"] for spec in kept}
    with pytest.raises(ValueError, match="make_coffee"):
        ElizaCloudToolkit(client, include=["make_coffee"])


def test_output_names_are_unique_and_confined(tmp_path: Path) -> None:
    out = OutputDir(tmp_path / "out")
    first = out.write("speech", "mp3", b"a")
    second = out.write("speech", "mp3", b"b")
    assert first != second and first.parent == second.parent == out.path
    assert first.name.startswith("speech-") and first.suffix == ".mp3"
    weird = out.new_path("../../etc/passwd", "../sh")
    assert weird.parent == out.path and weird.suffix == ".bin"


def test_reads_are_limited_to_allowed_folders(tmp_path: Path) -> None:
    inside = tmp_path / "out" / "a.mp3"
    inside.parent.mkdir()
    inside.write_bytes(b"x")
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    out = OutputDir(tmp_path / "out")
    assert out.readable("a.mp3", field="audio_path") == inside.resolve()
    with pytest.raises(InvalidRequestError, match="outside the allowed folders"):
        out.readable(str(secret), field="audio_path")
    with pytest.raises(InvalidRequestError, match="outside"):
        out.readable("../secret.txt", field="audio_path")
    link = tmp_path / "out" / "link.txt"
    link.symlink_to(secret)
    with pytest.raises(InvalidRequestError, match="outside"):
        out.readable("link.txt", field="audio_path")
    with pytest.raises(InvalidRequestError, match="no such file"):
        out.readable("missing.mp3", field="audio_path")
    assert OutputDir(tmp_path / "out", read_roots=[tmp_path]).readable(str(secret), field="f")


def test_extension_for() -> None:
    assert extension_for("audio/mpeg", "bin") == "mp3"
    assert extension_for("image/webp", "png") == "webp"
    assert extension_for(None, "mp4") == "mp4"


def test_budget_reserves_settles_and_refuses() -> None:
    budget = Budget(1.0)
    first = budget.reserve("generate_video", 0.6)
    with pytest.raises(BudgetExceededError):
        budget.reserve("generate_video", 0.6)  # the first call's hold counts
    budget.settle(first, 0.28)
    assert budget.spent_usd == 0.28 and budget.remaining_usd == pytest.approx(0.72)
    second = budget.reserve("generate_video", 0.6)
    budget.release(second)
    assert budget.spent_usd == 0.28
    assert Budget().reserve("x", 1e9).amount == 1e9  # no limit: track only
