"""CLI login shapes (`/api/auth/cli-session`, reference §8).

The API key handed out by a poll is a `Secret`: it never shows in repr, str or
logs; call `.get()` where it is stored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, PlainSerializer

from eliza_tools.config import Secret
from eliza_tools.types._base import ElizaModel

CliLoginState = Literal["pending", "authenticated", "expired"]


def _as_secret(value: Any) -> Any:
    return Secret(value) if isinstance(value, str) else value


SecretStr = Annotated[
    Secret,
    BeforeValidator(_as_secret),
    PlainSerializer(repr, return_type=str),  # a dump shows the masked form, never the key
]


class CliLoginSession(ElizaModel):
    """A started login: open `browser_url`, then poll with `session_id`."""

    session_id: str
    status: str = "pending"
    expires_at: str | None = None
    browser_url: str = ""


class CliLoginStatus(ElizaModel):
    """One poll of a login session.

    `pending` until the user approves in the browser; then `authenticated` with
    the key **once** (the server deletes the plain key when it is read). Later
    polls say `authenticated` with `message` "API key already retrieved" and no key.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    status: CliLoginState | str
    api_key: SecretStr | None = Field(default=None, repr=False)
    key_prefix: str | None = None
    expires_at: str | None = None
    message: str | None = None

    @property
    def authenticated(self) -> bool:
        """The user approved the login."""
        return self.status == "authenticated"

    @property
    def already_retrieved(self) -> bool:
        """Approved, but the key was handed out by an earlier poll."""
        return self.authenticated and self.api_key is None
