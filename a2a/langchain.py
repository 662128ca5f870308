"""LangChain both ways.

- `serve_runnable(runnable, card=...)`: any LangChain `Runnable` (a chain, an agent, a compiled
  LangGraph graph) served as an A2A agent. Tokens streamed by chat models inside it become
  artifact chunks; the final output becomes the artifact; cancelling the task cancels the run.
  The A2A context id is passed as `configurable.thread_id`, so a LangGraph checkpointer keeps
  one conversation per context.
- `A2AAgentTool` / `A2AToolkit`: remote A2A agents as LangChain tools an agent can delegate
  to (by URL, or every agent the elizaOS Cloud discovery lists).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterable
from typing import Any, Literal, cast

import httpx
from langchain_core.messages import BaseMessage, BaseMessageChunk
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool, BaseToolkit, ToolException
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr
from starlette.applications import Starlette

from a2a.client import A2AClient, SyncA2AClient, auth_headers
from a2a.jsonrpc import A2AError
from a2a.server.agent import RequestContext, TaskUpdater
from a2a.server.app import create_app
from a2a.types import AgentCard, Message, Part, SendResult, TaskState, get_text, new_id

InputMapper = Callable[[RequestContext], Any]


def text_input(context: RequestContext) -> Any:
    """The default input: the user's text (what a prompt | model | parser chain takes)."""
    return context.text


def messages_input(key: str = "messages") -> InputMapper:
    """Input for message-state graphs and agents: `{key: [("user", text)]}`."""

    def mapper(context: RequestContext) -> Any:
        return {key: [("user", context.text)]}

    return mapper


def output_text(output: Any) -> str | None:
    """The text of a runnable's output, or None when it is structured data."""
    if isinstance(output, str):
        return output
    if isinstance(output, BaseMessage):
        return message_text(output)
    if isinstance(output, dict):
        if isinstance(output.get("messages"), list) and output["messages"]:
            return output_text(output["messages"][-1])
        if "output" in output:
            return output_text(output["output"])
    return None


def message_text(message: BaseMessage) -> str:
    """The text content of a LangChain message (text blocks joined)."""
    content = message.content
    if isinstance(content, str):
        return content
    texts = [
        block if isinstance(block, str) else str(block.get("text", ""))
        for block in content
        if isinstance(block, str) or (isinstance(block, dict) and block.get("type") == "text")
    ]
    return "".join(texts)


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class RunnableAgent:
    """An A2A agent running a LangChain runnable (see `serve_runnable`)."""

    def __init__(
        self,
        runnable: Runnable[Any, Any],
        *,
        input_mapper: InputMapper = text_input,
        artifact_name: str = "output",
    ) -> None:
        self.runnable = runnable
        self.input_mapper = input_mapper
        self.artifact_name = artifact_name

    async def execute(self, context: RequestContext, updater: TaskUpdater) -> None:
        """Run the runnable: tokens stream as an artifact, which a differing output replaces."""
        await updater.working()
        config: dict[str, Any] = {"configurable": {"thread_id": context.context_id}}
        artifact_id = new_id()
        streamed: list[str] = []
        output: Any = None
        events = self.runnable.astream_events(
            self.input_mapper(context), cast(Any, config), version="v2"
        )
        async for event in cast(Any, events):
            kind = event["event"]
            if kind == "on_chat_model_stream":
                chunk = event["data"].get("chunk")
                token = message_text(chunk) if isinstance(chunk, BaseMessageChunk) else ""
                if token:
                    await updater.artifact(
                        token,
                        name=self.artifact_name,
                        artifact_id=artifact_id,
                        append=bool(streamed),
                    )
                    streamed.append(token)
            elif kind.endswith("_end") and not event.get("parent_ids"):
                # The root run's end (a chain, a graph, or a bare chat model) holds the output.
                output = event["data"].get("output")
        text = output_text(output)
        if text is None and output is not None:
            await updater.artifact(
                [Part(data=_json_safe(output))], name=self.artifact_name, artifact_id=artifact_id
            )
        elif text is not None and text != "".join(streamed):
            # The streamed tokens were not the answer (e.g. an agent's tool-calling turns).
            await updater.artifact(text, name=self.artifact_name, artifact_id=artifact_id)
        await updater.complete()


