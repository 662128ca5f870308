"""Accounts, API keys and the two auth layers of the real server (reference §0.1).

- The *edge* (`proxy.ts`) runs before every `/api/*` route: on a non-public path it
  lets through only an `X-API-Key` or a Bearer token starting with `eliza_`;
  session-only paths refuse API keys outright.
- The *handler* then resolves the key itself and answers a failure in its own
  route's body family; `authenticate` gives it the account or None.

Keys are `eliza_` + 64 hex characters and are stored as SHA-256 hashes, like the
real server. An account is an organization with a USD balance (see `ledger`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import uuid

from starlette.requests import Request
from starlette.responses import Response

from eliza_tools.emulator.errors import canonical
from eliza_tools.emulator.store import Record, Store

KEY_PATTERN = re.compile(r"^eliza_[0-9a-f]{64}$")
KEY_PREFIX_LENGTH = 12
SESSION_COOKIE = "emulator-session"

#: Paths the edge lets through untouched; the handlers do their own auth.
PUBLIC_PREFIXES = (
    "/api/v1/generate-image",
    "/api/v1/generate-video",
    "/api/v1/chat",
    "/api/v1/messages",
    "/api/v1/responses",
    "/api/v1/embeddings",
    "/api/v1/models",
    "/api/v1/discovery",
    "/api/a2a",
    "/api/agents/",
    "/api/mcp",
    "/api/v1/topup/",
)
_CLI_SESSION = re.compile(r"^/api/auth/cli-session(/[^/]+)?/?$")
#: Paths that accept only a browser session; an API key gets `session_auth_required`.
SESSION_ONLY = re.compile(
    r"^/api/(v1/api-keys(/.*)?|auth/cli-session/[^/]+/complete|v1/generate-prompts"
    r"|v1/character-assistant|organizations/.*|invites/accept|signup-code/redeem)/?$"
)


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A fresh key in the real format: `eliza_` + 64 hex characters."""
    return "eliza_" + secrets.token_hex(32)


def now_iso(ts: float | None = None) -> str:
    """An ISO-8601 UTC timestamp with milliseconds and a `Z`, as the server writes them."""
    value = time.time() if ts is None else ts
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(value)) + f".{int(value % 1 * 1000):03d}Z"


def create_account(store: Store, balance: float, name: str = "Emulator Org") -> Record:
    """A new organization with its starting balance."""
    account: Record = {"id": str(uuid.uuid4()), "name": name, "balance": round(balance, 6)}
    account["createdAt"] = now_iso()
    return store.put("accounts", account["id"], account)


def issue_key(store: Store, account_id: str, name: str = "emulator") -> str:
    """Create an API key for an account and return it in plain text (the only time it is)."""
    key = new_key()
    store.put(
        "api_keys",
        hash_key(key),
        {
            "accountId": account_id,
            "name": name,
            "keyPrefix": key[:KEY_PREFIX_LENGTH],
            "createdAt": now_iso(),
        },
    )
    return key


def account_for_key(store: Store, key: str) -> Record | None:
    """The account a plain key belongs to, or None for an unknown or malformed key."""
    if not KEY_PATTERN.match(key):
        return None
    entry = store.get("api_keys", hash_key(key))
    return store.get("accounts", entry["accountId"]) if entry else None


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else None


def presented_key(request: Request) -> str | None:
    """The key the caller sent: `X-API-Key` wins over `Authorization: Bearer`."""
    return request.headers.get("x-api-key") or _bearer(request)


def authenticate(store: Store, request: Request) -> Record | None:
    """The caller's account from its key, or from the emulator's browser session cookie."""
    key = presented_key(request)
    if key:
        return account_for_key(store, key)
    session = request.cookies.get(SESSION_COOKIE)
    entry = store.get("browser_sessions", session) if session else None
    return store.get("accounts", entry["accountId"]) if entry else None


def is_public(path: str, method: str) -> bool:
    """Whether the edge lets `path` through without checking credentials."""
    if _CLI_SESSION.match(path):
        return method in {"GET", "POST", "OPTIONS"}
    return path.startswith(PUBLIC_PREFIXES) or not path.startswith("/api/")


def edge_check(request: Request) -> Response | None:
    """The edge middleware's answer for this request, or None to let it through."""
    path = request.url.path
    has_key = bool(request.headers.get("x-api-key"))
    bearer = _bearer(request)
    if SESSION_ONLY.match(path):
        if has_key or bearer:
            return canonical(
                401,
                "session_auth_required",
                "This endpoint requires session authentication. "
                "API keys and Bearer tokens are not accepted.",
            )
        return None
    if is_public(path, request.method):
        return None
    if has_key or (bearer is not None and bearer.startswith("eliza_")):
        return None
    if bearer is not None:
        return canonical(401, "authentication_required", "Invalid authentication token")
    if request.cookies.get(SESSION_COOKIE):
        return None
    return canonical(401, "authentication_required", "Authentication required")
