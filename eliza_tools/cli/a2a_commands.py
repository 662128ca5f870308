"""`eliza-tools a2a card|send|serve`: talk to any A2A agent, or serve a LangChain runnable as one.

`serve` always guards the endpoint with a token unless told `--no-auth`: it uses
`--token` (or `$ELIZA_TOOLS_A2A_TOKEN`), else generates one and prints it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import secrets
import sys
from typing import Any

from eliza_tools.cli._common import add_json_option, console, emit, err_console

TOKEN_ENV_VAR = "ELIZA_TOOLS_A2A_TOKEN"


class ServeConfigError(ValueError):
    """`a2a serve` was asked for something unsafe or impossible."""


def register(subparsers: Any) -> None:
    """Add `a2a card`, `a2a send` and `a2a serve`."""
    group = subparsers.add_parser(
        "a2a",
        help="Agent2Agent: read cards, send messages, serve a runnable",
        description="Agent2Agent (A2A) client and server.",
    )
    sub = group.add_subparsers(dest="a2a_command", metavar="ACTION", required=True)

    card = sub.add_parser("card", help="show an agent's card")
    card.add_argument("url", help="the agent's base URL or card URL")
    _add_peer_options(card)
    card.set_defaults(handler=run_card)

    send = sub.add_parser("send", help="send a message and print the answer")
    send.add_argument("url", help="the agent's base URL or card URL")
    send.add_argument("text", help="the message")
    send.add_argument("--stream", action="store_true", help="print events as they arrive")
    send.add_argument("--task-id", help="continue a task (answer the agent's question)")
    _add_peer_options(send)
    send.set_defaults(handler=run_send)

    serve = sub.add_parser(
        "serve",
        help="serve a LangChain runnable as an A2A agent",
        description="Serve MODULE:OBJECT (a LangChain Runnable, e.g. a chain or a compiled "
        "LangGraph graph) over A2A 1.0 / 0.3 / 0.1 JSON-RPC with SSE streaming.",
    )
    serve.add_argument("target", metavar="MODULE:OBJECT", help="e.g. my_agent:chain")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--store",
        default="sqlite:a2a_tasks.sqlite3",
        help="task store: sqlite:PATH (default sqlite:a2a_tasks.sqlite3), memory, or "
        "redis://HOST:PORT/DB to run several replicas on shared tasks (extra [redis])",
    )
    serve.add_argument("--name", help="agent name on the card (default: the object's name)")
    serve.add_argument("--description", default="", help="agent description on the card")
    serve.add_argument(
        "--token", help=f"the token callers must send (default ${TOKEN_ENV_VAR} or a generated one)"
    )
    serve.add_argument(
        "--no-auth",
        action="store_true",
        help="serve without any authentication (anyone who can reach it may call)",
    )
    serve.set_defaults(handler=run_serve)


def _add_peer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api-key", help="sent as X-API-Key")
    parser.add_argument("--token", help="sent as Authorization: Bearer")
    parser.add_argument(
        "--dialect",
        choices=("1.0", "0.3", "elizacloud", "0.1"),
        help="skip the card and speak this dialect",
    )
    add_json_option(parser)


def _client(args: argparse.Namespace) -> Any:
    from a2a import SyncA2AClient

    return SyncA2AClient.from_url(
        args.url, dialect=args.dialect, api_key=args.api_key, bearer_token=args.token
    )


def run_card(args: argparse.Namespace) -> int:
    """The card as a table (or its 1.0 JSON)."""
    with _client(args) as client:
        card = client.card
        dialect, endpoint = client.dialect.name, client.core.url
    if card is None:
        raise ServeConfigError("--dialect skips the card; drop it to read the card")
    skills = ", ".join(skill.id for skill in card.skills) or "-"
    rows = [
        ("name", card.name),
        ("description", card.description),
        ("version", card.version),
        ("endpoint", endpoint),
        ("dialect", dialect),
        ("streaming", card.capabilities.streaming),
        ("skills", skills),
    ]
    emit(args, card.to_wire(), title="Agent card", columns=("", ""), rows=rows)
    return 0


def run_send(args: argparse.Namespace) -> int:
    """Send; with --stream print each event when it arrives."""
    from a2a import get_text

    with _client(args) as client:
        if not args.stream:
            result = client.send_message(args.text, task_id=args.task_id)
            emit(args, result.to_wire() if args.json else get_text(result) or describe(result))
            return 0
        for event in client.stream_message(args.text, task_id=args.task_id):
            if args.json:
                sys.stdout.write(json.dumps(event.to_wire()) + "\n")
                sys.stdout.flush()
            else:
                console.print(describe(event), highlight=False)
    return 0


def describe(event: Any) -> str:
    """One line per event: status changes, artifact chunks, messages."""
    from a2a import Message, Task, TaskArtifactUpdateEvent, TaskStatusUpdateEvent, get_text

    if isinstance(event, Message):
        return f"message: {get_text(event)}"
    if isinstance(event, TaskArtifactUpdateEvent):
        artifact = event.artifact
        return f"artifact {artifact.name or artifact.artifact_id}: {get_text(artifact)}"
    if isinstance(event, TaskStatusUpdateEvent | Task):
        task_id = event.task_id if isinstance(event, TaskStatusUpdateEvent) else event.id
        text = get_text(event.status.message)
        state = event.status.state.name.lower()
        return f"task {task_id[:8]} {state}" + (f": {text}" if text else "")
    return str(event)


def load_target(target: str) -> Any:
    """Import `MODULE:OBJECT` (the working directory is importable, as with uvicorn)."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ServeConfigError(f"expected MODULE:OBJECT, got {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ServeConfigError(f"cannot import {module_name!r}: {exc}") from exc
    for name in attribute.split("."):
        if not hasattr(obj, name):
            raise ServeConfigError(f"{module_name!r} has no attribute {attribute!r}")
        obj = getattr(obj, name)
    return obj


def choose_token(args: argparse.Namespace) -> tuple[str | None, bool]:
    """(token, generated): the token to require, or None only with an explicit --no-auth."""
    given = args.token if args.token is not None else os.environ.get(TOKEN_ENV_VAR)
    if args.no_auth:
        if given:
            raise ServeConfigError("--no-auth and a token contradict each other; pick one")
        return None, False
    if given is not None and not given.strip():
        raise ServeConfigError(
            "refusing to serve without authentication: the token is empty "
            "(pass --no-auth to serve openly on purpose)"
        )
    if given:
        return given.strip(), False
    # A prefix keeps the token from starting with "-" (it is passed on command lines).
    return "a2a_" + secrets.token_urlsafe(32), True


def open_store(spec: str) -> Any:
    """`memory`, `sqlite:PATH` or `redis://HOST:PORT/DB` (replicas sharing tasks) as a store."""
    from a2a.stores import open_store as open_task_store

    try:
        return open_task_store(spec)
    except ValueError as exc:
        raise ServeConfigError(f"--{exc}") from None


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    import uvicorn
    from langchain_core.runnables import Runnable

    from a2a import AgentCard, AgentSkill
    from a2a.langchain import serve_runnable
    from a2a.server import KeyAuth

    token, generated = choose_token(args)
    runnable = load_target(args.target)
    if not isinstance(runnable, Runnable):
        raise ServeConfigError(
            f"{args.target} is a {type(runnable).__name__}, not a LangChain Runnable"
        )
    name = args.name or runnable.get_name()
    card = AgentCard(
        name=name,
        description=args.description or f"The LangChain runnable {args.target}.",
        skills=[AgentSkill(id="run", name=name, description="Runs the runnable on the message.")],
    )
    auth = KeyAuth([token]) if token else None
    app = serve_runnable(runnable, card, store=open_store(args.store), auth=auth)
    url = f"http://{args.host}:{args.port}"
    console.print(f"Serving {args.target} as A2A agent {name!r} on {url}", highlight=False)
    if token is None:
        err_console.print("[yellow]warning[/yellow]: no authentication (--no-auth)")
    elif generated:
        # Printing the generated token is the point: callers need it, and nobody else saw it.
        console.print(
            f"Token (send as Authorization: Bearer or X-API-Key): {token}",
            highlight=False,
            soft_wrap=True,
        )
    sys.stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
