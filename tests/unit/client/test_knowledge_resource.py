"""`client.knowledge` without sockets: the multipart upload, limits checked before sending,
and the 500-for-everything error style of the knowledge routes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from eliza_tools import AuthenticationError, ElizaCloud, InternalServerError, InvalidRequestError
from tests.fakes import FAKE_API_KEY
from tests.fixtures.clock import FakeClock
from tests.unit.client.test_voice_resource import _form, _never, _sparse

BASE = "http://cloud.test/api/v1"
UPLOADED = {"success": True, "data": [], "successCount": 0, "failedCount": 0, "totalCount": 0}


def _client(handler: object, clock: FakeClock | None = None) -> ElizaCloud:
    http = httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, clock=clock, rate_limit=False)


def test_upload_files_repeats_the_files_field_with_types_by_extension(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=UPLOADED)

    paths = []
    for name in ("guide.MD", "data.yml", "report.docx"):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(name.encode())
    with _client(handler) as cloud:
        cloud.knowledge.upload_files(paths, character_id="c-1")
    request = seen[0]
    assert request.url.path == "/api/v1/knowledge/upload-file"
    body = request.read()
    assert body.count(b'name="files"') == 3  # one repeated field, as formData.getAll("files")
    form = _form(request)  # the last `files` part wins in a dict; check it and the form field
    assert form["files"] == (
        "report.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"report.docx",
    )
    assert b'filename="guide.MD"\r\nContent-Type: text/markdown' in body
    assert b'filename="data.yml"\r\nContent-Type: text/yaml' in body
    assert form["characterId"][2] == b"c-1"


def test_upload_files_refuses_over_5_mb_without_reading(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "big.pdf", 5 * 1024 * 1024 + 1)
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.knowledge.upload_files([big])
    assert excinfo.value.field == "paths.0" and "5 MB" in excinfo.value.reason


def test_upload_files_refuses_over_5_mb_together(tmp_path: Path) -> None:
    halves = [_sparse(tmp_path / f"part{i}.csv", 3 * 1024 * 1024) for i in range(2)]
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.knowledge.upload_files(halves)
    assert excinfo.value.field == "paths" and "together" in excinfo.value.reason


@pytest.mark.parametrize("name", ["notes.exe", "notes", 'say"hi".txt', "a*b.md", "a..b.txt"])
def test_upload_files_refuses_names_the_server_refuses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x")
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.knowledge.upload_files([path])
    assert excinfo.value.field == "paths.0" and name in excinfo.value.reason


def test_auth_failure_500_is_not_retried_and_is_typed(fake_clock: FakeClock) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        body = {"error": "Failed to query knowledge", "details": "Invalid API key"}
        return httpx.Response(500, json=body)

    with _client(handler, fake_clock) as cloud, pytest.raises(AuthenticationError):
        cloud.knowledge.query("harbor")
    assert len(calls) == 1 and fake_clock.sleeps == []


def test_list_sends_its_query_and_reads_memories() -> None:
    seen: list[httpx.Request] = []
    memory = {"id": "d1", "content": {"text": "hello"}, "metadata": {"title": "a.txt"}}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"documents": [memory], "total": 1, "count": 1})

    with _client(handler) as cloud:
        page = cloud.knowledge.list(character_id="c-1", count=20, offset=40)
    assert dict(seen[0].url.params) == {"characterId": "c-1", "count": "20", "offset": "40"}
    assert page.documents[0].text == "hello" and page.documents[0].filename == "a.txt"


def test_upload_text_body_uses_wire_names() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True, "documentId": "d1", "fragmentCount": 2})

    with _client(handler) as cloud:
        result = cloud.knowledge.upload_text(
            '{"a": 1}', content_type="application/json", filename="a.json", character_id="c-1"
        )
    assert result.fragment_count == 2
    assert seen[0].read() == (
        b'{"content":"{\\"a\\": 1}","contentType":"application/json",'
        b'"filename":"a.json","characterId":"c-1"}'
    )


def test_a_real_server_error_still_raises(fake_clock: FakeClock) -> None:
    with (
        _client(lambda request: httpx.Response(500, json={"error": "Failed"}), fake_clock) as cloud,
        pytest.raises(InternalServerError),
    ):
        cloud.knowledge.check()
