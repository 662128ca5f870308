"""Discovery paging and query encoding over a mock transport."""

from __future__ import annotations

from typing import Any

import httpx

from eliza_tools import AsyncElizaCloud, ElizaCloud
from tests.fakes import FAKE_API_KEY

BASE = "http://cloud.test/api/v1"


def _service(n: int) -> dict[str, Any]:
    return {"id": f"s{n}", "name": f"S{n}", "type": "agent", "tags": []}


def _page(ids: list[int], offset: int, *, has_more: bool) -> dict[str, Any]:
    return {
        "services": [_service(n) for n in ids],
        "total": 99,
        "hasMore": has_more,
        "pagination": {"limit": 2, "offset": offset},
    }


PAGES = {
    "0": _page([0, 1], 0, has_more=True),
    "2": _page([2, 3], 2, has_more=True),
    "4": _page([], 4, has_more=True),  # a server that miscounts: must still end
}


def _handler(seen: list[httpx.Request], pages: dict[str, Any] = PAGES) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages[request.url.params["offset"]])

    return handler


def test_iter_all_walks_pages_and_stops_on_an_empty_page() -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(_handler(seen)))
    with ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False) as cloud:
        ids = [s.id for s in cloud.discovery.iter_all(page_size=2, types=["agent", "mcp"])]
    assert ids == ["s0", "s1", "s2", "s3"]
    assert [r.url.params["offset"] for r in seen] == ["0", "2", "4"]
    assert all(r.url.params["types"] == "agent,mcp" for r in seen)


def test_iter_all_stops_when_has_more_is_false() -> None:
    seen: list[httpx.Request] = []
    last = {"0": _page([0, 1], 0, has_more=False)}
    http = httpx.Client(transport=httpx.MockTransport(_handler(seen, last)))
    with ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False) as cloud:
        assert len(list(cloud.discovery.iter_all(page_size=2))) == 2
    assert len(seen) == 1


def test_search_encodes_lists_as_csv_and_booleans_as_words() -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(_handler(seen)))
    with ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False) as cloud:
        cloud.discovery.search(
            "weather", categories=["a", "b"], tags=("x",), x402_only=True, active_only=False
        )
    assert dict(seen[0].url.params) == {
        "query": "weather",
        "categories": "a,b",
        "tags": "x",
        "limit": "50",
        "offset": "0",
        "x402Only": "true",
        "activeOnly": "false",
    }


async def test_async_iter_all_matches() -> None:
    seen: list[httpx.Request] = []
    http = httpx.AsyncClient(transport=httpx.MockTransport(_handler(seen)))
    async with AsyncElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False) as cloud:
        ids = [s.id async for s in cloud.discovery.iter_all(page_size=2)]
    assert ids == ["s0", "s1", "s2", "s3"]
    assert len(seen) == 3
