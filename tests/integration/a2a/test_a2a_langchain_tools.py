"""Remote A2A agents as LangChain tools, by URL and through a fake elizaOS Cloud discovery."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_core.messages import ToolMessage
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from a2a.langchain import A2AAgentTool, A2AToolkit, tool_name
from a2a.server import api_key_auth, create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import TEST_API_KEY, LiveServer, ScenarioAgent, scenario_card


@pytest.fixture(scope="module")
def agent_server() -> Iterator[LiveServer]:
    with LiveServer(create_app(ScenarioAgent(), scenario_card(), InMemoryTaskStore())) as live:
        yield live


def call(tool: A2AAgentTool, **args: object) -> ToolMessage:
    message = tool.invoke({"type": "tool_call", "id": "call-1", "name": tool.name, "args": args})
    assert isinstance(message, ToolMessage)
    return message


def test_tool_from_url_sync(agent_server: LiveServer) -> None:
    tool = A2AAgentTool.from_url(agent_server.url)
    assert tool.name == "scenario" and "Echo" in tool.description
    message = call(tool, message="echo hi")
    assert message.content == "echo: hi"
    assert message.artifact["status"]["state"] == "TASK_STATE_COMPLETED"


async def test_tool_async_input_required_and_continuation(agent_server: LiveServer) -> None:
    tool = await A2AAgentTool.afrom_url(agent_server.url)
    first = await tool.ainvoke(
        {"type": "tool_call", "id": "c1", "name": tool.name, "args": {"message": "ask"}}
    )
    task_id = first.artifact["id"]
    assert "what else?" in first.content and task_id in first.content
    second = await tool.ainvoke(
        {
            "type": "tool_call",
            "id": "c2",
            "name": tool.name,
            "args": {"message": "red", "task_id": task_id},
        }
    )
    assert second.content == "got: red"


def test_failed_task_is_a_tool_error_the_model_can_read(agent_server: LiveServer) -> None:
    tool = A2AAgentTool(url=agent_server.url, dialect="0.3")
    message = call(tool, message="fail")
    assert message.status == "error" and "failed" in str(message.content)


def test_unreachable_agent_is_a_tool_error() -> None:
    tool = A2AAgentTool(url="http://127.0.0.1:9", dialect="1.0", timeout=2)
    message = call(tool, message="hello")
    assert message.status == "error" and "could not be reached" in str(message.content)


def test_tool_names_are_provider_safe() -> None:
    assert tool_name("My Agent (beta)!") == "my_agent_beta"
    assert tool_name("") == "a2a_agent"
    assert len(tool_name("x" * 100)) == 64


def test_toolkit_from_elizacloud_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ELIZACLOUD_API_KEY", "ELIZAOS_CLOUD_API_KEY", "ELIZAOS_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    holder: dict[str, str] = {}

    async def discovery(request: Request) -> JSONResponse:
        assert request.query_params["types"] == "agent"
        base = holder["url"]
        return JSONResponse(
            {
                "services": [
                    {
                        "id": "a1",
                        "name": "Helper Bot",
                        "description": "Helps.",
                        "type": "agent",
                        "a2aEndpoint": f"{base}/api/agents/a1/a2a",
                    },
                    {"id": "m1", "name": "Only MCP", "type": "mcp", "mcpEndpoint": f"{base}/mcp"},
                ],
                "total": 2,
                "hasMore": False,
            }
        )

    async def agent_card(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "name": "Helper Bot",
                "description": "Helps.",
                "version": "1.0.0",
                "capabilities": {"streaming": True, "pushNotifications": False},
                "authentication": {"schemes": [{"scheme": "bearer"}]},
                "skills": [{"id": "chat", "name": "Chat"}],
            }
        )

    rpc = create_app(
        ScenarioAgent(),
        scenario_card(),
        InMemoryTaskStore(),
        api_key_auth([TEST_API_KEY]),
        rpc_path="/api/a2a",
    )
    cloud = Starlette(
        routes=[
            Route("/api/v1/discovery", discovery),
            Route("/api/agents/{agent_id}/a2a", agent_card),
            Mount("/", app=rpc),
        ]
    )
    with LiveServer(cloud) as live:
        holder["url"] = live.url
        toolkit = A2AToolkit.from_elizacloud(api_key=TEST_API_KEY, base_url=live.url)
        [tool] = toolkit.get_tools()
        assert tool.name == "helper_bot" and tool.description == "Helps."
        assert TEST_API_KEY not in repr(tool)
        assert isinstance(tool, A2AAgentTool)
        message = call(tool, message="hello agent")
    assert message.content == (
        "skill: [('agentId', 'a1'), ('message', 'hello agent'), ('skill', 'chat_with_agent')]"
    )
