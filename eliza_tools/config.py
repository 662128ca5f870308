"""Settings: where the API key and base URL come from, and the user config file.

Precedence for the key: explicit argument, then the environment variables in
`API_KEY_ENV_VARS` (in that order), then the user config file written by
`eliza-tools login`. The base URL follows the same order with `ELIZACLOUD_BASE_URL`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eliza_tools.errors import ConfigurationError

DEFAULT_BASE_URL = "https://www.elizacloud.ai/api/v1"
API_PREFIX = "/api/v1"
# ELIZACLOUD_API_KEY is ours; the two others are what other elizaOS tools read.
API_KEY_ENV_VARS = ("ELIZACLOUD_API_KEY", "ELIZAOS_CLOUD_API_KEY", "ELIZAOS_API_KEY")
BASE_URL_ENV_VAR = "ELIZACLOUD_BASE_URL"
CONFIG_FILE_ENV_VAR = "ELIZA_TOOLS_CONFIG"


def mask_secret(secret: str) -> str:
    """Show enough of a secret to recognise it, never enough to use it."""
    if len(secret) <= 10:
        return "****"
    return f"{secret[:6]}…{secret[-4:]}"


class Secret:
    """A string that never shows itself in repr, str, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The secret itself; call this only where it is sent."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{mask_secret(self._value)}')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def config_path() -> Path:
    """Where `eliza-tools login` keeps the key: $ELIZA_TOOLS_CONFIG, else the XDG config dir."""
    explicit = os.environ.get(CONFIG_FILE_ENV_VAR)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "eliza-tools" / "config.json"


def load_user_config(path: Path | None = None) -> dict[str, Any]:
    """Read the user config file; a missing or unreadable file is an empty config."""
    target = path or config_path()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_user_config(values: dict[str, Any], path: Path | None = None) -> Path:
    """Write the user config file with owner-only permissions (it holds the API key)."""
    target = path or config_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Create with 0600 from the start so the key is never readable by others, not even briefly.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(values, handle, indent=2)
    target.chmod(0o600)
    return target


def normalize_base_url(url: str) -> str:
    """Accept a base URL with or without the trailing `/api/v1`; return it with."""
    cleaned = url.strip().rstrip("/")
    if not cleaned.startswith(("http://", "https://")):
        raise ConfigurationError(f"base_url must start with http:// or https://, got {url!r}")
    if cleaned.endswith(API_PREFIX):
        return cleaned
    return cleaned + API_PREFIX


@dataclass(frozen=True)
class Settings:
    """Resolved connection settings for one client."""

    api_key: Secret
    base_url: str

    @property
    def site_url(self) -> str:
        """The server root: routes such as `/api/a2a` live outside `/api/v1`."""
        return self.base_url[: -len(API_PREFIX)]


def resolve_api_key(api_key: str | None = None, *, config_file: Path | None = None) -> Secret:
    """Find the API key or raise a ConfigurationError naming every place we looked."""
    if api_key:
        return Secret(api_key)
    for name in API_KEY_ENV_VARS:
        value = os.environ.get(name)
        if value:
            return Secret(value)
    stored = load_user_config(config_file).get("api_key")
    if isinstance(stored, str) and stored:
        return Secret(stored)
    names = ", ".join(API_KEY_ENV_VARS)
    raise ConfigurationError(
        f"No elizaOS Cloud API key found. Pass api_key=..., set one of {names}, "
        "or run `eliza-tools login`."
    )


def resolve_base_url(base_url: str | None = None, *, config_file: Path | None = None) -> str:
    """Explicit argument, then ELIZACLOUD_BASE_URL, then the config file, then the default."""
    candidate = (
        base_url
        or os.environ.get(BASE_URL_ENV_VAR)
        or load_user_config(config_file).get("base_url")
        or DEFAULT_BASE_URL
    )
    return normalize_base_url(str(candidate))


def resolve_settings(
    api_key: str | None = None, base_url: str | None = None, *, config_file: Path | None = None
) -> Settings:
    """Resolve both settings at once (what the clients call)."""
    return Settings(
        api_key=resolve_api_key(api_key, config_file=config_file),
        base_url=resolve_base_url(base_url, config_file=config_file),
    )
