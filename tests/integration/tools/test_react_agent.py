"""A LangGraph ReAct agent, driven by a scripted chat model, calls every tool on the emulator.

Turn 1 calls nine tools at once, turn 2 queries the knowledge stored in turn 1 and sends
an invalid argument, turn 3 asks for a video the balance cannot pay for. Every
`ToolMessage` and artifact is checked, on the blocking and on the asyncio path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.prebuilt import create_react_agent

from eliza_tools import ElizaCloud
from eliza_tools.emulator import EmulatorHandle
from eliza_tools.errors import InsufficientCreditsError
from eliza_tools.tools import ALL_TOOLS, ElizaCloudToolkit, ToolFailure
from eliza_tools.tools.budget import usd
from tests.fixtures.tools import SAMPLE_AUDIO, TOOL_EXAMPLES

# create_react_agent moved to `langchain.agents` (not a dependency here); the prebuilt one works.
pytestmark = pytest.mark.filterwarnings("ignore::langgraph.warnings.LangGraphDeprecatedSinceV10")

RESULT_TYPES = {tool.name: tool.result_model for tool in ALL_TOOLS}
FIRST_TURN = [name for name in TOOL_EXAMPLES if name != "query_knowledge"]
START_BALANCE = 3.0  # enough for turn 1, not for a $3.20 video afterwards


class ScriptedChatModel(GenericFakeChatModel):
    """Answers with the next scripted message; tools are bound by the agent, not used."""

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        return self


def _calls(*calls: tuple[str, dict[str, Any]], turn: int) -> AIMessage:
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": f"t{turn}-{name}", "type": "tool_call"}
            for name, args in calls
        ],
    )


def _script() -> Iterator[BaseMessage]:
    return iter(
        [
            _calls(*((name, TOOL_EXAMPLES[name]) for name in FIRST_TURN), turn=1),
            _calls(
                ("query_knowledge", TOOL_EXAMPLES["query_knowledge"]),
                ("generate_image", {"prompt": "a cat", "num_images": 9, "colour": "red"}),
                turn=2,
            ),
            _calls(("generate_video", {"prompt": "a long epic", "model": "fal-ai/veo3"}), turn=3),
            AIMessage(content="All done."),
        ]
    )


@pytest.fixture
def toolkit(emulator_session: EmulatorHandle, tmp_path: Path) -> Iterator[ElizaCloudToolkit]:
    key = emulator_session.new_account(balance=START_BALANCE + 1.0)
    client = ElizaCloud(key, emulator_session.base_url)
    out = tmp_path / "out"
    out.mkdir()
    (out / SAMPLE_AUDIO).write_bytes(client.voice.tts("This is a sample of my voice."))
    emulator_session.set_balance(START_BALANCE, api_key=key)
    yield ElizaCloudToolkit(client, output_dir=out)
    client.close()


def _check_transcript(messages: list[BaseMessage], toolkit: ElizaCloudToolkit) -> None:
    replies = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    assert len(replies) == len(ALL_TOOLS) + 2
    out = toolkit.runtime.context.output.path

    for name in FIRST_TURN:
        message = replies[f"t1-{name}"]
        assert message.status == "success", (name, message.content)
        assert isinstance(message.artifact, RESULT_TYPES[name]), name
        assert isinstance(message.content, str) and message.content
        assert "base64" not in message.content and len(message.content) < 2000
    art = {name: replies[f"t1-{name}"].artifact for name in FIRST_TURN}
    assert art["generate_image"].images[0].url.startswith("http://127.0.0.1")
    assert art["generate_video"].path.parent == out and art["generate_video"].path.stat().st_size
    speech = art["text_to_speech"].path
    assert speech.parent == out and speech.read_bytes()[:3] in (b"ID3", b"\xff\xfb\xff")
    assert str(speech) in replies["t1-text_to_speech"].content
    assert art["transcribe_audio"].transcript == "This is a sample of my voice."
    assert art["clone_voice"].status == "completed" and art["clone_voice"].voice_id
    assert art["clone_voice"].voice_id in replies["t1-clone_voice"].content
    assert art["upload_knowledge"].documents[0].fragments >= 1
    assert art["delegate_task"].state == "completed" and art["delegate_task"].reply
    # Read while the other calls of the turn run (in parallel), so it may predate their charges.
    assert 0 < art["check_credits"].balance_usd <= START_BALANCE
    assert isinstance(art["discover_agents"].agents, list)

    query = replies["t2-query_knowledge"]
    assert query.status == "success" and "The office opens at 9 am." in query.content
    assert query.artifact.passages[0].content == "The office opens at 9 am."

    invalid = replies["t2-generate_image"]
    assert invalid.status == "error"
    assert "num_images: Input should be less than or equal to 4 (got 9)" in invalid.content
    assert "colour: Extra inputs are not permitted" in invalid.content

    broke = replies["t3-generate_video"]
    assert broke.status == "error" and isinstance(broke.artifact, ToolFailure)
    assert isinstance(broke.artifact.exception, InsufficientCreditsError)
    assert "needs $3.20" in broke.content and "/dashboard/billing" in broke.content
    balance = broke.artifact.details["balance_usd"]
    assert balance is not None and f"balance {usd(balance)}" in broke.content
    assert messages[-1].content == "All done."


def test_react_agent_calls_every_tool_sync(toolkit: ElizaCloudToolkit) -> None:
    agent = create_react_agent(ScriptedChatModel(messages=_script()), toolkit.get_tools())
    state = agent.invoke({"messages": [HumanMessage("Use every tool.")]})
    _check_transcript(state["messages"], toolkit)


async def test_react_agent_calls_every_tool_async(toolkit: ElizaCloudToolkit) -> None:
    agent = create_react_agent(ScriptedChatModel(messages=_script()), toolkit.get_tools())
    state = await agent.ainvoke({"messages": [HumanMessage("Use every tool.")]})
    _check_transcript(state["messages"], toolkit)
