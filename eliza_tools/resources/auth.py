"""`client.auth`: the browser login of a command line (`/api/auth/cli-session`, reference §8).

1. `start_cli_login()` registers a session id and returns the URL to open.
2. The user signs in there and approves; the page makes a new API key.
3. `poll_cli_login(session_id)` answers pending, then the key **once**.
Sessions expire after 10 minutes (then NotFoundError). Neither call sends the
client's own key: the routes need none.
"""

from __future__ import annotations

import uuid
from typing import Unpack
from urllib.parse import urlencode

import httpx

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as, path_id
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.types.auth import CliLoginSession, CliLoginStatus

SESSIONS = "/api/auth/cli-session"
LOGIN_PAGE = "/auth/cli-login"


def browser_url(site_url: str, session_id: str) -> str:
    """The page where the user approves session `session_id`."""
    return f"{site_url.rstrip('/')}{LOGIN_PAGE}?{urlencode({'session': session_id})}"


def _parse_session(response: httpx.Response) -> CliLoginSession:
    session = parse_as(CliLoginSession)(response)
    # The site root is the request URL without the route: it keeps any path prefix.
    url = str(response.request.url.copy_with(query=None, fragment=None))
    site = url[: url.rindex(SESSIONS)]
    session.browser_url = browser_url(site, session.session_id)
    return session


def _start_cli_login(
    session_id: str | None = None, **options: Unpack[RequestOptions]
) -> Call[CliLoginSession]:
    """Register a login session (a new UUID unless given); returns its id and browser URL."""
    chosen = session_id if session_id is not None else str(uuid.uuid4())
    path_id(chosen, "session_id")  # refuse an empty id before sending
    return Call(
        "POST",
        SESSIONS,
        _parse_session,
        family=RouteFamily.UNLIMITED,
        policy=WRITE,
        json={"sessionId": chosen},
        site_path=True,
        authenticated=False,
        options=options,
    )


def _poll_cli_login(session_id: str, **options: Unpack[RequestOptions]) -> Call[CliLoginStatus]:
    """The state of a login session; `api_key` is set on the first authenticated poll only."""
    return Call(
        "GET",
        f"{SESSIONS}/{path_id(session_id, 'session_id')}",
        parse_as(CliLoginStatus),
        family=RouteFamily.UNLIMITED,
        # Not READ: a response lost mid-read may have carried the one-time key, and a
        # retry would only hear "already retrieved". Better to fail loudly.
        policy=WRITE,
        site_path=True,
        authenticated=False,
        options=options,
    )


class Auth(APIResource[ModeT]):
    """Command-line login through the browser."""

    start_cli_login = endpoint(_start_cli_login)
    poll_cli_login = endpoint(_poll_cli_login)
