"""What every `eliza-tools` sub-command shares: client creation, output, async running.

Commands print rich tables for people and, with `--json`, one JSON document for
scripts. Errors are raised as exceptions and turned into one clear line by
`eliza_tools.cli.main` (a traceback only with `--debug`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from eliza_tools.client import AsyncElizaCloud, ElizaCloud

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)


def add_json_option(
    parser: argparse.ArgumentParser, help_text: str = "print JSON for scripts"
) -> None:
    """`--json`: `emit` then prints one JSON document instead of tables."""
    parser.add_argument("--json", action="store_true", help=help_text)


def add_base_url_option(parser: argparse.ArgumentParser) -> None:
    """`--base-url`, read by `make_client` (and `login`)."""
    parser.add_argument("--base-url", help="API base URL (default: env / config file / cloud)")


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """`--api-key`, `--base-url` and `--json` for commands that talk to the cloud."""
    parser.add_argument("--api-key", help="API key (default: env / config file)")
    add_base_url_option(parser)
    add_json_option(parser)


def make_client(args: argparse.Namespace) -> ElizaCloud:
    """A blocking client from the command's connection options."""
    return ElizaCloud(getattr(args, "api_key", None), getattr(args, "base_url", None))


def make_async_client(args: argparse.Namespace) -> AsyncElizaCloud:
    """An asyncio client from the command's connection options."""
    return AsyncElizaCloud(getattr(args, "api_key", None), getattr(args, "base_url", None))


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from a synchronous command handler."""
    return asyncio.run(coro)


def to_jsonable(value: Any) -> Any:
    """Pydantic models (by alias), lists and dicts of them, as plain JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    return value


def print_json(value: Any) -> None:
    """One JSON document on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, default=str) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A rich table; cells are shown with str()."""
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    console.print(table)


def emit(
    args: argparse.Namespace,
    value: Any,
    *,
    title: str | None = None,
    columns: Sequence[str] = (),
    rows: Iterable[Sequence[Any]] = (),
) -> None:
    """Print `value` as JSON with --json, else the table (or the value) for people."""
    if getattr(args, "json", False):
        print_json(value)
    elif columns:
        print_table(title, columns, rows)
    else:
        console.print(value)
