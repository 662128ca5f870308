"""The official a2a-sdk 1.3 echo server (reference a2a.md §7.2), run by `.venv-interop/bin/python`.

Never imported by the project's python: the `a2a` here is the official SDK's. Used by the
interop tests (our client against it) and by `bench/a2a_server.py` (the baseline).

    .venv-interop/bin/python -I tests/interop/peers/sdk_server.py --port 9999

The executor behaves by the first word of the user's text, like the project's scenario agent:
`ask` pauses in input-required, `slow` works until canceled, `reply X` answers with a direct
Message; anything else is echoed as the artifact `echo: <text>` of a completed task (task,
working, artifact, completed: the §7.2 echo).
"""

# `a2a` here is the official SDK; isort would file half of it under this repo's `a2a`.
# ruff: noqa: I001

from __future__ import annotations

import argparse
import asyncio

import uvicorn
from a2a.helpers import get_message_text, new_task_from_user_message, new_text_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill, Part, Role
from starlette.applications import Starlette


class EchoExecutor(AgentExecutor):
    """Echo, plus the few behaviours the interop tests need (see the module docstring)."""

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        text = get_message_text(context.message)
        word = text.split(" ", 1)[0]
        if word == "reply":
            reply = new_text_message(
                f"reply: {text[6:]}", context_id=context.context_id, role=Role.ROLE_AGENT
            )
            await event_queue.enqueue_event(reply)
            return
        task = context.current_task or new_task_from_user_message(context.message)
        await event_queue.enqueue_event(task)  # the Task MUST be the first event
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        if word == "ask":
            await updater.requires_input()
            return
        await updater.start_work()
        if word == "slow":
            await asyncio.sleep(60)  # until canceled
        await updater.add_artifact([Part(text="echo: " + text)], name="echo")
        await updater.complete()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task_id, context_id = context.task_id, context.context_id
        assert task_id is not None and context_id is not None
        await TaskUpdater(event_queue, task_id, context_id).cancel()


def build_app(port: int) -> Starlette:
    """The §7.2 app: card routes plus JSON-RPC 1.0 with 0.3 compat on `/`."""
    url = f"http://127.0.0.1:{port}/"
    card = AgentCard(
        name="SDK Echo",
        description="Echoes text (official a2a-sdk)",
        version="1.0.0",
        supported_interfaces=[
            AgentInterface(protocol_binding="JSONRPC", protocol_version="1.0", url=url),
            AgentInterface(protocol_binding="JSONRPC", protocol_version="0.3", url=url),
        ],
        capabilities=AgentCapabilities(streaming=True, push_notifications=False),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[AgentSkill(id="echo", name="Echo", description="Echo", tags=["echo"])],
    )
    handler = DefaultRequestHandler(
        agent_executor=EchoExecutor(), task_store=InMemoryTaskStore(), agent_card=card
    )
    routes = [
        *create_agent_card_routes(card),
        *create_jsonrpc_routes(handler, rpc_url="/", enable_v0_3_compat=True),
    ]
    return Starlette(routes=routes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        build_app(args.port),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
