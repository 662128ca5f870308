"""HTTP-level rules of the server: the request Content-Type, and agent card caching."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from email.utils import parsedate_to_datetime

import httpx
import pytest

from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from tests.fixtures.a2a import ScenarioAgent, scenario_card

V1 = {"A2A-Version": "1.0"}
GET_UNKNOWN = {"jsonrpc": "2.0", "id": 7, "method": "GetTask", "params": {"id": "nope"}}
CARD = "/.well-known/agent-card.json"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(ScenarioAgent(), scenario_card(), store=InMemoryTaskStore())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://agent.test") as c:
        yield c


@pytest.mark.parametrize(
    "content_type",
    [
        None,  # no Content-Type: parsed as JSON (the spec asks nothing of the server here)
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/a2a+json",
        "application/a2a+json;charset=UTF-8",
        "application/json-rpc",
    ],
)
async def test_json_content_types_are_accepted(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = dict(V1) if content_type is None else {**V1, "Content-Type": content_type}
    response = await client.post("/", content=json.dumps(GET_UNKNOWN), headers=headers)
    # The request was read and run: the task is unknown (-32001), not a content type error.
    assert response.json()["error"]["code"] == -32001


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
async def test_other_content_types_are_content_type_not_supported(
    client: httpx.AsyncClient, content_type: str
) -> None:
    # Even a valid JSON body: the declared type is checked before the body is read.
    headers = {**V1, "Content-Type": content_type}
    response = await client.post("/", content=json.dumps(GET_UNKNOWN), headers=headers)
    assert response.status_code == 200
    answer = response.json()
    assert answer["id"] is None
    assert answer["error"]["code"] == -32005
    assert content_type.split(";")[0] in answer["error"]["message"]
    assert "application/json" in answer["error"]["message"]
    # Asked in 1.0: the 1.0 error shape with its ErrorInfo.
    assert answer["error"]["data"][0]["reason"] == "CONTENT_TYPE_NOT_SUPPORTED"


async def test_content_type_error_in_0_3_has_no_error_info(client: httpx.AsyncClient) -> None:
    response = await client.post("/", content=b"hello", headers={"Content-Type": "text/plain"})
    error = response.json()["error"]
    assert error["code"] == -32005 and not isinstance(error.get("data"), list)


@pytest.mark.parametrize("path", [CARD, "/.well-known/agent.json"])
async def test_card_has_cache_validators_and_answers_304(
    client: httpx.AsyncClient, path: str
) -> None:
    first = await client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first.headers["cache-control"] == "public, max-age=300"
    parsedate_to_datetime(first.headers["last-modified"])  # an HTTP date
    again = await client.get(path)
    assert again.headers["etag"] == etag and again.content == first.content

    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        cached = await client.get(path, headers={"If-None-Match": header})
        assert cached.status_code == 304, header
        assert cached.content == b""
        assert cached.headers["etag"] == etag
        assert cached.headers["last-modified"] == first.headers["last-modified"]

    stale = await client.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content


async def test_the_two_card_paths_have_different_etags(client: httpx.AsyncClient) -> None:
    modern = await client.get(CARD)
    legacy = await client.get("/.well-known/agent.json")
    assert modern.headers["etag"] != legacy.headers["etag"]
    # A validator of one card does not revalidate the other.
    crossed = await client.get(CARD, headers={"If-None-Match": legacy.headers["etag"]})
    assert crossed.status_code == 200
