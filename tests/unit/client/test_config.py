"""Config precedence, base URL normalisation and secret redaction."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from eliza_tools import ConfigurationError, ElizaCloud
from eliza_tools.config import (
    API_KEY_ENV_VARS,
    normalize_base_url,
    resolve_settings,
    save_user_config,
)
from tests.fakes import FAKE_API_KEY, OTHER_FAKE_API_KEY


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (*API_KEY_ENV_VARS, "ELIZACLOUD_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "config.json"
    monkeypatch.setenv("ELIZA_TOOLS_CONFIG", str(config))
    return config


def test_argument_beats_environment_beats_config_file(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    save_user_config({"api_key": "eliza_" + "1" * 64, "base_url": "http://file.test"})
    assert resolve_settings().api_key.get() == "eliza_" + "1" * 64
    assert resolve_settings().base_url == "http://file.test/api/v1"
    monkeypatch.setenv("ELIZAOS_API_KEY", OTHER_FAKE_API_KEY)
    assert resolve_settings().api_key.get() == OTHER_FAKE_API_KEY
    monkeypatch.setenv("ELIZACLOUD_API_KEY", FAKE_API_KEY)
    monkeypatch.setenv("ELIZACLOUD_BASE_URL", "http://env.test/api/v1/")
    assert resolve_settings().api_key.get() == FAKE_API_KEY
    assert resolve_settings().base_url == "http://env.test/api/v1"
    explicit = resolve_settings("eliza_" + "2" * 64, "http://arg.test")
    assert explicit.api_key.get() == "eliza_" + "2" * 64
    assert explicit.base_url == "http://arg.test/api/v1"


@pytest.mark.parametrize("name", API_KEY_ENV_VARS)
def test_every_documented_variable_is_read(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, FAKE_API_KEY)
    assert resolve_settings().api_key.get() == FAKE_API_KEY


def test_missing_key_names_all_three_variables() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        ElizaCloud()
    for name in API_KEY_ENV_VARS:
        assert name in str(excinfo.value)
    assert "eliza-tools login" in str(excinfo.value)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://www.elizacloud.ai", "https://www.elizacloud.ai/api/v1"),
        ("https://www.elizacloud.ai/", "https://www.elizacloud.ai/api/v1"),
        ("https://www.elizacloud.ai/api/v1", "https://www.elizacloud.ai/api/v1"),
        ("https://www.elizacloud.ai/api/v1/", "https://www.elizacloud.ai/api/v1"),
    ],
)
def test_base_url_with_or_without_api_v1(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected
    assert resolve_settings(FAKE_API_KEY, given).site_url == "https://www.elizacloud.ai"


def test_bad_base_url_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        normalize_base_url("www.elizacloud.ai")


def test_config_file_is_owner_only(clean_env: Path) -> None:
    path = save_user_config({"api_key": FAKE_API_KEY})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_key_never_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with ElizaCloud(FAKE_API_KEY, "http://127.0.0.1:9") as cloud:
        logging.getLogger("test").debug("client %s %r %s", cloud, cloud, cloud.settings)
        texts = [repr(cloud), str(cloud), repr(cloud.settings), repr(cloud._core), caplog.text]
    for text in texts:
        assert FAKE_API_KEY not in text
        assert FAKE_API_KEY[6:] not in text


def test_anonymous_client_reaches_public_routes_only() -> None:
    import httpx

    from eliza_tools import ConfigurationError as ConfigError

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"sessionId": "s1", "status": "pending", "expiresAt": None})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with ElizaCloud(base_url="http://cloud.test", anonymous=True, http_client=http) as cloud:
        session = cloud.auth.start_cli_login("s1")
        assert session.session_id == "s1"
        with pytest.raises(ConfigError, match="ELIZACLOUD_API_KEY"):
            cloud.credits.balance()
    assert len(seen) == 1
    assert "authorization" not in seen[0].headers and "x-api-key" not in seen[0].headers
