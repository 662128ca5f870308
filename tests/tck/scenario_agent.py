"""The A2A TCK's scenario agent, on our server (`a2a.server`).

The TCK (`a2aproject/a2a-tck`, branch `1.0-dev`) selects the agent's behaviour by the prefix of
the messageId it sends; the scenarios are its `scenarios/core_operations.feature` and
`scenarios/streaming.feature` (reference a2a.md §8.1). Prefixes are matched longest first
(`tck-artifact-file-url` before `tck-artifact-file`). Any other message completes its task
with a message naming the messageId.

`test-resubscribe-message-id*` keeps its task working for 2 x `TCK_STREAMING_TIMEOUT`
(default 2 s) so the TCK can re-attach to it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

from a2a import AgentCard, AgentSkill, Part
from a2a.server import RequestContext, TaskUpdater

Scenario = Callable[[TaskUpdater], Awaitable[None]]

FILE_PART = Part(raw=b"tck", media_type="text/plain", filename="output.txt")
FILE_URL_PART = Part(
    url="https://example.com/output.txt", media_type="text/plain", filename="output.txt"
)


def streaming_timeout() -> float:
    """The TCK's streaming timeout (its `TCK_STREAMING_TIMEOUT`, default 2 s)."""
    return float(os.environ.get("TCK_STREAMING_TIMEOUT") or 2.0)


def lifecycle(artifact: str | list[Part]) -> Scenario:
    """working, one artifact, completed."""

    async def run(updater: TaskUpdater) -> None:
        await updater.working()
        await updater.artifact(artifact)
        await updater.complete()

    return run


def artifact_then_complete(artifact: str | list[Part] | dict[str, object]) -> Scenario:
    """One artifact, completed."""

    async def run(updater: TaskUpdater) -> None:
        await updater.artifact(artifact)
        await updater.complete()

    return run


async def complete_task(updater: TaskUpdater) -> None:
    await updater.complete("Hello from TCK")


async def message_response(updater: TaskUpdater) -> None:
    await updater.reply("Direct message response")


async def input_required(updater: TaskUpdater) -> None:
    await updater.input_required()


async def reject_task(updater: TaskUpdater) -> None:
    await updater.reject("rejected")


async def complete_only(updater: TaskUpdater) -> None:
    await updater.complete()


async def chunked(updater: TaskUpdater) -> None:
    await updater.working()
    artifact_id = await updater.artifact("chunk-1 ")
    await updater.artifact("chunk-2", artifact_id=artifact_id, append=True, last_chunk=True)
    await updater.complete()


async def long_running(updater: TaskUpdater) -> None:
    await updater.working()
    await asyncio.sleep(2 * streaming_timeout())
    await updater.complete()


SCENARIOS: dict[str, Scenario] = {
    "tck-complete-task": complete_task,
    "tck-artifact-text": artifact_then_complete("Generated text content"),
    "tck-artifact-file-url": artifact_then_complete([FILE_URL_PART]),
    "tck-artifact-file": artifact_then_complete([FILE_PART]),
    "tck-artifact-data": artifact_then_complete({"key": "value", "count": 42}),
    "tck-message-response": message_response,
    "tck-input-required": input_required,
    "tck-reject-task": reject_task,
    "tck-stream-001": lifecycle("Stream hello from TCK"),
    "tck-stream-002": complete_only,
    "tck-stream-003": lifecycle("Stream task lifecycle"),
    "tck-stream-ordering-001": lifecycle("Ordered output"),
    "tck-stream-artifact-text": lifecycle("Streamed text content"),
    "tck-stream-artifact-file": lifecycle([FILE_PART]),
    "tck-stream-artifact-chunked": chunked,
    "test-resubscribe-message-id": long_running,
}
_LONGEST_FIRST = sorted(SCENARIOS, key=len, reverse=True)


def scenario_for(message_id: str) -> Scenario | None:
    """The scenario a messageId selects (longest matching prefix), or None."""
    return next((SCENARIOS[p] for p in _LONGEST_FIRST if message_id.startswith(p)), None)


async def tck_agent(context: RequestContext, updater: TaskUpdater) -> None:
    """Run the scenario the messageId selects; otherwise complete naming the messageId."""
    message_id = context.message.message_id
    scenario = scenario_for(message_id)
    if scenario is None:
        await updater.complete(f"Unhandled messageId prefix: {message_id}")
        return
    await scenario(updater)


def tck_card() -> AgentCard:
    """The card (the server fills in its own JSON-RPC interfaces)."""
    return AgentCard(
        name="eliza-tools TCK scenario agent",
        description="Implements the A2A TCK messageId-prefix scenarios on a2a.server",
        skills=[
            AgentSkill(
                id="tck",
                name="TCK Conformance",
                description="Handles TCK conformance test messages",
                tags=["tck"],
            )
        ],
    )
