"""How agents are written: a small async protocol plus helpers for "text in, text out".

An agent receives a `RequestContext` (the user's message, the task it belongs to, who is
asking) and a `TaskUpdater` to emit what happens: status changes, artifacts, or a single
direct reply. Cancellation arrives as `asyncio.CancelledError` inside `execute` (and, if the
agent defines it, a call to `cancel`).

    async def echo(context: RequestContext, updater: TaskUpdater) -> None:
        await updater.artifact(f"echo: {context.text}", name="echo")
        await updater.complete()

    app = create_app(echo, card)
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from a2a.types import (
    Artifact,
    Event,
    Message,
    Part,
    Role,
    SendMessageConfiguration,
    Task,
    TaskArtifactUpdateEvent,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
    get_text,
    new_id,
    now_iso,
)


@dataclass
class RequestContext:
    """What an agent gets for one request."""

    message: Message
    task_id: str
    context_id: str
    principal: str
    """Who asked (the auth verifier's answer; `anonymous` without auth)."""
    current_task: Task | None = None
    """The task being continued (after input-required), else None."""
    configuration: SendMessageConfiguration | None = None
    metadata: dict[str, Any] | None = None
    dialect: str = "1.0"
    """The wire dialect of the request (`1.0`, `0.3`, `elizacloud`, `0.1`)."""
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The text parts of the user's message, joined."""
        return get_text(self.message)

    @property
    def data(self) -> list[Any]:
        """The data parts of the user's message (e.g. the cloud's `{"skill": ...}`)."""
        return [p.data for p in self.message.parts if p.data is not None]


Emit = Callable[[Event], Awaitable[None]]


class TaskUpdater:
    """Emits an agent's events for one task; every call is one stream event."""

    def __init__(self, context: RequestContext, emit: Emit) -> None:
        self.context = context
        self._emit = emit

    def _message(self, content: str | Message | list[Part] | None) -> Message | None:
        if content is None or isinstance(content, Message):
            return content
        parts = [Part(text=content)] if isinstance(content, str) else content
        return Message(
            role=Role.AGENT,
            parts=parts,
            task_id=self.context.task_id,
            context_id=self.context.context_id,
        )

    async def reply(self, content: str | Message | list[Part]) -> None:
        """Answer with a direct message and no task (only as the agent's first event)."""
        message = self._message(content)
        assert message is not None
        await self._emit(message)

    async def status(
        self, state: TaskState, message: str | Message | list[Part] | None = None
    ) -> None:
        """Move the task to a state, optionally with a message from the agent."""
        await self._emit(
            TaskStatusUpdateEvent(
                task_id=self.context.task_id,
                context_id=self.context.context_id,
                status=TaskStatus(state=state, message=self._message(message), timestamp=now_iso()),
            )
        )

    async def working(self, message: str | Message | list[Part] | None = None) -> None:
        """The agent is working (progress messages welcome)."""
        await self.status(TaskState.WORKING, message)

    async def complete(self, message: str | Message | list[Part] | None = None) -> None:
        """The task is done."""
        await self.status(TaskState.COMPLETED, message)

    async def fail(self, message: str | Message | list[Part] | None = None) -> None:
        """The task failed."""
        await self.status(TaskState.FAILED, message)

    async def reject(self, message: str | Message | list[Part] | None = None) -> None:
        """The agent will not do this task."""
        await self.status(TaskState.REJECTED, message)

    async def input_required(self, message: str | Message | list[Part] | None = None) -> None:
        """The agent needs more input: the client continues with a message naming this task."""
        await self.status(TaskState.INPUT_REQUIRED, message)

    async def auth_required(self, message: str | Message | list[Part] | None = None) -> None:
        """The agent needs credentials."""
        await self.status(TaskState.AUTH_REQUIRED, message)

    async def artifact(
        self,
        content: str | list[Part] | Any,
        *,
        name: str | None = None,
        artifact_id: str | None = None,
        append: bool | None = None,
        last_chunk: bool | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """Emit (a chunk of) an artifact; returns its id so later chunks can append to it.

        `content` is text, a list of parts, or any JSON value (sent as a data part).
        """
        if isinstance(content, str):
            parts = [Part(text=content)]
        elif isinstance(content, list) and all(isinstance(p, Part) for p in content):
            parts = content
        else:
            parts = [Part(data=content)]
        artifact = Artifact(artifact_id=artifact_id or new_id(), name=name, parts=parts)
        await self._emit(
            TaskArtifactUpdateEvent(
                task_id=self.context.task_id,
                context_id=self.context.context_id,
                artifact=artifact,
                append=append,
                last_chunk=last_chunk,
                metadata=metadata,
            )
        )
        return artifact.artifact_id


@runtime_checkable
class Agent(Protocol):
    """An A2A agent: `execute` does the work; cancellation cancels it."""

    async def execute(self, context: RequestContext, updater: TaskUpdater) -> None:
        """Handle one request, emitting events through the updater."""


AgentFunction = Callable[[RequestContext, TaskUpdater], Awaitable[None]]


class FunctionAgent:
    """An agent from a plain `async def agent(context, updater)` function."""

    def __init__(self, fn: AgentFunction) -> None:
        self.fn = fn

    async def execute(self, context: RequestContext, updater: TaskUpdater) -> None:
        """Run the wrapped function."""
        await self.fn(context, updater)


def as_agent(agent: Agent | AgentFunction) -> Agent:
    """Accept an Agent object or a bare async function."""
    if isinstance(agent, Agent):
        return agent
    if callable(agent):
        return FunctionAgent(agent)
    raise TypeError(f"agent must have an async execute(context, updater) or be one: {agent!r}")


TextHandler = Callable[[str], Awaitable[str] | AsyncIterator[str] | str]


class TextAgent:
    """ "Text in, text out": the handler gets the user's text and returns the answer.

    The handler may be sync or async, and may be an async generator yielding chunks, which
    are streamed as chunks of one artifact. With `reply_as_message=True` the answer is a
    direct Message instead of a completed task with an artifact.
    """

    def __init__(
        self, handler: TextHandler, *, artifact_name: str = "answer", reply_as_message: bool = False
    ) -> None:
        self.handler = handler
        self.artifact_name = artifact_name
        self.reply_as_message = reply_as_message

    async def execute(self, context: RequestContext, updater: TaskUpdater) -> None:
        """Answer the user's text with the handler's: streamed chunks, an artifact or a reply."""
        result = self.handler(context.text)
        if inspect.isasyncgen(result):
            await updater.working()
            artifact_id = new_id()
            first = True
            async for chunk in result:
                await updater.artifact(
                    chunk, name=self.artifact_name, artifact_id=artifact_id, append=not first
                )
                first = False
            await updater.complete()
            return
        text = await result if inspect.isawaitable(result) else result
        if self.reply_as_message:
            await updater.reply(str(text))
            return
        await updater.artifact(str(text), name=self.artifact_name)
        await updater.complete()


def text_agent(
    handler: TextHandler, *, artifact_name: str = "answer", reply_as_message: bool = False
) -> TextAgent:
    """An agent from a text handler (see `TextAgent`)."""
    return TextAgent(handler, artifact_name=artifact_name, reply_as_message=reply_as_message)
