"""`client.chat.completions`: OpenAI-compatible chat (`POST /api/v1/chat/completions`).

`create(..., stream=True)` returns an open `Stream` of `ChatCompletionChunk`s
parsed from the server's SSE body (`data: {chunk}` ... `data: [DONE]`). The
request is sent when `create` is called, so an error status (bad model, no
credits) is raised there, not on the first iteration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Unpack, overload

from eliza_tools._resource import AsyncResource, SyncResource, parse_as
from eliza_tools._sse import DONE, AsyncStream, ServerSentEvent, Stream
from eliza_tools._transport import (
    WRITE,
    AsyncTransport,
    Call,
    RequestOptions,
    RouteFamily,
    SyncTransport,
)
from eliza_tools.errors import error_from_response
from eliza_tools.types._base import validate_request
from eliza_tools.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionOptions,
    ChatCompletionRequest,
    ChatMessage,
)

MessageParam = ChatMessage | Mapping[str, Any]
_REQUEST_OPTIONS = frozenset(RequestOptions.__annotations__)


def completion_call(
    model: str,
    messages: Sequence[MessageParam],
    *,
    stream: bool,
    **params: Unpack[ChatCompletionOptions],
) -> Call[ChatCompletion]:
    """The request of `create`: validated body, RELAXED family, billed (WRITE)."""
    options: RequestOptions = {k: v for k, v in params.items() if k in _REQUEST_OPTIONS}  # type: ignore[assignment]
    sampling = {k: v for k, v in params.items() if k not in _REQUEST_OPTIONS}
    body = validate_request(
        ChatCompletionRequest,
        model=model,
        messages=list(messages),
        stream=True if stream else None,
        **sampling,
    )
    return Call(
        "POST",
        "/chat/completions",
        parse_as(ChatCompletion),
        family=RouteFamily.RELAXED,
        policy=WRITE,
        json=body.to_wire(),
        timeout=800.0,  # the server may hold a completion up to its maxDuration of 800 s
        options=options,
    )


def decode_chunk(event: ServerSentEvent) -> ChatCompletionChunk | None:
    """One SSE event as a chunk; None at `[DONE]`; an `{"error": ...}` event is raised."""
    if event.data.strip() == DONE:
        return None
    payload = event.json()
    if isinstance(payload, dict) and "error" in payload and "choices" not in payload:
        # The status line already said 200; the error arrived mid-stream.
        raise error_from_response(500, event.data.encode())
    return ChatCompletionChunk.model_validate(payload)


class Completions(SyncResource):
    """Chat completions on a blocking client."""

    @overload
    def create(
        self,
        model: str,
        messages: Sequence[MessageParam],
        *,
        stream: Literal[False] = False,
        **params: Unpack[ChatCompletionOptions],
    ) -> ChatCompletion: ...
    @overload
    def create(
        self,
        model: str,
        messages: Sequence[MessageParam],
        *,
        stream: Literal[True],
        **params: Unpack[ChatCompletionOptions],
    ) -> Stream[ChatCompletionChunk]: ...
    def create(
        self,
        model: str,
        messages: Sequence[MessageParam],
        *,
        stream: bool = False,
        **params: Unpack[ChatCompletionOptions],
    ) -> ChatCompletion | Stream[ChatCompletionChunk]:
        """Complete a conversation; with `stream=True`, an open stream of chunks.

        Optional: temperature (0..2), max_tokens, top_p (0..1), frequency_penalty and
        presence_penalty (-2..2), stop, web_search_enabled, web_search_max_uses, plus
        the per-call timeout / max_retries / extra_headers. Billed: retried only when
        the server provably did not start the work.
        """
        call = completion_call(model, messages, stream=stream, **params)
        if stream:
            return Stream(self._transport, call, decode_chunk)
        return self._transport.run(call)


class AsyncCompletions(AsyncResource):
    """Chat completions on an asyncio client."""

    @overload
    async def create(
        self,
        model: str,
        messages: Sequence[MessageParam],
        *,
        stream: Literal[False] = False,
        **params: Unpack[ChatCompletionOptions],
    ) -> ChatCompletion: ...
    @overload
    async def create(
        self,
        model: str,
        messages: Sequence[MessageParam],
        *,
        stream: Literal[True],
        **params: Unpack[ChatCompletionOptions],
    ) -> AsyncStream[ChatCompletionChunk]: ...
    async def create(
        self,
        model: str,
        messages: Sequence[MessageParam],
        *,
        stream: bool = False,
        **params: Unpack[ChatCompletionOptions],
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        """Async twin of `Completions.create`: `await` it, then `async for` a stream."""
        call = completion_call(model, messages, stream=stream, **params)
        if stream:
            return await AsyncStream.open(self._transport, call, decode_chunk)
        return await self._transport.run(call)


class Chat(SyncResource):
    """`client.chat`: holds `completions`, as in the OpenAI SDK."""

    def __init__(self, transport: SyncTransport) -> None:
        super().__init__(transport)
        self.completions = Completions(transport)


class AsyncChat(AsyncResource):
    """Async twin of `Chat`."""

    def __init__(self, transport: AsyncTransport) -> None:
        super().__init__(transport)
        self.completions = AsyncCompletions(transport)
