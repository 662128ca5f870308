"""`eliza-tools tools list` and `tools call NAME --args JSON`: the tools an LLM gets.

`call` goes through `ToolExecutor`, exactly the path a raw function call from a
model takes: the arguments are checked against the exported JSON Schema and the
pydantic model before anything is sent, and failures come back as one message.
"""

from __future__ import annotations

import argparse
from typing import Any

from eliza_tools.cli._common import (
    add_connection_options,
    add_json_option,
    console,
    emit,
    make_client,
)


class ToolCallError(RuntimeError):
    """A tool call failed; the message is what the model would have read."""


def register(subparsers: Any) -> None:
    """Add `tools list` and `tools call`."""
    tools = subparsers.add_parser(
        "tools", help="list the tools or call one", description="The elizaOS Cloud tools."
    )
    sub = tools.add_subparsers(dest="tools_command", metavar="ACTION", required=True)

    listing = sub.add_parser("list", help="a table of the tools and their arguments")
    add_json_option(listing, help_text="print the OpenAI tool specs")
    listing.set_defaults(handler=run_list)

    call = sub.add_parser(
        "call",
        help="run one tool with JSON arguments",
        description="Run a tool as an LLM would: `tools call generate_image "
        '--args \'{"prompt": "a red fox"}\'`.',
    )
    call.add_argument("name", help="tool name (see `eliza-tools tools list`)")
    call.add_argument("--args", default="{}", help="the arguments as a JSON object")
    call.add_argument(
        "--output-dir", default=".", help="where generated files are saved (default .)"
    )
    call.add_argument("--budget", type=float, help="refuse calls that would cost more (USD)")
    add_connection_options(call)
    call.set_defaults(handler=run_call)


def argument_summary(schema: dict[str, Any]) -> str:
    """`prompt: string*, num_images: integer|null`: the arguments, required ones starred."""
    required = set(schema.get("required", ()))
    parts = []
    for name, spec in schema.get("properties", {}).items():
        kind = spec.get("type", "any")
        kind = "|".join(kind) if isinstance(kind, list) else str(kind)
        if "enum" in spec:
            kind = "|".join(str(value) for value in spec["enum"] if value is not None)
        # In strict schemas everything is required; optional arguments are the nullable ones.
        optional = name not in required or "null" in str(spec.get("type"))
        parts.append(f"{name}: {kind}" + ("" if optional else "*"))
    return ", ".join(parts)


def run_list(args: argparse.Namespace) -> int:
    """The tools as a table (or their OpenAI specs with --json)."""
    from eliza_tools.function_calling import openai_tool_spec
    from eliza_tools.tools.registry import ALL_TOOLS

    specs = [openai_tool_spec(tool)["function"] for tool in ALL_TOOLS]
    rows = [
        (spec["name"], spec["description"].split(". ")[0], argument_summary(spec["parameters"]))
        for spec in specs
    ]
    emit(
        args,
        specs,
        title="Tools",
        columns=("tool", "what it does", "arguments (*=required)"),
        rows=rows,
    )
    return 0


def run_call(args: argparse.Namespace) -> int:
    """Run the tool; print the model's text and the typed result."""
    from eliza_tools.tools.toolkit import ElizaCloudToolkit

    with make_client(args) as cloud:
        toolkit = ElizaCloudToolkit(cloud, output_dir=args.output_dir, budget_usd=args.budget)
        reply = toolkit.executor().execute(args.name, args.args)
    if not reply["ok"]:
        error = reply["error"]
        raise ToolCallError(f"{args.name}: {error.get('message') or error}")
    if args.json:
        emit(args, reply)
    else:
        console.print(reply["content"])
        emit(args, reply["result"], columns=("field", "value"), rows=_flat(reply["result"]))
    return 0


def _flat(result: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(key, value) for key, value in result.items() if value not in (None, [], {})]