def serve_runnable(
    runnable: Runnable[Any, Any],
    card: AgentCard,
    *,
    input_mapper: InputMapper = text_input,
    **app_options: Any,
) -> Starlette:
    """Serve a LangChain runnable as an A2A agent (`app_options` go to `create_app`)."""
    return create_app(RunnableAgent(runnable, input_mapper=input_mapper), card, **app_options)


# -- remote agents as tools ----------------------------------------------------------------


class A2AToolInput(BaseModel):
    """What the calling model sends to a remote agent."""

    message: str = Field(description="The request for the remote agent, in plain language.")
    task_id: str | None = Field(
        default=None,
        description="Only to answer a question the agent asked: the task_id it gave.",
    )


def tool_name(name: str) -> str:
    """A tool name every provider accepts (`^[a-zA-Z0-9_-]{1,64}$`)."""
    cleaned = re.sub(r"[^a-zA-Z0-9_-]+", "_", name.strip()).strip("_").lower()
    return (cleaned or "a2a_agent")[:64]


def describe(result: SendResult) -> str:
    """What the calling model reads: the answer, or what the agent is waiting for."""
    if isinstance(result, Message):
        return get_text(result)
    state = result.status.state
    text = get_text(result)
    if state is TaskState.INPUT_REQUIRED or state is TaskState.AUTH_REQUIRED:
        question = get_text(result.status.message) or "more input"
        return f"The agent needs {question!r} (answer with task_id={result.id!r})."
    if state in (TaskState.FAILED, TaskState.REJECTED, TaskState.CANCELED):
        reason = get_text(result.status.message) or "no reason given"
        raise ToolException(f"The agent's task ended {state.name.lower()}: {reason}")
    if not state.is_terminal:
        return f"The agent is still working on task {result.id!r} ({state.name.lower()})."
    return text or "(the agent returned no text)"


class A2AAgentTool(BaseTool):
    """A remote A2A agent as a LangChain tool (returns text content, the Task as artifact)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str = "a2a_agent"
    description: str = "Delegate a request to a remote agent."
    args_schema: type[BaseModel] = A2AToolInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True
    url: str
    """The agent's base URL or card URL."""
    dialect: str | None = None
    """Force a dialect; None resolves it from the card on first use."""
    api_key: SecretStr | None = None
    bearer_token: SecretStr | None = None
    timeout: float = 300.0
    _sync: SyncA2AClient | None = PrivateAttr(default=None)
    _async: tuple[asyncio.AbstractEventLoop, A2AClient] | None = PrivateAttr(default=None)

    @classmethod
    def from_card(cls, url: str, card: AgentCard, **fields: Any) -> A2AAgentTool:
        """A tool named and described from an agent card."""
        skills = "; ".join(f"{s.name}: {s.description}" for s in card.skills[:5])
        description = card.description + (f" Skills: {skills}" if skills else "")
        return cls(url=url, name=tool_name(card.name), description=description.strip(), **fields)

    @classmethod
    async def afrom_url(cls, url: str, **fields: Any) -> A2AAgentTool:
        """Read the agent's card and build the tool from it."""
        probe = cls(url=url, **fields)
        client = await probe._async_client()
        assert client.card is not None
        made = cls.from_card(url, client.card, **fields)
        made._async = probe._async
        return made

    @classmethod
    def from_url(cls, url: str, **fields: Any) -> A2AAgentTool:
        """Read the agent's card (blocking) and build the tool from it."""
        probe = cls(url=url, **fields)
        client = probe._sync_client()
        assert client.card is not None
        made = cls.from_card(url, client.card, **fields)
        made._sync = client
        return made

    def _client_options(self) -> dict[str, Any]:
        key = self.api_key.get_secret_value() if self.api_key else None
        token = self.bearer_token.get_secret_value() if self.bearer_token else None
        options: dict[str, Any] = {"headers": auth_headers(key, token), "timeout": self.timeout}
        if self.dialect is not None:
            options["dialect"] = self.dialect
        return options

    def _sync_client(self) -> SyncA2AClient:
        # One client (one connection pool) per tool: building a client costs milliseconds.
        if self._sync is None:
            self._sync = SyncA2AClient.from_url(self.url, **self._client_options())
        return self._sync

    async def _async_client(self) -> A2AClient:
        # An async client belongs to the event loop it was made in.
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            client = await A2AClient.from_url(self.url, **self._client_options())
            self._async = (loop, client)
        return self._async[1]

    def _run(self, message: str, task_id: str | None = None, **_: Any) -> tuple[str, Any]:
        try:
            result = self._sync_client().send_message(message, task_id=task_id)
        except (A2AError, httpx.HTTPError) as exc:
            raise ToolException(f"The remote agent could not be reached: {exc}") from exc
        return describe(result), result.to_wire()

    async def _arun(self, message: str, task_id: str | None = None, **_: Any) -> tuple[str, Any]:
        try:
            client = await self._async_client()
            result = await client.send_message(message, task_id=task_id)
        except (A2AError, httpx.HTTPError) as exc:
            raise ToolException(f"The remote agent could not be reached: {exc}") from exc
        return describe(result), result.to_wire()


