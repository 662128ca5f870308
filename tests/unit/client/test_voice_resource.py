"""`client.voice` without sockets: multipart bodies, limits checked before sending,
TTS streamed to disk in constant memory, and `wait_for_clone` on the fake clock."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
import tracemalloc
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eliza_tools import (
    AsyncElizaCloud,
    ElizaCloud,
    InsufficientCreditsError,
    InvalidRequestError,
    ServiceUnavailableError,
)
from eliza_tools._transport import WRITE, RouteFamily
from eliza_tools.errors import JobFailedError, JobTimeoutError
from eliza_tools.resources.voice import _tts, sniff_audio
from eliza_tools.types.voice import CloneResult
from tests.fakes import FAKE_API_KEY
from tests.fixtures.clock import FakeClock

BASE = "http://cloud.test/api/v1"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + bytes(28)
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00" + bytes(16)
MP4_VIDEO = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + bytes(16)
Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, clock: FakeClock | None = None) -> ElizaCloud:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return ElizaCloud(FAKE_API_KEY, BASE, http_client=http, clock=clock, rate_limit=False)


def _async_client(handler: Handler, clock: FakeClock | None = None) -> AsyncElizaCloud:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncElizaCloud(FAKE_API_KEY, BASE, http_client=http, clock=clock, rate_limit=False)


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent, got {request.method} {request.url}")


def _form(request: httpx.Request) -> dict[str, tuple[str | None, str, bytes]]:
    """The multipart body as {field: (filename, content type, bytes)}, parsed by the stdlib."""
    raw = b"Content-Type: " + request.headers["content-type"].encode() + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw + request.read())
    parts: dict[str, tuple[str | None, str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(name, str) and isinstance(payload, bytes)
        parts[name] = (part.get_filename(), part.get_content_type(), payload)
    return parts


# --- multipart bodies -------------------------------------------------------------------


def test_transcribe_sends_audio_field_with_the_sniffed_type(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def stt(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"transcript": "hi", "duration_ms": 900})

    sample = tmp_path / "greeting"  # no extension: the type comes from the bytes
    sample.write_bytes(M4A)
    with _client(stt) as cloud:
        result = cloud.voice.transcribe(sample, language_code="en")
    assert (result.transcript, result.duration_ms) == ("hi", 900)
    form = _form(seen[0])
    assert seen[0].url.path == "/api/v1/voice/stt"
    assert form["audio"] == ("greeting.m4a", "audio/mp4", M4A)
    assert form["languageCode"][2] == b"en"


def test_transcribe_accepts_bytes_and_file_objects() -> None:
    bodies: list[dict[str, tuple[str | None, str, bytes]]] = []

    def stt(request: httpx.Request) -> httpx.Response:
        bodies.append(_form(request))
        return httpx.Response(200, json={"transcript": "", "duration_ms": 1})

    with _client(stt) as cloud:
        cloud.voice.transcribe(MP3)
        cloud.voice.transcribe(io.BytesIO(MP3))
    assert bodies[0]["audio"] == ("audio.mp3", "audio/mpeg", MP3)
    assert bodies[1]["audio"] == ("audio.mp3", "audio/mpeg", MP3)
    assert "languageCode" not in bodies[0]


def test_clone_sends_numbered_file_fields_and_settings_as_json(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    answer = {
        "success": True,
        "voice": {"id": "v1", "name": "Narrator", "cloneType": "professional"},
        "job": {"id": "j1", "status": "pending", "progress": 0},
        "creditsDeducted": 1.67,
        "estimatedCompletionTime": "30-60 minutes",
    }

    def clone(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json=answer)

    take = tmp_path / "take1.wav"
    take.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24))
    with _client(clone) as cloud:
        result = cloud.voice.clone(
            "Narrator",
            [take, MP3],
            clone_type="professional",
            description="calm",
            settings={"stability": 0.5},
        )
    assert result.job.status == "pending" and result.credits_deducted == 1.67
    form = _form(seen[0])
    assert form["name"][2] == b"Narrator"
    assert form["cloneType"][2] == b"professional"
    assert form["description"][2] == b"calm"
    assert json.loads(form["settings"][2]) == {"stability": 0.5}
    assert form["file0"][:2] == ("take1.wav", "audio/wav")
    assert form["file1"] == ("sample.mp3", "audio/mpeg", MP3)


def test_tts_call_is_billed_unlimited_and_asks_for_audio() -> None:
    call = _tts("hello", voice_id="EXAVITQu4vr4xnSDxMaL", model_id="eleven_v3")
    assert call.json == {"text": "hello", "voiceId": "EXAVITQu4vr4xnSDxMaL", "modelId": "eleven_v3"}
    assert call.policy is WRITE and call.family is RouteFamily.UNLIMITED
    assert call.options["extra_headers"]["Accept"] == "audio/mpeg"


# --- limits checked before sending ------------------------------------------------------


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # no data written: the size check must not read it
    return path


def test_transcribe_refuses_over_25_mb_without_reading(tmp_path: Path) -> None:
    big = _sparse(tmp_path / "long.mp3", 25 * 1024 * 1024 + 1)
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.voice.transcribe(big)
    assert excinfo.value.field == "file" and "25 MB" in excinfo.value.reason


def test_transcribe_refuses_an_oversized_unseekable_stream() -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"\xff" * len(buffer)
            return len(buffer)

    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.voice.transcribe(io.BufferedReader(Pipe()))
    assert excinfo.value.field == "file"


@pytest.mark.parametrize(
    ("content", "hint"),
    [(b"%PDF-1.7", "not a supported audio file"), (MP4_VIDEO, "not a supported audio file")],
)
def test_transcribe_refuses_what_the_server_would(content: bytes, hint: str) -> None:
    # An `isom` MP4 is read as video/mp4 by the server's magic-byte check: refused there too.
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.voice.transcribe(content)
    assert hint in excinfo.value.reason


def test_clone_refuses_over_100_mb_together_before_reading(tmp_path: Path) -> None:
    files = [_sparse(tmp_path / f"take{i}.mp3", 60 * 1024 * 1024) for i in range(2)]
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.voice.clone("Narrator", files)
    assert excinfo.value.field == "files" and "100 MB" in excinfo.value.reason


@pytest.mark.parametrize("files", [[], [MP3] * 11])
def test_clone_needs_1_to_10_files(files: list[bytes]) -> None:
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.voice.clone("Narrator", files)
    assert excinfo.value.field == "files"


def test_clone_refuses_a_bare_path_instead_of_a_list(tmp_path: Path) -> None:
    with _client(_never) as cloud, pytest.raises(InvalidRequestError):
        cloud.voice.clone("Narrator", str(tmp_path / "take.mp3"))


def test_clone_type_is_checked() -> None:
    with _client(_never) as cloud, pytest.raises(InvalidRequestError) as excinfo:
        cloud.voice.clone("Narrator", [MP3], clone_type="deluxe")  # type: ignore[arg-type]
    assert excinfo.value.field == "clone_type"


def test_sniff_audio_knows_the_server_formats() -> None:
    assert sniff_audio(MP3) == "mp3"
    assert sniff_audio(b"\xff\xfb\x90\x64") == "mp3"
    assert sniff_audio(b"\xff\xf1\x50\x80") is None  # AAC ADTS, not MP3
    assert sniff_audio(M4A) == "m4a"
    assert sniff_audio(b"OggS\x00\x02") == "ogg"
    assert sniff_audio(b"\x1a\x45\xdf\xa3\x01") == "webm"


# --- streamed TTS -----------------------------------------------------------------------

CHUNK = 64 * 1024
CHUNKS = 160  # 10 MiB of audio


class _Audio(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A long chunked MP3 body, produced on the fly so the test itself holds no copy."""

    def __iter__(self) -> Iterator[bytes]:
        yield MP3
        for _ in range(CHUNKS):
            yield b"\x00" * CHUNK

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def _tts_handler(requests: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, headers={"Content-Type": "audio/mpeg"}, stream=_Audio())

    return handler


