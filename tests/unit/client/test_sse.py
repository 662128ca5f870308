"""The SSE parser: every way a body can be cut into chunks gives the same events."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator

from hypothesis import given
from hypothesis import strategies as st

from eliza_tools._sse import ServerSentEvent, SSEDecoder, aiter_sse, iter_sse

BODY = (
    ": keep-alive comment\r\n"
    "event: delta\r\n"
    "id: 7\r\n"
    "retry: 1500\r\n"
    'data: {"text":"héllo"}\r\n'
    "\r\n"
    "data:no space\n"
    "data:  two spaces\n"
    "\n"
    "data: line one\r"
    "data: line two\r"
    "\r"
    "event: ignored-without-data\n"
    "\n"
    "data: [DONE]"  # no final blank line: still delivered
).encode()

EXPECTED = [
    ServerSentEvent('{"text":"héllo"}', "delta", "7", 1500),
    ServerSentEvent("no space\n two spaces", "message", "7"),
    ServerSentEvent("line one\nline two", "message", "7"),
    ServerSentEvent("[DONE]", "message", "7"),
]


def _split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(body), *(c % (len(body) + 1) for c in cuts)})
    return [body[a:b] for a, b in itertools.pairwise(points)]


def test_parses_fields_comments_and_line_endings() -> None:
    assert list(iter_sse([BODY])) == EXPECTED


def test_one_byte_at_a_time() -> None:
    assert list(iter_sse(BODY[i : i + 1] for i in range(len(BODY)))) == EXPECTED


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=30))
def test_any_chunking_gives_the_same_events(cuts: list[int]) -> None:
    assert list(iter_sse(_split(BODY, cuts))) == EXPECTED


def test_crlf_split_across_chunks_is_one_line_ending() -> None:
    # "\r" then "\n" in the next chunk must not count as two line endings (= a blank line).
    chunks = [b"data: a\r", b"\ndata: b\r", b"\n", b"\r\n"]
    assert list(iter_sse(chunks)) == [ServerSentEvent("a\nb")]


def test_cr_then_lone_lf_chunk_then_blank_line() -> None:
    assert list(iter_sse([b"data: a\r", b"\n", b"\n"])) == [ServerSentEvent("a")]


def test_multibyte_character_split_between_chunks() -> None:
    body = "data: ☃\n\n".encode()
    cut = body.index("☃".encode()) + 1
    assert list(iter_sse([body[:cut], body[cut:]])) == [ServerSentEvent("☃")]


def test_feed_returns_only_completed_events() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: par") == []
    assert decoder.feed(b"tial\n") == []
    assert decoder.feed(b"\n") == [ServerSentEvent("partial")]
    assert decoder.close() == []


def test_json_helper() -> None:
    assert ServerSentEvent('{"a": [1, 2]}').json() == {"a": [1, 2]}


async def test_async_twin_matches() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for part in _split(BODY, [3, 50, 51, 90, 120]):
            yield part

    assert [event async for event in aiter_sse(chunks())] == EXPECTED
