"""`eliza-tools agents …`: Milady cloud agents (create, connect, chat, backups, …) and discovery.

`agents connect` runs a `CloudManager` in the foreground and prints each state
change as it happens, until Ctrl-C (or `--for SECONDS`); leaving takes the final
snapshot. The other commands are one request each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any

from eliza_tools.cli._common import (
    add_connection_options,
    emit,
    make_async_client,
    make_client,
    print_json,
    run_async,
)

_AGENT_COLUMNS = ("id", "name", "status", "last backup", "created")


def register(subparsers: Any) -> None:
    """Add the `agents` group."""
    agents = subparsers.add_parser(
        "agents", help="Milady cloud agents and agent discovery", description=__doc__
    )
    sub = agents.add_subparsers(dest="agents_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str, handler: Any, *ids: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        for arg in ids:
            parser.add_argument(arg, help="cloud agent id")
        add_connection_options(parser)
        parser.set_defaults(handler=handler)
        return parser

    command("list", "your cloud agents", run_list)
    create = command("create", "create a cloud agent (it runs once connected)", run_create)
    create.add_argument("name", help="agent name (1..100 characters)")
    create.add_argument("--character-id", help="character (uuid) to start from")
    create.add_argument("--config", help="agentConfig as a JSON object")
    create.add_argument(
        "--env", action="append", default=[], metavar="KEY=VALUE", help="environment variable"
    )

    connect = command("connect", "connect and show the state changes live", run_connect, "id")
    connect.add_argument("--for", dest="duration", type=float, help="disconnect after SECONDS")
    connect.add_argument("--heartbeat-interval", type=float, default=30.0, help="seconds (30)")
    connect.add_argument("--backup-interval", type=float, default=60.0, help="seconds (60)")
    connect.add_argument("--reconnect-attempts", type=int, default=10, help="before error (10)")
    connect.add_argument(
        "--reconnect-delay", type=float, default=3.0, help="first pause, doubling to 60 s (3)"
    )
    connect.add_argument(
        "--allow-private", action="store_true", help="allow a plain-http or loopback base URL"
    )
    connect.add_argument(
        "--verbose", action="store_true", help="also log heartbeat and backup failures (stderr)"
    )

    chat = command("chat", "send a message through the agent's bridge", run_chat, "id")
    chat.add_argument("text", help="the message ('-' reads standard input)")
    chat.add_argument("--stream", action="store_true", help="print the reply as it streams")
    chat.add_argument("--room", default="web-chat", help="room id (default web-chat)")

    command("snapshot", "back the running agent up now", run_snapshot, "id")
    command("backups", "the agent's backups, newest first", run_backups, "id")
    restore = command("restore", "restore a backup (default: the latest)", run_restore, "id")
    restore.add_argument("--backup-id", help="backup to restore")
    command("shutdown", "stop the agent's sandbox", run_shutdown, "id")
    delete = command("delete", "delete the agent and its backups", run_delete, "id")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")

    discover = command("discover", "services (agents, MCP servers) you can use", run_discover)
    discover.add_argument("--query", help="free-text search")
    discover.add_argument(
        "--types", help="comma-separated: agent, mcp, a2a, app", type=lambda s: s.split(",")
    )
    discover.add_argument("--limit", type=int, default=20, help="1..100 (default 20)")


def run_list(args: argparse.Namespace) -> int:
    """A table of the organization's cloud agents."""
    with make_client(args) as cloud:
        agents = cloud.cloud_agents.list()
    rows = [(a.id, a.agent_name, a.status, a.last_backup_at, a.created_at) for a in agents]
    emit(args, agents, title="Cloud agents", columns=_AGENT_COLUMNS, rows=rows)
    return 0


def _env_pairs(pairs: list[str]) -> dict[str, str] | None:
    env: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--env: expected KEY=VALUE, got {pair!r}")
        env[key] = value
    return env or None