def test_tts_to_file_streams_in_constant_memory(tmp_path: Path) -> None:
    requests: list[httpx.Request] = []
    target = tmp_path / "speech.mp3"
    with _client(_tts_handler(requests)) as cloud:
        tracemalloc.start()
        try:
            saved = cloud.voice.tts_to_file(target, "a long text")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert saved.size == len(MP3) + CHUNK * CHUNKS == target.stat().st_size
    assert peak < 2 * 1024 * 1024  # 10 MiB written, never held
    assert json.loads(requests[0].content) == {"text": "a long text"}


async def test_async_tts_to_file_streams_in_constant_memory(tmp_path: Path) -> None:
    target = tmp_path / "speech.mp3"
    async with _async_client(_tts_handler([])) as cloud:
        tracemalloc.start()
        try:
            saved = await cloud.voice.tts_to_file(target, "a long text")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert saved.size == len(MP3) + CHUNK * CHUNKS
    assert peak < 2 * 1024 * 1024


def test_tts_stream_checks_now_and_sends_on_iteration() -> None:
    requests: list[httpx.Request] = []
    with _client(_tts_handler(requests)) as cloud:
        with pytest.raises(InvalidRequestError):
            cloud.voice.tts_stream("")
        chunks = cloud.voice.tts_stream("hello")
        assert requests == []
        assert next(iter(chunks)).startswith(b"ID3")
        assert len(requests) == 1


async def test_tts_stream_error_status_raises_the_typed_error() -> None:
    def broke(request: httpx.Request) -> httpx.Response:
        body = {"error": "Insufficient credits for text-to-speech", "required": 0.5}
        return httpx.Response(402, json=body)

    async with _async_client(broke) as cloud:
        with pytest.raises(InsufficientCreditsError) as excinfo:
            async for _ in cloud.voice.tts_stream("hello"):
                pass
    assert excinfo.value.required_usd == 0.5


