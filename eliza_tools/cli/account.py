"""`eliza-tools login`, `logout` and `status`: the account on this machine.

`login` runs the browser flow of the real CLI (reference §8): it opens a login
session, opens (or prints) the approval page, polls with a spinner until the
user approves, the session expires or `--timeout` passes, and saves the key to
the user config file with owner-only permissions.
"""

from __future__ import annotations

import argparse
import os
import time
import webbrowser
from typing import Any

from eliza_tools.cli._common import (
    add_base_url_option,
    add_connection_options,
    add_json_option,
    emit,
    err_console,
    make_client,
)

LOGIN_TIMEOUT = 300.0  # what the Milady CLI allows (reference §8); sessions live 10 minutes
POLL_INTERVAL = 2.0


class LoginError(RuntimeError):
    """The browser login did not produce a key."""


def register(subparsers: Any) -> None:
    """Add `login`, `logout` and `status`."""
    login = subparsers.add_parser(
        "login",
        help="sign in through the browser and save an API key",
        description="Open the elizaOS Cloud approval page and save the key it hands out.",
    )
    add_base_url_option(login)
    login.add_argument(
        "--no-browser", action="store_true", help="only print the URL, do not open a browser"
    )
    login.add_argument(
        "--timeout", type=float, default=LOGIN_TIMEOUT, help="seconds to wait (default 300)"
    )
    login.add_argument(
        "--interval", type=float, default=POLL_INTERVAL, help="seconds between polls (default 2)"
    )
    add_json_option(login)
    login.set_defaults(handler=run_login)

    logout = subparsers.add_parser(
        "logout",
        help="forget the saved API key",
        description="Remove the API key from the user config file (the key stays valid "
        "on the server: revoke it in the dashboard).",
    )
    add_json_option(logout)
    logout.set_defaults(handler=run_logout)

    status = subparsers.add_parser(
        "status",
        help="who you are, where you connect, your balance",
        description="Show the key in use (masked) and where it came from, the base URL, "
        "whether the server answers, and the credit balance with its low / critical flags.",
    )
    add_connection_options(status)
    status.set_defaults(handler=run_status)


def run_login(args: argparse.Namespace) -> int:
    """The browser flow; saves the key and prints where."""
    from eliza_tools.client import ElizaCloud
    from eliza_tools.config import (
        DEFAULT_BASE_URL,
        load_user_config,
        mask_secret,
        resolve_base_url,
        save_user_config,
    )
    from eliza_tools.errors import NotFoundError

    if args.timeout <= 0 or args.interval <= 0:
        raise ValueError("--timeout and --interval must be > 0")
    base_url = resolve_base_url(args.base_url)
    with ElizaCloud(base_url=base_url, anonymous=True) as cloud:
        session = cloud.auth.start_cli_login()
        err_console.print(f"Open this page to approve the login:\n  {session.browser_url}")
        if not args.no_browser:
            webbrowser.open(session.browser_url)
        deadline = time.monotonic() + args.timeout
        with err_console.status("Waiting for approval in the browser…"):
            while True:
                try:
                    polled = cloud.auth.poll_cli_login(session.session_id)
                except NotFoundError:
                    raise LoginError(
                        "the login session expired; run `eliza-tools login` again"
                    ) from None
                if polled.already_retrieved:
                    raise LoginError("the key was already handed out; run `eliza-tools login`")
                if polled.api_key is not None:
                    break
                if time.monotonic() + args.interval > deadline:
                    raise LoginError(f"not approved within {args.timeout:g} s; try again")
                time.sleep(args.interval)
    key = polled.api_key.get()
    values = load_user_config()
    values["api_key"] = key
    if base_url == DEFAULT_BASE_URL:
        values.pop("base_url", None)
    else:
        values["base_url"] = base_url
    path = save_user_config(values)
    result = {"logged_in": True, "key": mask_secret(key), "base_url": base_url, "config": str(path)}
    emit(args, result if args.json else f"Logged in: key {mask_secret(key)} saved to {path}")
    return 0


def run_logout(args: argparse.Namespace) -> int:
    """Drop the key from the config file (other settings stay)."""
    from eliza_tools.config import config_path, load_user_config, save_user_config

    path = config_path()
    values = load_user_config(path)
    removed = values.pop("api_key", None) is not None
    if removed and values:
        save_user_config(values, path)
    elif removed:
        path.unlink()
    message = f"Logged out: key removed from {path}" if removed else f"No key saved in {path}"
    emit(args, {"logged_out": removed, "config": str(path)} if args.json else message)
    return 0


def key_source(args: argparse.Namespace) -> str:
    """Where the key in use comes from (same order as `config.resolve_api_key`)."""
    from eliza_tools.config import API_KEY_ENV_VARS, config_path

    if getattr(args, "api_key", None):
        return "--api-key"
    for name in API_KEY_ENV_VARS:
        if os.environ.get(name):
            return f"${name}"
    return str(config_path())


def run_status(args: argparse.Namespace) -> int:
    """Exit 0 when the server answers and accepts the key, else 1 (after printing what we know)."""
    from eliza_tools.cli import _one_line
    from eliza_tools.config import mask_secret

    with make_client(args) as cloud:
        info: dict[str, Any] = {
            "key": mask_secret(cloud.settings.api_key.get()),
            "key_source": key_source(args),
            "base_url": cloud.base_url,
        }
        started = time.monotonic()
        try:
            balance = cloud.credits.balance(fresh=True, max_retries=0)
        except Exception as exc:
            info.update(connected=False, error=_one_line(exc))
        else:
            info.update(
                connected=True,
                latency_ms=round((time.monotonic() - started) * 1000),
                balance_usd=balance.balance,
                low=balance.low,
                critical=balance.critical,
            )
    emit(args, info, title="elizaOS Cloud", columns=("", ""), rows=_status_rows(info))
    return 0 if info["connected"] else 1


def _status_rows(info: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [
        ("key", f"{info['key']} (from {info['key_source']})"),
        ("base URL", info["base_url"]),
    ]
    if not info["connected"]:
        return [*rows, ("connection", f"[red]failed[/red]: {info['error']}")]
    flag = (
        "[red]critical[/red]" if info["critical"] else "[yellow]low[/yellow]" if info["low"] else ""
    )
    return [
        *rows,
        ("connection", f"[green]ok[/green] ({info['latency_ms']} ms)"),
        ("balance", f"${info['balance_usd']:.2f} {flag}".rstrip()),
    ]


__all__ = ["LoginError", "key_source", "register"]
