"""Server-sent events: one JSON-RPC response per `data:` frame, the sequence number as `id:`.

The `id:` lets a client that lost the connection resume with `Last-Event-ID` and get exactly
the events it missed. Idle streams get a comment line every `keepalive` seconds so proxies
do not cut them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def frame(data: bytes, event_id: int | None = None) -> bytes:
    """One SSE event."""
    head = b"" if event_id is None else b"id: %d\n" % event_id
    return head + b"data: " + data + b"\n\n"


async def with_keepalive(frames: AsyncIterator[bytes], keepalive: float) -> AsyncIterator[bytes]:
    """Interleave `: ping` comments while the source is idle."""
    iterator = aiter(frames)
    pending: asyncio.Task[bytes] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            done, _ = await asyncio.wait({pending}, timeout=keepalive)
            if not done:
                yield b": ping\n\n"
                continue
            try:
                chunk = pending.result()
            except StopAsyncIteration:
                return
            pending = None
            yield chunk
    finally:
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()


def sse_response(frames: AsyncIterator[bytes], keepalive: float = 15.0) -> StreamingResponse:
    """A `text/event-stream` response from ready-made frames."""
    return StreamingResponse(
        with_keepalive(frames, keepalive), media_type="text/event-stream", headers=SSE_HEADERS
    )
