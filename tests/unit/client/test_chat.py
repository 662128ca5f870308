"""Chat completions over a mock transport: streaming, errors before and during a stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from eliza_tools import (
    APIConnectionError,
    APIStatusError,
    AsyncElizaCloud,
    ElizaCloud,
    InsufficientCreditsError,
)
from tests.fakes import FAKE_API_KEY

BASE = "http://cloud.test/api/v1"
MODEL = "openai/gpt-4o-mini"
USER = [{"role": "user", "content": "hi"}]


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {} if content is None else {"content": content}
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


EVENTS = [_chunk("Hel"), _chunk("lo"), _chunk(None, "stop"), b"data: [DONE]\n\n"]


class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A streamed body, cut mid-event, that can break after its chunks and notes its closing."""

    def __init__(self, parts: list[bytes], *, then_break: bool = False) -> None:
        joined = b"".join(parts)
        self.parts = [joined[i : i + 7] for i in range(0, len(joined), 7)]
        self.then_break = then_break
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.parts
        if self.then_break:
            raise httpx.ReadError("connection reset")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            yield part
        if self.then_break:
            raise httpx.ReadError("connection reset")

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def _sync(response: httpx.Response, seen: list[httpx.Request]) -> ElizaCloud:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False, max_retries=0)


def _async(response: httpx.Response) -> AsyncElizaCloud:
    async def handler(request: httpx.Request) -> httpx.Response:
        return response

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False, max_retries=0)


def _sse(body: Body) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)


def test_sync_stream_yields_chunks_until_done_and_closes() -> None:
    body = Body([*EVENTS, _chunk("after done is ignored")])
    seen: list[httpx.Request] = []
    with _sync(_sse(body), seen) as cloud:
        stream = cloud.chat.completions.create(MODEL, USER, stream=True, max_tokens=5)
        chunks = list(stream)
    assert "".join(chunk.content for chunk in chunks) == "Hello"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert len(chunks) == 3
    assert body.closed
    sent = json.loads(seen[0].content)
    assert sent == {"model": MODEL, "messages": USER, "max_tokens": 5, "stream": True}


def test_closing_a_stream_early_releases_the_connection() -> None:
    body = Body(EVENTS)
    with _sync(_sse(body), []) as cloud:
        stream = cloud.chat.completions.create(MODEL, USER, stream=True)
        assert next(stream).content == "Hel"
        stream.close()
    assert body.closed


def test_closing_an_unread_stream_releases_the_connection() -> None:
    body = Body(EVENTS)
    with _sync(_sse(body), []) as cloud:
        cloud.chat.completions.create(MODEL, USER, stream=True).close()
    assert body.closed


def test_error_status_is_raised_by_create_not_by_iteration() -> None:
    error = {
        "error": {
            "message": "Insufficient credits. Required: $0.0123",
            "type": "insufficient_quota",
            "code": "insufficient_credits",
        }
    }
    with (
        _sync(httpx.Response(402, json=error), []) as cloud,
        pytest.raises(InsufficientCreditsError) as excinfo,
    ):
        cloud.chat.completions.create(MODEL, USER, stream=True)
    assert "Required: $0.0123" in str(excinfo.value)


def test_error_event_mid_stream_is_raised() -> None:
    failure = b'data: {"error":{"message":"upstream failed","type":"api_error"}}\n\n'
    with _sync(_sse(Body([EVENTS[0], failure])), []) as cloud:
        stream = cloud.chat.completions.create(MODEL, USER, stream=True)
        assert next(stream).content == "Hel"
        with pytest.raises(APIStatusError, match="upstream failed"):
            next(stream)


def test_broken_connection_mid_stream_is_a_connection_error() -> None:
    body = Body(EVENTS[:1], then_break=True)
    with _sync(_sse(body), []) as cloud:
        stream = cloud.chat.completions.create(MODEL, USER, stream=True)
        with pytest.raises(APIConnectionError):
            list(stream)
    assert body.closed


def test_non_stream_returns_the_completion() -> None:
    completion = {
        "id": "chatcmpl-2",
        "object": "chat.completion",
        "created": 2,
        "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    seen: list[httpx.Request] = []
    with _sync(httpx.Response(200, json=completion), seen) as cloud:
        result = cloud.chat.completions.create(MODEL, USER, web_search_enabled=True)
    assert result.content == "Hi"
    assert json.loads(seen[0].content)["webSearchEnabled"] is True
    assert "stream" not in json.loads(seen[0].content)


async def test_async_stream_matches_sync() -> None:
    body = Body(EVENTS)
    cloud = _async(_sse(body))
    async with cloud:
        stream = await cloud.chat.completions.create(MODEL, USER, stream=True)
        async with stream:
            chunks = [chunk async for chunk in stream]
    assert "".join(chunk.content for chunk in chunks) == "Hello"
    assert body.closed


async def test_async_broken_connection_mid_stream() -> None:
    body = Body(EVENTS[:1], then_break=True)
    async with _async(_sse(body)) as cloud:
        stream = await cloud.chat.completions.create(MODEL, USER, stream=True)
        with pytest.raises(APIConnectionError):
            _ = [chunk async for chunk in stream]
    assert body.closed
