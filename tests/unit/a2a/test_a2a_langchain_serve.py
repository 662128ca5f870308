"""serve_runnable: chains, chat models (streamed tokens), LangGraph graphs, cancellation."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableLambda
from langgraph.graph import START, MessagesState, StateGraph

from a2a.langchain import messages_input, serve_runnable
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import scenario_card
from tests.unit.a2a.test_a2a_server import V1, rpc, sse_events, v1_message


def client_for(runnable: Runnable[Any, Any], **options: Any) -> httpx.AsyncClient:
    app = serve_runnable(runnable, scenario_card(), store=InMemoryTaskStore(), **options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lc.test")


async def test_chain_output_becomes_the_artifact() -> None:
    async with client_for(RunnableLambda(lambda text: text.upper())) as client:
        task = (await rpc(client, "SendMessage", v1_message("shout"), V1))["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    assert task["artifacts"][0]["parts"] == [{"text": "SHOUT"}]


async def test_structured_output_is_a_data_part() -> None:
    async with client_for(RunnableLambda(lambda text: {"n": len(text)})) as client:
        task = (await rpc(client, "SendMessage", v1_message("four"), V1))["result"]["task"]
    assert task["artifacts"][0]["parts"] == [{"data": {"n": 4}}]


async def test_chat_model_tokens_stream_as_artifact_chunks() -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hello brave world")]))
    async with client_for(model) as client:
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "SendStreamingMessage",
            "params": v1_message("hi"),
        }
        events = sse_events((await client.post("/", json=body, headers=V1)).text)
    chunks = [e["result"]["artifactUpdate"] for _, e in events if "artifactUpdate" in e["result"]]
    assert len(chunks) > 1
    assert "".join(c["artifact"]["parts"][0]["text"] for c in chunks) == "hello brave world"
    assert chunks[0].get("append") is not True and all(c["append"] for c in chunks[1:])
    assert events[-1][1]["result"]["statusUpdate"]["status"]["state"] == "TASK_STATE_COMPLETED"


async def test_langgraph_graph_with_message_state() -> None:
    def reply(state: MessagesState) -> dict[str, Any]:
        return {"messages": [AIMessage(content=f"graph saw: {state['messages'][-1].content}")]}

    builder = StateGraph(MessagesState)
    builder.add_node("reply", reply)
    builder.add_edge(START, "reply")
    graph = builder.compile()
    async with client_for(graph, input_mapper=messages_input()) as client:
        task = (await rpc(client, "SendMessage", v1_message("ping"), V1))["result"]["task"]
    assert task["artifacts"][0]["parts"] == [{"text": "graph saw: ping"}]


async def test_cancelling_the_task_cancels_the_run() -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def slow(text: str) -> str:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return text

    async with client_for(RunnableLambda(slow)) as client:
        params = {**v1_message("wait"), "configuration": {"returnImmediately": True}}
        task = (await rpc(client, "SendMessage", params, V1))["result"]["task"]
        await asyncio.wait_for(started.wait(), 5)
        canceled = (await rpc(client, "CancelTask", {"id": task["id"]}, V1))["result"]
    assert canceled["status"]["state"] == "TASK_STATE_CANCELED"
    assert cancelled.is_set()
