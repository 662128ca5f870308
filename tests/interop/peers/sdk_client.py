"""The official a2a-sdk 1.3 client driving an A2A server; prints one JSON object of results.

Run by `.venv-interop/bin/python` (never imported by the project's python):

    .venv-interop/bin/python -I tests/interop/peers/sdk_client.py URL --version 1.0

The card is resolved from the server; `--version` keeps only its JSON-RPC interfaces of that
protocol version, so the SDK picks its 1.0 transport or its 0.3 compat transport. The server is
expected to behave like the project's scenario agent (`echo X`, `reply X`, `chunks`, `ask`,
`slow`). Every step's outcome (or error class) is one key of the printed object.
"""

# `a2a` here is the official SDK; isort would file half of it under this repo's `a2a`.
# ruff: noqa: I001

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from a2a.client import A2ACardResolver, ClientConfig, create_client
from a2a.client.client import Client
from a2a.helpers import get_artifact_text, get_message_text
from a2a.types import (
    AgentCard,
    CancelTaskRequest,
    GetTaskRequest,
    Message,
    Part,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    StreamResponse,
    SubscribeToTaskRequest,
    Task,
    TaskState,
)

STEP_TIMEOUT = 15.0


def request(text: str, *, return_immediately: bool = False) -> SendMessageRequest:
    message = Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=[Part(text=text)])
    config = SendMessageConfiguration(return_immediately=return_immediately)
    return SendMessageRequest(message=message, configuration=config)


def task_summary(task: Task) -> dict[str, Any]:
    return {
        "kind": "task",
        "id": task.id,
        "context_id": task.context_id,
        "state": TaskState.Name(task.status.state),
        "text": "\n".join(get_artifact_text(a) for a in task.artifacts),
    }


def event_summary(event: StreamResponse) -> dict[str, Any]:
    kind = event.WhichOneof("payload")
    if kind == "task":
        return task_summary(event.task)
    if kind == "message":
        return {"kind": "message", "text": get_message_text(event.message)}
    if kind == "status_update":
        return {"kind": kind, "state": TaskState.Name(event.status_update.status.state)}
    update = event.artifact_update
    return {
        "kind": kind,
        "artifact_id": update.artifact.artifact_id,
        "text": get_artifact_text(update.artifact),
        "append": update.append,
        "last_chunk": update.last_chunk,
    }


async def events(stream: AsyncIterator[StreamResponse]) -> list[dict[str, Any]]:
    return [event_summary(e) async for e in stream]


async def step(results: dict[str, Any], name: str, work: Awaitable[Any]) -> Any:
    """Run one step, recording its summary or the class and message of its error."""
    try:
        value = await asyncio.wait_for(work, STEP_TIMEOUT)
    except Exception as exc:
        results[name] = {"error": type(exc).__name__, "message": str(exc)}
        return None
    results[name] = value
    return value


async def subscribe_then_cancel(streaming: Client, unary: Client) -> dict[str, Any]:
    """Start a `slow` task, re-attach to it, cancel it from another client, read the stream."""
    started = await events(unary.send_message(request("slow", return_immediately=True)))
    task_id = started[0]["id"]
    stream = streaming.subscribe(SubscribeToTaskRequest(id=task_id))
    first = event_summary(await anext(stream))
    canceled = task_summary(await unary.cancel_task(CancelTaskRequest(id=task_id)))
    rest = await events(stream)
    return {"started": started[0], "first": first, "canceled": canceled, "rest": rest}


async def run(url: str, version: str) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient() as http:
        card: AgentCard = await A2ACardResolver(http, url).get_agent_card()
    chosen = [
        i
        for i in card.supported_interfaces
        if i.protocol_binding == "JSONRPC" and i.protocol_version.startswith(version)
    ]
    del card.supported_interfaces[:]
    card.supported_interfaces.extend(chosen)
    results: dict[str, Any] = {"interfaces": [i.protocol_version for i in chosen]}
    unary = await create_client(card, client_config=ClientConfig(streaming=False))
    streaming = await create_client(card, client_config=ClientConfig(streaming=True))
    try:
        sent = await step(results, "send", events(unary.send_message(request("echo hello"))))
        await step(results, "reply", events(unary.send_message(request("reply hi"))))
        await step(results, "stream", events(streaming.send_message(request("chunks"))))
        await step(results, "stream_reply", events(streaming.send_message(request("reply yo"))))
        if sent:
            got = unary.get_task(GetTaskRequest(id=sent[0]["id"]))
            await step(results, "get", _summary(got))
        asked = await step(results, "ask", events(unary.send_message(request("ask"))))
        if asked:
            cancel = unary.cancel_task(CancelTaskRequest(id=asked[0]["id"]))
            await step(results, "cancel", _summary(cancel))
            again = unary.cancel_task(CancelTaskRequest(id=asked[0]["id"]))
            await step(results, "cancel_again", _summary(again))
        await step(results, "get_missing", _summary(unary.get_task(GetTaskRequest(id="nope"))))
        await step(results, "subscribe", subscribe_then_cancel(streaming, unary))
    finally:
        await unary.close()
        await streaming.close()
    return results


async def _summary(pending: Awaitable[Task]) -> dict[str, Any]:
    return task_summary(await pending)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--version", choices=["1.0", "0.3"], required=True)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.version))))


if __name__ == "__main__":
    main()
