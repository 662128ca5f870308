"""`delegate_task`: hand a task to elizaOS Cloud over A2A, or to one agent by id.

Without `agent_id` the task goes to the cloud's own `/api/a2a` endpoint (the
platform answers it, `chat_completion` skill); with one it goes to that agent
through the `chat_with_agent` skill. Both use the `a2a` package's client. A2A
errors are turned into the client's exception tree so the LLM gets the same
actionable messages (credits, rate limits, auth) as for every other tool.
"""

from __future__ import annotations

import json
import weakref
from typing import Any, cast

import httpx
from pydantic import Field

from a2a.client import A2AClient, SyncA2AClient
from a2a.jsonrpc import A2AError, AgentBannedError, AuthenticationRequiredError, RateLimitedError
from a2a.jsonrpc import InsufficientCreditsError as A2AInsufficientCredits
from a2a.types import Message, SendResult, Task
from eliza_tools import pricing
from eliza_tools.client import AsyncElizaCloud
from eliza_tools.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ElizaCloudError,
    InsufficientCreditsError,
    PermissionDeniedError,
    RateLimitError,
)
from eliza_tools.tools.base import (
    AnyCloud,
    CloudTool,
    Plan,
    ToolContext,
    ToolInput,
    ToolResult,
    step,
)

MAX_TASK_CHARS = 8000
_A2A_ERRORS: dict[type[A2AError], type[APIStatusError]] = {
    A2AInsufficientCredits: InsufficientCreditsError,
    RateLimitedError: RateLimitError,
    AuthenticationRequiredError: AuthenticationError,
    AgentBannedError: PermissionDeniedError,
}
# One A2A client per cloud client (the async ones are per event loop), made on first use.
_CLIENTS: weakref.WeakKeyDictionary[AnyCloud, A2AClient | SyncA2AClient] = (
    weakref.WeakKeyDictionary()
)


class DelegateTaskInput(ToolInput):
    """Arguments of `delegate_task`."""

    task: str = Field(
        min_length=1,
        max_length=MAX_TASK_CHARS,
        description="What the other agent should do, self-contained: it cannot see this chat.",
    )
    agent_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description=(
            "Id of the agent to ask (from discover_agents). Null sends the task to "
            "elizaOS Cloud itself."
        ),
    )


class DelegationResult(ToolResult):
    """The other agent's answer and the A2A task it ran as."""

    reply: str
    agent_id: str | None = None
    agent_name: str | None = None
    task_id: str | None = None
    state: str

    def summary(self) -> str:
        """Who answered, and the answer."""
        who = self.agent_name or self.agent_id or "elizaOS Cloud"
        return f"{who} replied ({self.state}): {self.reply}"


def _a2a_client(cloud: AnyCloud) -> A2AClient | SyncA2AClient:
    client = _CLIENTS.get(cloud)
    if client is None:
        key, base = cloud.settings.api_key.get(), cloud.settings.base_url
        if isinstance(cloud, AsyncElizaCloud):
            client = A2AClient.for_elizacloud(key, base)
        else:
            client = SyncA2AClient.for_elizacloud(key, base)
        _CLIENTS[cloud] = client
    return client


def _cloud_error(exc: A2AError) -> ElizaCloudError:
    cls = next((v for k, v in _A2A_ERRORS.items() if isinstance(exc, k)), APIStatusError)
    body = exc.data if isinstance(exc.data, dict) else None
    return cls(exc.message, status_code=exc.http_status, code=str(exc.code), body=body)


def _reply_text(result: SendResult) -> tuple[str, dict[str, Any]]:
    """The answer's text and the first data part (chat_with_agent answers in a data part)."""
    message = result if isinstance(result, Message) else result.status.message
    texts: list[str] = []
    data: dict[str, Any] = {}
    for part in message.parts if message is not None else []:
        if part.text:
            texts.append(part.text)
        elif isinstance(part.data, dict) and not data:
            data = part.data
    if not texts and data:
        response = data.get("response")
        texts.append(response if isinstance(response, str) else json.dumps(data)[:2000])
    return "\n".join(texts) or "(no text in the reply)", data


def _reported_cost(result: SendResult) -> float | None:
    """The cost the cloud reports in a `usage` artifact, when it does."""
    for artifact in (result.artifacts or []) if isinstance(result, Task) else []:
        for part in artifact.parts:
            cost = part.data.get("cost") if isinstance(part.data, dict) else None
            if isinstance(cost, int | float) and not isinstance(cost, bool):
                return float(cost)
    return None


def _delegate(cloud: AnyCloud, args: DelegateTaskInput, ctx: ToolContext) -> Plan[DelegationResult]:
    client = _a2a_client(cloud)
    try:
        if args.agent_id is None:
            sent = yield from step(client.send_message(args.task))
        else:
            sent = yield from step(client.chat_with_agent(args.agent_id, args.task))
        result = cast(SendResult, sent)  # the two clients' answers joined to their base type
    except A2AError as exc:
        raise _cloud_error(exc) from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(f"A2A request failed: {type(exc).__name__}") from exc
    reply, data = _reply_text(result)
    name = data.get("agentName")
    return DelegationResult(
        reply=reply,
        agent_id=args.agent_id,
        agent_name=name if isinstance(name, str) else None,
        task_id=result.id if isinstance(result, Task) else result.task_id,
        state=result.status.state.name.lower() if isinstance(result, Task) else "completed",
        cost_usd=_reported_cost(result),
    )


def _estimate(args: DelegateTaskInput) -> float:
    tokens = pricing.estimate_tokens(args.task)
    return pricing.chat_cost(pricing.DEFAULT_CHAT_MODEL, tokens, 1000)


DELEGATE_TASK = CloudTool(
    name="delegate_task",
    description=(
        "Ask another agent to do a task over A2A and return its answer: a cloud agent by "
        "id (find ids with discover_agents), or elizaOS Cloud itself when agent_id is null."
    ),
    input_model=DelegateTaskInput,
    result_model=DelegationResult,
    plan=_delegate,
    estimate=_estimate,
)