class A2AToolkit(BaseToolkit):
    """Several remote agents as tools (by URL, or every agent the cloud discovery lists)."""

    tools: list[A2AAgentTool] = Field(default_factory=list)

    def get_tools(self) -> list[BaseTool]:
        """The agent tools."""
        return list(self.tools)

    @classmethod
    def from_urls(cls, urls: Iterable[str], **fields: Any) -> A2AToolkit:
        """One tool per agent URL (cards read now, blocking)."""
        return cls(tools=[A2AAgentTool.from_url(url, **fields) for url in urls])

    @classmethod
    async def afrom_urls(cls, urls: Iterable[str], **fields: Any) -> A2AToolkit:
        """One tool per agent URL (cards read now)."""
        return cls(tools=[await A2AAgentTool.afrom_url(url, **fields) for url in urls])

    @classmethod
    def from_elizacloud(
        cls,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        query: str | None = None,
        limit: int = 50,
        http_client: httpx.Client | None = None,
    ) -> A2AToolkit:
        """A tool for every agent with an A2A endpoint in the elizaOS Cloud discovery
        (`GET <base_url>/discovery?types=agent`)."""
        from eliza_tools.config import resolve_settings

        settings = resolve_settings(api_key=api_key, base_url=base_url)
        key = settings.api_key.get()
        params: dict[str, Any] = {"types": "agent", "limit": limit}
        if query:
            params["query"] = query
        client = http_client or httpx.Client(timeout=30.0)
        try:
            response = client.get(
                settings.base_url + "/discovery",
                params=params,
                headers=auth_headers(key, key),
            )
        finally:
            if http_client is None:
                client.close()
        response.raise_for_status()
        tools = []
        seen: set[str] = set()
        for service in response.json().get("services", []):
            endpoint = service.get("a2aEndpoint") if isinstance(service, dict) else None
            if not endpoint:
                continue
            name = tool_name(str(service.get("name") or service.get("id") or "agent"))
            while name in seen:
                name = tool_name(f"{name}_{len(seen)}")
            seen.add(name)
            description = str(service.get("description") or f"The cloud agent {name}.")
            tools.append(
                A2AAgentTool(
                    url=endpoint,
                    name=name,
                    description=description,
                    api_key=SecretStr(key),
                    bearer_token=SecretStr(key),
                )
            )
        return cls(tools=tools)


__all__ = [
    "A2AAgentTool",
    "A2AToolInput",
    "A2AToolkit",
    "RunnableAgent",
    "describe",
    "messages_input",
    "output_text",
    "serve_runnable",
    "text_input",
    "tool_name",
]
