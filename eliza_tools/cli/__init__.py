"""The `eliza-tools` command line.

Each feature lives in its own module under `eliza_tools.cli` and registers its
sub-commands through a `register(subparsers)` function listed in `_COMMAND_MODULES`.
Errors a user can cause end with one clear line and a non-zero exit code; a
traceback is shown only with `--debug`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from eliza_tools._version import __version__

# Modules that contribute sub-commands, imported lazily so `--help` stays fast.
_COMMAND_MODULES = (
    "eliza_tools.cli.account",
    "eliza_tools.cli.tools",
    "eliza_tools.cli.media",
    "eliza_tools.cli.knowledge",
    "eliza_tools.cli.a2a_commands",
    "eliza_tools.cli.demo",
    "eliza_tools.cli.emulator",
    "eliza_tools.cli.cloud",
    "eliza_tools.cli.apps",
    "eliza_tools.cli.agents",
    "eliza_tools.cli.billing",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the top-level parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="eliza-tools", description="elizaOS Cloud for agent builders."
    )
    parser.add_argument("--version", action="version", version=f"eliza-tools {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `eliza-tools` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 1


def _one_line(exc: BaseException) -> str:
    """The error as one line a user can act on (a hint is added for the common causes)."""
    from eliza_tools.errors import (
        APIConnectionError,
        AuthenticationError,
        InsufficientCreditsError,
    )

    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, AuthenticationError):
        return f"{text} (check ELIZACLOUD_API_KEY or run `eliza-tools login`)"
    if isinstance(exc, InsufficientCreditsError):
        return f"{text} (top up your credits at https://www.elizacloud.ai/dashboard/billing)"
    if isinstance(exc, APIConnectionError):
        return f"{text} (is the server reachable? check ELIZACLOUD_BASE_URL)"
    return text


if __name__ == "__main__":
    sys.exit(main())
