"""`eliza-tools emulator`: serve a local elizaOS Cloud until interrupted.

Prints the client base URL and a ready API key as soon as the server listens.
Only `argparse` is imported at registration, so `eliza-tools --help` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `emulator` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "emulator",
        help="run a local elizaOS Cloud emulator",
        description="Serve a local elizaOS Cloud (the real server's routes, shapes and quirks).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port (default 8787; 0 = any free)")
    parser.add_argument("--state", metavar="FILE", help="SQLite file keeping state across restarts")
    parser.add_argument(
        "--balance", type=float, default=25.0, help="starting USD balance (default 25.0)"
    )
    parser.add_argument(
        "--speedup", type=float, default=1.0, help="divide rate-limit windows and job times"
    )
    parser.add_argument(
        "--video-delay",
        type=float,
        default=3.0,
        help="seconds generate-video takes, divided by --speedup (default 3)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    from eliza_tools.emulator.core import EmulatorConfig
    from eliza_tools.emulator.server import EmulatorHandle, free_port, serve

    if args.balance < 0 or args.speedup <= 0 or args.video_delay < 0:
        raise ValueError("--balance and --video-delay must be >= 0 and --speedup > 0")
    port = args.port or free_port(args.host)

    def ready(handle: EmulatorHandle) -> None:
        print(f"elizaOS Cloud emulator on {handle.site_url}", flush=True)
        print(f"ELIZACLOUD_BASE_URL={handle.base_url}", flush=True)
        # The emulator's key is fake and local; printing it is the point of the command.
        print(f"ELIZACLOUD_API_KEY={handle.api_key}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)

    config = EmulatorConfig(
        balance=args.balance,
        speedup=args.speedup,
        video_delay=args.video_delay,
        state_path=args.state,
    )
    serve(config, args.host, port, on_ready=ready)
    return 0
