"""Contract: OpenAI-compatible chat completions, whole and streamed."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from eliza_tools._sse import AsyncStream, Stream
from eliza_tools.types.chat import ChatCompletionChunk
from tests.contract.helpers import resolved

MODEL = "openai/gpt-4o-mini"


async def _collect(
    stream: Stream[ChatCompletionChunk] | AsyncStream[ChatCompletionChunk],
) -> list[ChatCompletionChunk]:
    if isinstance(stream, AsyncStream):
        async with stream:
            return [chunk async for chunk in stream]
    with stream:
        return list(stream)


async def test_chat_completions_create(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    messages = [
        {"role": "system", "content": "Answer in one word."},
        {"role": "user", "content": "Capital of France?"},
    ]
    completion = await resolved(
        cloud.chat.completions.create(MODEL, messages, temperature=0.2, max_tokens=16)
    )
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.model == MODEL
    assert len(completion.choices) == 1
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.content
    assert completion.usage is not None
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


async def test_chat_completions_create_stream(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    stream = await resolved(
        cloud.chat.completions.create(
            MODEL, [{"role": "user", "content": "Count to three."}], stream=True
        )
    )
    chunks = await _collect(stream)
    assert len(chunks) >= 2
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert len({chunk.id for chunk in chunks}) == 1  # one completion
    text = "".join(chunk.content for chunk in chunks)
    assert text
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.choices[0].delta.content is None
    assert all(chunk.choices[0].finish_reason is None for chunk in chunks[:-1])


async def test_chat_completions_create_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud,
) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    user = [{"role": "user", "content": "hi"}]
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.chat.completions.create(MODEL, []))
    assert excinfo.value.field == "messages"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.chat.completions.create(MODEL, user, temperature=3))
    assert excinfo.value.field == "temperature"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.chat.completions.create(MODEL, [{"role": "robot", "content": "x"}]))
    assert excinfo.value.field == "messages.0.role"
