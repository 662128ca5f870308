"""Delegation and back, end to end on the emulator.

Two local agents, both LangChain runnables served by `a2a.server` on loopback:

- the *specialist* uppercases what it is told and signs it; it is registered as a cloud agent
  with its URL (`ElizaCloud.agents.create(..., a2a_endpoint=url)`);
- the *delegator* answers every request by asking the cloud's `/api/a2a` skill
  `chat_with_agent` to talk to the specialist (`A2AClient.for_elizacloud`).

A user asks the delegator over A2A; the emulator forwards to the specialist's URL; the
specialist's answer comes back through the cloud (which bills the call) to the delegator and
then to the user.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from langchain_core.runnables import RunnableLambda

from a2a import (
    A2AClient,
    AgentCard,
    AgentSkill,
    Message,
    SyncA2AClient,
    Task,
    TaskState,
    TaskStatusUpdateEvent,
    get_text,
)
from a2a.langchain import serve_runnable
from a2a.stores import InMemoryTaskStore
from eliza_tools import ElizaCloud
from eliza_tools.emulator import EmulatorHandle
from tests.fixtures.a2a import LiveServer, collect, free_port

MARKER = "[specialist]"


@dataclass
class Specialist:
    """The delegated-to agent: records what reached it, answers in upper case."""

    heard: list[str] = field(default_factory=list)

    def answer(self, text: str) -> str:
        self.heard.append(text)
        return f"{MARKER} {text.upper()}"


def card(name: str) -> AgentCard:
    return AgentCard(
        name=name,
        description=f"The {name} agent",
        skills=[AgentSkill(id=name, name=name, description=name, tags=["test"])],
    )


def cloud_reply(result: Task | Message) -> dict[str, Any]:
    """The data part of the cloud's `chat_with_agent` answer."""
    parts = result.parts if isinstance(result, Message) else _task_parts(result)
    data = [p.data for p in parts if isinstance(p.data, dict)]
    assert data, f"no data part in the cloud's answer: {result!r}"
    reply: dict[str, Any] = data[0]
    return reply


def _task_parts(task: Task) -> list[Any]:
    parts = [p for a in task.artifacts or [] for p in a.parts]
    return parts + (task.status.message.parts if task.status.message else [])


@dataclass
class Setup:
    specialist: Specialist
    agent_id: str
    delegator_url: str
    replies: list[dict[str, Any]]


def delegator_app(emulator: EmulatorHandle, agent_id: str, replies: list[dict[str, Any]]) -> Any:
    """The delegating agent: every request goes to the cloud agent `agent_id`."""

    async def delegate(text: str) -> str:
        async with A2AClient.for_elizacloud(
            api_key=emulator.api_key, base_url=emulator.base_url
        ) as cloud:
            result = await cloud.chat_with_agent(agent_id, text)
        reply = cloud_reply(result)
        replies.append(reply)
        return f"via {reply['agentName']}: {reply['response']}"

    return serve_runnable(RunnableLambda(delegate), card("delegator"), store=InMemoryTaskStore())


@pytest.fixture
def setup(emulator: EmulatorHandle) -> Iterator[Setup]:
    specialist = Specialist()
    specialist_app = serve_runnable(
        RunnableLambda(specialist.answer), card("specialist"), store=InMemoryTaskStore()
    )
    with LiveServer(specialist_app) as specialist_server:
        with ElizaCloud(api_key=emulator.api_key, base_url=emulator.base_url) as cloud:
            created = cloud.agents.create(
                "Uppercaser", bio="Says it louder", a2a_endpoint=specialist_server.url
            )
        replies: list[dict[str, Any]] = []
        with LiveServer(delegator_app(emulator, created.id, replies)) as delegator:
            yield Setup(specialist, created.id, delegator.url, replies)


async def test_a_question_goes_out_through_the_cloud_and_the_answer_comes_back(
    setup: Setup, emulator: EmulatorHandle
) -> None:
    before = emulator.balance()
    async with await A2AClient.from_url(setup.delegator_url) as client:
        task = await client.send_message("make this loud")
    assert isinstance(task, Task) and task.status.state is TaskState.COMPLETED
    # The answer was made by the specialist's runnable ...
    assert setup.specialist.heard == ["make this loud"]
    # ... came back through the cloud's chat_with_agent (named and billed by the cloud) ...
    assert setup.replies == [
        {
            "agentId": setup.agent_id,
            "agentName": "Uppercaser",
            "roomId": setup.agent_id,
            "response": f"{MARKER} MAKE THIS LOUD",
        }
    ]
    assert emulator.balance() < before
    # ... and reached the user through the delegator.
    assert get_text(task) == f"via Uppercaser: {MARKER} MAKE THIS LOUD"


async def test_streaming_the_delegator_shows_the_round_trip_as_events(setup: Setup) -> None:
    async with await A2AClient.from_url(setup.delegator_url) as client:
        events = await collect(client.stream_message("stream it"))
    assert isinstance(events[0], Task)
    last = events[-1]
    assert isinstance(last, TaskStatusUpdateEvent) and last.status.state is TaskState.COMPLETED
    texts = [get_text(e) for e in events if get_text(e)]
    assert texts[-1] == f"via Uppercaser: {MARKER} STREAM IT"


def test_an_unreachable_specialist_fails_the_delegators_task(emulator: EmulatorHandle) -> None:
    with ElizaCloud(api_key=emulator.api_key, base_url=emulator.base_url) as cloud:
        gone = cloud.agents.create("Gone", a2a_endpoint=f"http://127.0.0.1:{free_port()}")
    replies: list[dict[str, Any]] = []
    with (
        LiveServer(delegator_app(emulator, gone.id, replies)) as delegator,
        SyncA2AClient.from_url(delegator.url) as client,
    ):
        task = client.send_message("anyone there?")
    assert isinstance(task, Task) and task.status.state is TaskState.FAILED
    assert replies == []
    assert json.dumps(task.to_wire()).count(emulator.api_key) == 0
