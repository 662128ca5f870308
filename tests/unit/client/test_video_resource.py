"""`client.video`: request body, progress while the server holds the request, downloads."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from eliza_tools import APIConnectionError, AsyncElizaCloud, ElizaCloud, NotFoundError
from eliza_tools._transport import WRITE, RouteFamily
from eliza_tools.resources.video import VIDEO_TIMEOUT, _generate
from tests.fakes import FAKE_API_KEY

BASE = "http://cloud.test/api/v1"
RESULT = {"video": {"url": "http://blob.test/v.mp4", "content_type": "video/mp4"}, "seed": 1}


def _client(handler: object) -> ElizaCloud:
    http = httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False)


def test_generate_call_is_billed_critical_and_long() -> None:
    call = _generate("a fox", model="fal-ai/veo3.1/lite")
    assert (call.method, call.path, call.json) == (
        "POST",
        "/generate-video",
        {"prompt": "a fox", "model": "fal-ai/veo3.1/lite"},
    )
    assert call.family is RouteFamily.CRITICAL
    assert call.policy is WRITE
    assert call.timeout == VIDEO_TIMEOUT > 300  # above the server's maxDuration


def test_progress_reports_elapsed_time_while_waiting() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(0.3)
        return httpx.Response(200, json=RESULT)

    elapsed: list[float] = []
    with _client(slow) as cloud:
        result = cloud.video.generate("a fox", progress=elapsed.append, progress_interval=0.05)
    assert result.video.url == "http://blob.test/v.mp4"
    assert len(elapsed) >= 3
    assert elapsed == sorted(elapsed) and elapsed[0] > 0


async def test_async_progress_reports_elapsed_time_while_waiting() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.3)
        return httpx.Response(200, json=RESULT)

    http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
    elapsed: list[float] = []
    async with AsyncElizaCloud(FAKE_API_KEY, BASE, http_client=http, rate_limit=False) as cloud:
        await cloud.video.generate("a fox", progress=elapsed.append, progress_interval=0.05)
    assert len(elapsed) >= 3 and elapsed == sorted(elapsed)


def test_download_sends_no_api_key_and_streams_to_file(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    payload = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 64

    def blob(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=payload, headers={"Content-Type": "video/mp4"})

    with _client(blob) as cloud:
        saved = cloud.video.download("https://blob.test/videos/v.mp4", tmp_path / "v.mp4")
    assert saved.size == len(payload) and saved.path.read_bytes() == payload
    assert "authorization" not in seen[0].headers and "x-api-key" not in seen[0].headers


def test_download_maps_error_status(tmp_path: Path) -> None:
    with (
        _client(lambda request: httpx.Response(404, text="blob not found")) as cloud,
        pytest.raises(NotFoundError),
    ):
        cloud.video.download("https://blob.test/v.mp4", tmp_path / "v.mp4")
    assert list(tmp_path.iterdir()) == []


def _files_in(folder: Path) -> list[Path]:
    return list(folder.iterdir())


class _Broken(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that breaks after its first chunk."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"first chunk"
        raise httpx.ReadError("connection reset")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"first chunk"
        raise httpx.ReadError("connection reset")


def test_broken_download_leaves_no_file(tmp_path: Path) -> None:
    with (
        _client(lambda request: httpx.Response(200, stream=_Broken())) as cloud,
        pytest.raises(APIConnectionError),
    ):
        cloud.video.download("https://blob.test/v.mp4", tmp_path / "v.mp4")
    assert list(tmp_path.iterdir()) == []


async def test_async_broken_download_leaves_no_file(tmp_path: Path) -> None:
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=_Broken()))
    )
    async with AsyncElizaCloud(FAKE_API_KEY, BASE, http_client=http) as cloud:
        with pytest.raises(APIConnectionError):
            await cloud.video.download("https://blob.test/v.mp4", tmp_path / "v.mp4")
    assert _files_in(tmp_path) == []


def test_download_refuses_non_http_urls(tmp_path: Path) -> None:
    with _client(lambda request: httpx.Response(500)) as cloud, pytest.raises(ValueError) as exc:
        cloud.video.download("file:///etc/passwd", tmp_path / "v")
    assert "url" in str(exc.value)


def test_request_body_is_json() -> None:
    call = _generate("a fox")
    assert json.dumps(call.json) == '{"prompt": "a fox"}'  # the server defaults the model
