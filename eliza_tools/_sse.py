"""Server-sent events: one incremental parser, and open streams for both clients.

`SSEDecoder` is pure (bytes in, events out, no I/O), so the sync and async
streams share every parsing rule and the unit tests can feed it any split of a
body. It follows the WHATWG rules: lines end in LF, CRLF or CR (also when the
CR and LF arrive in different chunks); `data:` lines of one event are joined
with LF; one space after the colon is dropped; `:` lines are comments; a blank
line dispatches the event. Unlike a browser, a last event the server did not
end with a blank line is still delivered, because some servers omit it after
`data: [DONE]`.

`Stream` / `AsyncStream` hold an open response (errors before the first byte
are raised when the stream is opened, as in the OpenAI SDK) and turn its
events into items with a per-event `decode` function that returns None to end
the stream (e.g. on OpenAI's `data: [DONE]`).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from contextlib import AsyncExitStack, ExitStack
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx

from eliza_tools._transport import AsyncTransport, Call, SyncTransport

T = TypeVar("T")

DONE = "[DONE]"  # OpenAI's end-of-stream marker


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event."""

    data: str
    event: str = "message"
    id: str | None = None
    retry: int | None = None

    def json(self) -> Any:
        """The data parsed as JSON."""
        return json.loads(self.data)


class SSEDecoder:
    """Incremental SSE parser: `feed` bytes as they arrive, then `close` at the end."""

    def __init__(self) -> None:
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # an incomplete line
        self._skip_lf = False  # the last chunk ended in CR: a leading LF belongs to it
        self._data: list[str] = []
        self._event = ""
        self._id: str | None = None
        self._retry: int | None = None
        self._has_fields = False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Parse a chunk; return the events it completed."""
        text = self._text.decode(chunk)
        if not text:
            return []  # only part of a multi-byte character so far
        if self._skip_lf and text.startswith("\n"):
            text = text[1:]
        self._skip_lf = text.endswith("\r")
        return self._lines(self._pending + text, final=False)

    def close(self) -> list[ServerSentEvent]:
        """End of body: flush the last line and deliver an event left undispatched."""
        events = self._lines(self._pending + self._text.decode(b"", final=True), final=True)
        event = self._dispatch()
        return [*events, event] if event is not None else events

    def _lines(self, text: str, *, final: bool) -> list[ServerSentEvent]:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._pending = "" if final else lines.pop()
        events: list[ServerSentEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _line(self, line: str) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # comment (servers send these as keep-alives)
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        self._has_fields = True
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._has_fields:
            return None
        event = None
        if self._data:  # per spec, an event without data lines is not dispatched
            event = ServerSentEvent(
                "\n".join(self._data), self._event or "message", self._id, self._retry
            )
        self._data, self._event, self._retry, self._has_fields = [], "", None, False
        return event  # `id` persists across events, as the spec says


def iter_sse(chunks: Iterable[bytes]) -> Iterator[ServerSentEvent]:
    """Events of a body arriving as byte chunks."""
    decoder = SSEDecoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.close()


async def aiter_sse(chunks: AsyncIterable[bytes]) -> AsyncIterator[ServerSentEvent]:
    """Async twin of `iter_sse`."""
    decoder = SSEDecoder()
    async for chunk in chunks:
        for event in decoder.feed(chunk):
            yield event
    for event in decoder.close():
        yield event


Decode = Callable[[ServerSentEvent], T | None]


class Stream(Generic[T]):
    """An open event stream on a blocking client; iterate it, or use it with `with`.

    The request is sent (and an error status raised) when the stream is made.
    The connection is released when the items run out, on `close()`, or when
    the `with` block ends.
    """

    def __init__(self, transport: SyncTransport, call: Call[Any], decode: Decode[T]) -> None:
        self._stack = ExitStack()
        self._response: httpx.Response = self._stack.enter_context(transport.stream(call))
        self._items = self._iterate(decode)

    def _iterate(self, decode: Decode[T]) -> Generator[T, None, None]:
        # Inside `with`, a broken connection passes through the transport's
        # stream context, which turns it into an APIConnectionError.
        with self._stack:
            for event in iter_sse(self._response.iter_bytes()):
                item = decode(event)
                if item is None:
                    return
                yield item

    def __iter__(self) -> Iterator[T]:
        return self._items

    def __next__(self) -> T:
        return next(self._items)

    def close(self) -> None:
        """Release the connection (also when iteration never started)."""
        self._items.close()
        self._stack.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """Async twin of `Stream`: made with `await AsyncStream.open(...)`, read with `async for`."""

    def __init__(self, stack: AsyncExitStack, response: httpx.Response, decode: Decode[T]) -> None:
        self._stack = stack
        self._response = response
        self._items = self._iterate(decode)

    @classmethod
    async def open(
        cls, transport: AsyncTransport, call: Call[Any], decode: Decode[T]
    ) -> AsyncStream[T]:
        """Send the request; raise its error status now, else return the open stream."""
        stack = AsyncExitStack()
        response = await stack.enter_async_context(transport.stream(call))
        return cls(stack, response, decode)

    async def _iterate(self, decode: Decode[T]) -> AsyncGenerator[T, None]:
        async with self._stack:
            async for event in aiter_sse(self._response.aiter_bytes()):
                item = decode(event)
                if item is None:
                    return
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items

    async def __anext__(self) -> T:
        return await anext(self._items)

    async def aclose(self) -> None:
        """Release the connection (also when iteration never started)."""
        await self._items.aclose()
        await self._stack.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
