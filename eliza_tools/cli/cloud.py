"""`eliza-tools cloud serve`: Milady's local cloud API (`/api/cloud/*`) on 127.0.0.1:2138.

Upstream is an embedded emulator unless a key or base URL is configured (flag,
environment or config file), or `--emulator` forces it. The bearer token comes
from $ELIZA_TOOLS_CLOUD_TOKEN or is generated, and is printed at start.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
from contextlib import ExitStack
from typing import Any

TOKEN_ENV = "ELIZA_TOOLS_CLOUD_TOKEN"


def register(subparsers: Any) -> None:
    """Add `cloud serve`."""
    cloud: argparse.ArgumentParser = subparsers.add_parser(
        "cloud", help="the local cloud API of Milady's dashboard"
    )
    commands = cloud.add_subparsers(dest="cloud_command", metavar="COMMAND", required=True)
    serve = commands.add_parser(
        "serve",
        help="serve /api/cloud/* on 127.0.0.1",
        description="Serve Milady's local cloud API (login, status, credits, cloud agents).",
    )
    serve.add_argument("--port", type=int, default=2138, help="port (default 2138; 0 = any free)")
    serve.add_argument("--api-key", help="cloud API key (default: env / config file / login)")
    serve.add_argument("--base-url", help="cloud base URL (default: env / config file / cloud)")
    serve.add_argument(
        "--emulator", action="store_true", help="use an embedded emulator even if a key is set"
    )
    serve.add_argument(
        "--speedup", type=float, default=1.0, help="embedded emulator: divide its job times"
    )
    serve.add_argument(
        "--allow-private",
        action="store_true",
        help="allow a plain-http or private upstream (e.g. a separate `eliza-tools emulator`)",
    )
    serve.set_defaults(handler=run_serve)


def _configured(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The key and base URL from flags, environment or config file (None when absent)."""
    from eliza_tools.config import BASE_URL_ENV_VAR, load_user_config, resolve_api_key
    from eliza_tools.errors import ConfigurationError

    try:
        key: str | None = resolve_api_key(args.api_key).get()
    except ConfigurationError:
        key = None
    stored = load_user_config().get("base_url")
    base = args.base_url or os.environ.get(BASE_URL_ENV_VAR) or stored or None
    return key, base if isinstance(base, str) else None


def _check_port(port: int) -> int:
    """The port to use (a free one for 0); a clear error when it is taken."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise OSError(f"port {port} is in use; pick another with --port") from None
        return int(probe.getsockname()[1])


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; a connected agent gets its final snapshot on the way out."""
    from eliza_tools.cloud.manager import ManagerOptions
    from eliza_tools.cloud.server import create_app, serve
    from eliza_tools.cloud.service import CloudService
    from eliza_tools.cloud.urls import validate_base_url
    from eliza_tools.config import DEFAULT_BASE_URL, normalize_base_url
    from eliza_tools.emulator import run_emulator

    if args.speedup <= 0:
        raise ValueError("--speedup must be > 0")
    port = _check_port(args.port)
    token = os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(32)
    key, base = _configured(args)
    with ExitStack() as stack:
        lines = []
        if args.emulator or (key is None and base is None):
            emu = stack.enter_context(run_emulator(speedup=args.speedup))
            base_url, key, allow_private = emu.base_url, None, True
            lines.append("upstream: an embedded emulator (log in to get a key)")
            # The emulator's own key is fake and local: printed so you can inspect it directly.
            lines += [f"EMULATOR_BASE_URL={emu.base_url}", f"EMULATOR_API_KEY={emu.api_key}"]
        else:
            base_url = normalize_base_url(base or DEFAULT_BASE_URL)
            allow_private = bool(args.allow_private)
            validate_base_url(base_url, allow_private=allow_private)
            lines.append(f"upstream: {base_url} ({'key set' if key else 'log in to get a key'})")
        service = CloudService(
            base_url, api_key=key, options=ManagerOptions(allow_private=allow_private)
        )
        app = create_app(service, token)

        def ready(url: str) -> None:
            print(f"Local cloud API on {url}", flush=True)
            for line in lines:
                print(line, flush=True)
            print(f"ELIZA_TOOLS_CLOUD_URL={url}", flush=True)
            # Printing the token is the point: every protected route needs it.
            print(f"{TOKEN_ENV}={token}", flush=True)
            print("Press Ctrl-C to stop.", flush=True)

        serve(app, port, on_ready=ready)
    return 0
