"""The CLI login flow (reference §8), runnable end to end in a browser.

1. `POST /api/auth/cli-session {"sessionId"}` opens a pending session.
2. `/auth/cli-login?session=<id>` is the page a user opens; it gives the browser an
   emulator session cookie and shows an Approve button.
3. The button calls `POST /api/auth/cli-session/{id}/complete`, which, like the
   real route, accepts only a browser session: API keys get `session_auth_required`.
4. `GET /api/auth/cli-session/{id}` polls: `pending`, then the key exactly once,
   then "already retrieved"; unknown or expired sessions are 404.
"""

from __future__ import annotations

import html
import json
import secrets
import time

from starlette.responses import HTMLResponse, JSONResponse, Response

from eliza_tools.emulator import auth
from eliza_tools.emulator.errors import Family, Reply, bare, canonical
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("auth_cli")

_NOT_FOUND = "Session not found or expired"


@group.route("/api/auth/cli-session", ["POST"], family=Family.BARE)
async def create_session(ctx: Ctx) -> Response:
    """Open a pending session that expires after `cli_session_ttl` seconds."""
    body = await ctx.json_object(lambda reason: bare(400, "Session ID is required"))
    session_id = body.get("sessionId")
    if not isinstance(session_id, str) or not session_id.strip():
        return bare(400, "Session ID is required")
    if ctx.store.get("cli_sessions", session_id) is not None:
        return bare(500, "Failed to create authentication session")
    expires = time.time() + ctx.emu.config.cli_session_ttl
    ctx.store.put(
        "cli_sessions",
        session_id,
        {"id": session_id, "status": "pending", "expiresTs": expires, "plainKey": None},
    )
    return JSONResponse(
        {"sessionId": session_id, "status": "pending", "expiresAt": auth.now_iso(expires)},
        status_code=201,
    )


def _live_session(ctx: Ctx) -> Record:
    session = ctx.store.get("cli_sessions", ctx.param("id"))
    if session is None or session["status"] == "expired":
        raise Reply(bare(404, _NOT_FOUND))
    if session["status"] == "pending" and time.time() > session["expiresTs"]:
        session["status"] = "expired"  # marked, then treated as not found
        ctx.store.put("cli_sessions", session["id"], session)
        raise Reply(bare(404, _NOT_FOUND))
    return session


@group.route("/api/auth/cli-session/{id}", ["GET"], family=Family.BARE)
async def poll_session(ctx: Ctx) -> Response:
    """`pending`; then `authenticated` with the key, once; then "already retrieved"."""
    session = _live_session(ctx)
    if session["status"] == "pending":
        return JSONResponse({"status": "pending"})
    key = session["plainKey"]
    if key is None:
        return JSONResponse({"status": "authenticated", "message": "API key already retrieved"})
    session["plainKey"] = None
    ctx.store.put("cli_sessions", session["id"], session)
    return JSONResponse(
        {
            "status": "authenticated",
            "apiKey": key,
            "keyPrefix": key[: auth.KEY_PREFIX_LENGTH],
            "expiresAt": None,
        }
    )


@group.route("/api/auth/cli-session/{id}/complete", ["POST"], family=Family.CANONICAL)
async def complete_session(ctx: Ctx) -> Response:
    """Approve a session from the browser: mint a key for the cookie's account."""
    account = ctx.account_or(canonical(401, "authentication_required", "Authentication required"))
    session = _live_session(ctx)
    if session["status"] != "pending":
        return bare(400, "Session already completed")
    key = auth.issue_key(ctx.store, account["id"], f"CLI login {session['id'][:8]}")
    session.update(status="authenticated", plainKey=key)
    ctx.store.put("cli_sessions", session["id"], session)
    return JSONResponse(
        {
            "success": True,
            "apiKey": key,
            "keyPrefix": key[: auth.KEY_PREFIX_LENGTH],
            "expiresAt": None,
        }
    )


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Eliza Cloud CLI login (emulator)</title></head>
<body>
<h1>Authorize the CLI</h1>
<p>Session <code id="session">{session}</code> wants an API key for your account.</p>
<button id="approve" type="button">Approve</button>
<p id="result" role="status"></p>
<script>
const sessionId = {session_json};
document.getElementById("approve").addEventListener("click", async () => {{
  const button = document.getElementById("approve");
  button.disabled = true;
  const response = await fetch(`/api/auth/cli-session/${{encodeURIComponent(sessionId)}}/complete`,
                               {{method: "POST", credentials: "same-origin"}});
  const body = await response.json();
  document.getElementById("result").textContent = response.ok
    ? "Approved. You can close this window and return to the terminal."
    : `Failed: ${{body.error}}`;
}});
</script>
</body></html>
"""


@group.route("/auth/cli-login", ["GET"], family=Family.BARE)
async def login_page(ctx: Ctx) -> Response:
    """The approval page; signs the browser in to the default account with a cookie."""
    session_id = ctx.request.query_params.get("session", "")
    if not session_id:
        return HTMLResponse("<p>Missing <code>session</code> parameter.</p>", status_code=400)
    page = _PAGE.format(session=html.escape(session_id), session_json=json.dumps(session_id))
    response = HTMLResponse(page)
    cookie = ctx.request.cookies.get(auth.SESSION_COOKIE)
    if not cookie or ctx.store.get("browser_sessions", cookie) is None:
        cookie = secrets.token_urlsafe(24)
        ctx.store.put("browser_sessions", cookie, {"accountId": ctx.emu.account_id})
        response.set_cookie(auth.SESSION_COOKIE, cookie, httponly=True, samesite="lax", path="/")
    return response
