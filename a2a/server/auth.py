"""Pluggable request authentication: a verifier maps a request to a principal (or refuses it).

The principal owns the tasks created under it: a caller sees and cancels only its own tasks.
Keys are kept only as SHA-256 digests, and principals derived from keys are digests too, so
no secret ends up in the task store or in logs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Iterable, Mapping

from starlette.requests import Request

Verifier = Callable[[Request], Awaitable[str | None]]
"""Returns the caller's principal, or None to answer 401."""

ANONYMOUS = "anonymous"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class KeyAuth:
    """Accepts known keys sent as `Authorization: Bearer <key>` and/or in an API-key header.

    `keys` maps each key to its principal, or is a plain list of keys (each key is then its
    own principal, named by a digest of the key).
    """

    def __init__(
        self,
        keys: Mapping[str, str] | Iterable[str],
        *,
        header: str | None = "X-API-Key",
        bearer: bool = True,
    ) -> None:
        pairs = keys.items() if isinstance(keys, Mapping) else ((k, None) for k in keys)
        self._principals = {
            _digest(key): principal or f"key:{_digest(key)[:16]}" for key, principal in pairs
        }
        self.header = header
        self.bearer = bearer

    def _candidates(self, request: Request) -> list[str]:
        found = []
        if self.header is not None and (value := request.headers.get(self.header)):
            found.append(value.strip())
        if self.bearer:
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                found.append(token.strip())
        return found

    async def __call__(self, request: Request) -> str | None:
        """The principal of the first known key the request carries, or None (a `Verifier`)."""
        for candidate in self._candidates(request):
            principal = self._principals.get(_digest(candidate))
            if principal is not None:
                return principal
        return None


def api_key_auth(keys: Mapping[str, str] | Iterable[str], header: str = "X-API-Key") -> KeyAuth:
    """API keys in a header (and as a bearer token, which is how the cloud sends them too)."""
    return KeyAuth(keys, header=header, bearer=True)


def bearer_auth(tokens: Mapping[str, str] | Iterable[str]) -> KeyAuth:
    """Bearer tokens only (`Authorization: Bearer <token>`)."""
    return KeyAuth(tokens, header=None, bearer=True)