def test_failed_tts_stream_leaves_no_file(tmp_path: Path) -> None:
    def broke(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": "Voice service is temporarily unavailable"})

    with _client(broke) as cloud, pytest.raises(ServiceUnavailableError):
        cloud.voice.tts_to_file(tmp_path / "x.mp3", "hello", max_retries=0)
    assert not any(tmp_path.iterdir())


# --- wait_for_clone on the fake clock ---------------------------------------------------

VOICE = {"id": "v1", "name": "Narrator", "elevenlabsVoiceId": "el1", "isActive": True}
CLONED = CloneResult.model_validate(
    {"voice": VOICE, "job": {"id": "j1", "status": "processing", "progress": 5}}
)


def _job(status: str, **extra: Any) -> dict[str, Any]:
    return {"id": "j1", "voiceName": "Narrator", "status": status, **extra}


def _server(job_answers: list[list[dict[str, Any]]], voice: dict[str, Any] | None = VOICE) -> Any:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/voice/jobs"):
            jobs = job_answers.pop(0) if len(job_answers) > 1 else job_answers[0]
            return httpx.Response(200, json={"success": True, "jobs": jobs})
        if voice is None:
            return httpx.Response(404, json={"error": "Voice not found"})
        return httpx.Response(200, json={"success": True, "voice": voice})

    return handler, calls


def test_wait_for_clone_polls_with_growing_intervals(fake_clock: FakeClock) -> None:
    processing = [_job("processing")]
    handler, calls = _server([processing, processing, processing, []])
    with _client(handler, fake_clock) as cloud:
        voice = cloud.voice.wait_for_clone(CLONED, poll_interval=2.0, max_interval=4.0)
    assert voice.id == "v1" and voice.elevenlabs_voice_id == "el1"
    assert fake_clock.sleeps == [2.0, 3.0, 4.0]  # x1.5, capped at max_interval
    assert calls == ["/api/v1/voice/jobs"] * 4 + ["/api/v1/voice/v1"]


def test_wait_for_clone_by_voice_id_matches_the_job_by_name(fake_clock: FakeClock) -> None:
    other = {"id": "j9", "voiceName": "Someone else", "status": "processing"}
    handler, calls = _server([[other, _job("pending")], [other]])
    with _client(handler, fake_clock) as cloud:
        voice = cloud.voice.wait_for_clone("v1", poll_interval=1.0)
    assert voice.name == "Narrator"
    assert calls[0] == "/api/v1/voice/v1" and calls[-1] == "/api/v1/voice/v1"
    assert fake_clock.sleeps == [1.0]


def test_wait_for_clone_raises_when_the_job_fails(fake_clock: FakeClock) -> None:
    handler, _ = _server([[_job("processing")], [_job("failed", errorMessage="audio too noisy")]])
    with _client(handler, fake_clock) as cloud, pytest.raises(JobFailedError) as excinfo:
        cloud.voice.wait_for_clone(CLONED, poll_interval=1.0)
    assert excinfo.value.job_id == "j1" and "audio too noisy" in str(excinfo.value)


def test_wait_for_clone_raises_when_the_voice_is_gone(fake_clock: FakeClock) -> None:
    handler, _ = _server([[]], voice=None)
    with _client(handler, fake_clock) as cloud, pytest.raises(JobFailedError):
        cloud.voice.wait_for_clone(CLONED)


def test_wait_for_clone_times_out_on_the_clock(fake_clock: FakeClock) -> None:
    handler, _ = _server([[_job("processing")]])
    with _client(handler, fake_clock) as cloud, pytest.raises(JobTimeoutError) as excinfo:
        cloud.voice.wait_for_clone(CLONED, timeout=60.0, poll_interval=5.0, max_interval=20.0)
    assert sum(fake_clock.sleeps) == pytest.approx(60.0)  # the last sleep is cut to the deadline
    assert excinfo.value.status == "processing" and excinfo.value.waited == pytest.approx(60.0)


def test_wait_for_clone_returns_at_once_when_already_completed(fake_clock: FakeClock) -> None:
    done = CloneResult.model_validate({"voice": VOICE, "job": {"id": "j1", "status": "completed"}})
    handler, calls = _server([[]])
    with _client(handler, fake_clock) as cloud:
        assert cloud.voice.wait_for_clone(done).id == "v1"
    assert calls == ["/api/v1/voice/v1"] and fake_clock.sleeps == []


async def test_async_wait_for_clone_sleeps_on_the_transport_clock(fake_clock: FakeClock) -> None:
    handler, _ = _server([[_job("processing")], [_job("processing")], []])
    async with _async_client(handler, fake_clock) as cloud:
        voice = await cloud.voice.wait_for_clone(CLONED, poll_interval=0.5)
    assert voice.id == "v1"
    assert fake_clock.sleeps == [0.5, 0.75]