def _config(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"--config: not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise ValueError("--config: must be a JSON object")
    return value


def run_create(args: argparse.Namespace) -> int:
    """Create an agent (status `pending`)."""
    config, env = _config(args.config), _env_pairs(args.env)
    with make_client(args) as cloud:
        agent = cloud.cloud_agents.create(
            args.name, character_id=args.character_id, agent_config=config, environment_vars=env
        )
    row = (agent.id, agent.agent_name, agent.status, agent.last_backup_at, agent.created_at)
    emit(args, agent, title="Created", columns=_AGENT_COLUMNS, rows=[row])
    return 0


def run_connect(args: argparse.Namespace) -> int:
    """Connect, print state changes until Ctrl-C / `--for`; exit 1 if the connection is lost."""
    return run_async(_connect(args))


async def _connect(args: argparse.Namespace) -> int:
    from eliza_tools.cloud.manager import CloudManager, ConnectionState, ManagerOptions, StateChange

    options = ManagerOptions(
        heartbeat_interval=args.heartbeat_interval,
        backup_interval=args.backup_interval,
        reconnect_attempts=args.reconnect_attempts,
        reconnect_delay=args.reconnect_delay,
        allow_private=args.allow_private,
    )
    lost = asyncio.Event()

    def show(change: StateChange) -> None:
        if args.json:
            fields = {"from": change.previous, "state": change.state, "reason": change.reason}
            sys.stdout.write(json.dumps({**fields, "agentId": change.agent_id}) + "\n")
            sys.stdout.flush()
        else:
            print(f"{change.state:<13}{change.reason}", flush=True)
        if change.state is ConnectionState.ERROR:  # reconnecting gave up (connect raises)
            lost.set()

    # Failures of single heartbeats and backups are logged; shown only with --verbose.
    logger = logging.getLogger("eliza_tools.cloud.cli")
    logger.propagate = False
    logger.addHandler(logging.StreamHandler() if args.verbose else logging.NullHandler())
    async with (
        make_async_client(args) as cloud,
        CloudManager(cloud, options=options, on_change=show, logger=logger) as manager,
    ):
        await manager.connect(args.id)
        try:
            await asyncio.wait_for(lost.wait(), timeout=args.duration)
        except TimeoutError:
            return 0  # --for elapsed: leaving the block disconnects (final snapshot)
        raise ConnectionError(f"connection to {args.id} lost: {manager.stats.last_error}")


def _say(args: argparse.Namespace, value: Any, text: str) -> None:
    """JSON with --json, else plain `text` (no table, no markup)."""
    if args.json:
        print_json(value)
    else:
        print(text)


def _text(args: argparse.Namespace) -> str:
    return sys.stdin.read() if args.text == "-" else args.text


def run_chat(args: argparse.Namespace) -> int:
    """Print the agent's reply (streamed with `--stream`)."""
    text = _text(args)
    with make_client(args) as cloud:
        if not args.stream:
            reply = cloud.cloud_agents.send_message(args.id, text, room_id=args.room)
            _say(args, reply, reply.text)
            return 0
        with cloud.cloud_agents.stream_message(args.id, text, room_id=args.room) as stream:
            for event in stream:
                if args.json:
                    print_json(event)
                elif event.text:
                    print(event.text, end="", flush=True)
    if not args.json:
        print()
    return 0


def run_snapshot(args: argparse.Namespace) -> int:
    """Back up now."""
    with make_client(args) as cloud:
        snapshot = cloud.cloud_agents.snapshot(args.id)
    row = (snapshot.backup_id, snapshot.snapshot_type, snapshot.size_bytes, snapshot.created_at)
    emit(args, snapshot, title="Snapshot", columns=("backup", "type", "bytes", "at"), rows=[row])
    return 0


def run_backups(args: argparse.Namespace) -> int:
    """The agent's backups."""
    with make_client(args) as cloud:
        backups = cloud.cloud_agents.backups(args.id)
    rows = [(b.id, b.snapshot_type, b.size_bytes, b.created_at) for b in backups]
    emit(args, backups, title="Backups", columns=("backup", "type", "bytes", "at"), rows=rows)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore a backup."""
    with make_client(args) as cloud:
        result = cloud.cloud_agents.restore(args.id, backup_id=args.backup_id)
    row = (result.restored_from_backup_id, result.snapshot_type, result.created_at)
    emit(args, result, title="Restored", columns=("backup", "type", "at"), rows=[row])
    return 0


def run_shutdown(args: argparse.Namespace) -> int:
    """Stop the sandbox."""
    with make_client(args) as cloud:
        result = cloud.cloud_agents.shutdown(args.id)
    row = (result.agent_id, result.action, result.previous_status, result.message)
    emit(args, result, title="Shut down", columns=("agent", "action", "was", "message"), rows=[row])
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete the agent (needs `--yes`)."""
    if not args.yes:
        raise ValueError(f"deleting {args.id} removes it and its backups: add --yes to confirm")
    with make_client(args) as cloud:
        cloud.cloud_agents.delete(args.id)
    _say(args, {"deleted": args.id}, f"deleted {args.id}")
    return 0


def run_discover(args: argparse.Namespace) -> int:
    """A table of discovered services."""
    with make_client(args) as cloud:
        page = cloud.discovery.search(args.query, types=args.types, limit=args.limit)
    rows = [
        (s.name, s.type, s.id, s.pricing.type if s.pricing else "", s.description[:60])
        for s in page.services
    ]
    columns = ("name", "type", "id", "pricing", "description")
    emit(args, page, title=f"Services ({page.total})", columns=columns, rows=rows)
    return 0
