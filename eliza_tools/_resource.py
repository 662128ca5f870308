"""Resources and endpoints: each API method is defined once, for sync and async.

A resource class (e.g. `Images`) is generic over the I/O mode. Its API methods
are `endpoint`s wrapping a *builder* function that turns the arguments into a
`Call`. Read through `ElizaCloud().images` the endpoint is a blocking method;
through `AsyncElizaCloud().images` the same endpoint is a coroutine method. So
signature, docstring, validation and parsing exist once; only the transport
differs. Methods that are more than one request (streaming to a file, polling a
job, paging) are written as small sync/async pairs on top of the endpoints.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload
from urllib.parse import quote

import httpx

from eliza_tools._transport import AsyncTransport, Call, Clock, SyncTransport
from eliza_tools.errors import InvalidRequestError

if TYPE_CHECKING:
    from typing import Self

P = ParamSpec("P")
T = TypeVar("T")
Envelope = TypeVar("Envelope")
PageT = TypeVar("PageT")
ModeT = TypeVar("ModeT", "Sync", "Async")


class Sync:
    """Marker: the resource belongs to a blocking client."""


class Async:
    """Marker: the resource belongs to an asyncio client."""


class APIResource(Generic[ModeT]):
    """Base of every resource; holds the transport of its client."""

    def __init__(self, transport: SyncTransport | AsyncTransport) -> None:
        self._transport = transport

    @property
    def _clock(self) -> Clock:
        """The client's clock: waits sleep on it, so tests can pass a fake one."""
        return self._transport.core.clock


class SyncResource(APIResource[Sync]):
    """A resource on a blocking client (for hand-written sync methods)."""

    _transport: SyncTransport


class AsyncResource(APIResource[Async]):
    """A resource on an asyncio client (for hand-written async methods)."""

    _transport: AsyncTransport


class endpoint(Generic[P, T]):
    """Descriptor making one builder function a sync or an async API method."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__
        self._name = build.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: APIResource[Sync], owner: type) -> Callable[P, T]: ...
    @overload
    def __get__(self, obj: APIResource[Async], owner: type) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, obj: APIResource[Any] | None, owner: type) -> Any:
        if obj is None:
            return self
        transport = obj._transport
        build = self._build
        if isinstance(transport, AsyncTransport):

            async def method_async(*args: P.args, **kwargs: P.kwargs) -> T:
                return await transport.run(build(*args, **kwargs))

            method: Callable[..., Any] = method_async
        else:

            def method_sync(*args: P.args, **kwargs: P.kwargs) -> T:
                return transport.run(build(*args, **kwargs))

            method = method_sync
        functools.update_wrapper(method, build)
        # Cache on the instance: later lookups skip the descriptor entirely.
        obj.__dict__[self._name] = method
        return method


def iter_stream(
    transport: SyncTransport, call: Call[Any], decode: Callable[[Iterator[bytes]], Iterator[T]]
) -> Iterator[T]:
    """Run a streaming call and decode its body chunks as they arrive."""
    with transport.stream(call) as response:
        yield from decode(response.iter_bytes())


async def aiter_stream(
    transport: AsyncTransport,
    call: Call[Any],
    decode: Callable[[AsyncIterator[bytes]], AsyncIterator[T]],
) -> AsyncIterator[T]:
    """Async twin of `iter_stream`."""
    async with transport.stream(call) as response:
        async for item in decode(response.aiter_bytes()):
            yield item


@dataclass(frozen=True)
class Pages(Generic[PageT, T]):
    """An offset-paged listing: the call for the page at an offset, the items of a page,
    and where the page after it starts (None after the last)."""

    call: Callable[[int], Call[PageT]]
    items: Callable[[PageT], Iterable[T]]
    next_offset: Callable[[PageT, int], int | None]


def iter_pages(transport: SyncTransport, pages: Pages[PageT, T]) -> Iterator[T]:
    """The items of a paged listing, fetching each page when iteration reaches it."""
    offset: int | None = 0
    while offset is not None:
        page = transport.run(pages.call(offset))
        yield from pages.items(page)
        offset = pages.next_offset(page, offset)


async def aiter_pages(transport: AsyncTransport, pages: Pages[PageT, T]) -> AsyncIterator[T]:
    """Async twin of `iter_pages`."""
    offset: int | None = 0
    while offset is not None:
        page = await transport.run(pages.call(offset))
        for item in pages.items(page):
            yield item
        offset = pages.next_offset(page, offset)


def parse_as(model: Callable[..., T] | type[T]) -> Callable[[Any], T]:
    """A `Call.parse` that validates the JSON body into a pydantic model."""
    validate = model.model_validate_json  # type: ignore[union-attr]

    def parse(response: Any) -> T:
        result: T = validate(response.content)
        return result

    return parse


def unwrap(model: type[Envelope], pick: Callable[[Envelope], T]) -> Callable[[httpx.Response], T]:
    """A `Call.parse` that validates the `{success, ...}` envelope and returns its payload."""
    parse = parse_as(model)

    def parse_inner(response: httpx.Response) -> T:
        return pick(parse(response))

    return parse_inner


def path_id(value: str, field: str) -> str:
    """An id as one path segment; an empty id is refused before sending."""
    if not value.strip():
        raise InvalidRequestError(field, "must not be empty")
    return quote(value, safe="")
