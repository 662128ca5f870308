"""Voice: TTS streams decodable MP3 in chunks, STT checks magic bytes, clones progress."""

from __future__ import annotations

import io
import time

import av
import httpx
import pytest

from eliza_tools import pricing
from eliza_tools.emulator import EmulatorHandle
from tests.fixtures.emulator import auth_headers


def test_tts_streams_chunked_playable_mp3(shared: httpx.Client) -> None:
    text = "Hello from the emulator"
    with shared.stream("POST", "/api/v1/voice/tts", json={"text": text}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "audio/mpeg"
        assert r.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in r.headers
        assert "x-ratelimit-limit" not in r.headers  # voice routes are not rate limited
        chunks = list(r.iter_raw())
    audio = b"".join(chunks)
    assert len(chunks) > 1
    with av.open(io.BytesIO(audio), mode="r") as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name.startswith("mp3")
        samples = sum(int(frame.samples) for frame in container.decode(stream))
    assert samples > 10_000
    # STT reads our own speech back.
    r = shared.post("/api/v1/voice/stt", files={"audio": ("speech.mp3", audio, "audio/mpeg")})
    assert r.status_code == 200
    assert r.json()["transcript"] == text
    assert r.json()["duration_ms"] > 500


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "No text provided"),
        ({"text": "x" * 5001}, "Text too long. Maximum length is 5000 characters"),
        ({"text": "hi", "voiceId": "../etc"}, "Invalid voice ID. Please select a different voice."),
    ],
)
def test_tts_validation(shared: httpx.Client, body: dict[str, object], error: str) -> None:
    r = shared.post("/api/v1/voice/tts", json=body)
    assert (r.status_code, r.json()) == (400, {"error": error})


def test_voice_auth_and_402(emulator: EmulatorHandle, site: httpx.Client) -> None:
    fake = auth_headers("eliza_" + "ef" * 32)
    r = httpx.post(f"{emulator.base_url}/voice/tts", json={"text": "x"}, headers=fake)
    assert (r.status_code, r.json()) == (401, {"error": "Unauthorized"})
    r = httpx.get(f"{emulator.base_url}/voice/list", headers=fake)
    assert r.status_code == 401 and r.json()["code"] == "authentication_required"
    emulator.set_balance(0)
    r = site.post("/api/v1/voice/tts", json={"text": "hello"})
    assert r.status_code == 402
    assert r.json() == {
        "error": "Insufficient credits for text-to-speech",
        "required": pricing.tts_cost(5),
    }
    files = {"file0": ("a.mp3", b"ID3" + b"\0" * 100, "audio/mpeg")}
    r = site.post("/api/v1/voice/clone", data={"name": "v", "cloneType": "instant"}, files=files)
    assert r.status_code == 402
    assert r.json() == {
        "error": "Insufficient balance",
        "details": {"required": 0.42, "cloneType": "instant"},
    }


def test_stt_rejects_missing_and_non_audio(shared: httpx.Client) -> None:
    r = shared.post("/api/v1/voice/stt", files={"other": ("a.txt", b"hello", "text/plain")})
    assert (r.status_code, r.json()) == (400, {"error": "No audio file provided"})
    r = shared.post("/api/v1/voice/stt", files={"audio": ("a.mp3", b"not audio", "audio/mpeg")})
    assert r.status_code == 400 and r.json()["error"].startswith("Invalid audio format")
    r = shared.post("/api/v1/voice/stt", json={"audio": "x"})
    assert r.status_code == 400


def test_clone_job_progresses_to_completion(emulator: EmulatorHandle, site: httpx.Client) -> None:
    files = [
        ("file0", ("a.wav", b"RIFF0000WAVEfmt ", "audio/wav")),
        ("file1", ("b.wav", b"RIFF", "audio/wav")),
    ]
    r = site.post(
        "/api/v1/voice/clone",
        data={"name": "My voice", "cloneType": "instant", "settings": '{"stability": 0.5}'},
        files=files,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["success"] is True and body["creditsDeducted"] == 0.42
    assert body["voice"]["sampleCount"] == 2 and body["voice"]["status"] == "processing"
    voice_id = body["voice"]["id"]
    jobs = site.get("/api/v1/voice/jobs").json()["jobs"]
    assert [j["id"] for j in jobs] == [body["job"]["id"]]
    assert 0 <= jobs[0]["progress"] < 100
    deadline = time.monotonic() + 5
    while site.get("/api/v1/voice/jobs").json()["jobs"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert site.get(f"/api/v1/voice/{voice_id}").json()["voice"]["status"] == "completed"
    assert site.get("/api/v1/voice/list").json()["total"] == 1
    r = site.patch(f"/api/v1/voice/{voice_id}", json={"name": "Renamed", "isActive": False})
    assert r.json()["voice"]["name"] == "Renamed"
    assert site.get("/api/v1/voice/list").json()["total"] == 0
    assert site.get("/api/v1/voice/list?includeInactive=true").json()["total"] == 1
    assert site.delete(f"/api/v1/voice/{voice_id}").json()["success"] is True
    assert site.get(f"/api/v1/voice/{voice_id}").status_code == 404


@pytest.mark.parametrize(
    ("data", "files", "error"),
    [
        (
            {"cloneType": "instant"},
            {"file0": ("a", b"x")},
            "Missing required fields: name, cloneType",
        ),
        (
            {"name": "n", "cloneType": "fast"},
            {"file0": ("a", b"x")},
            "Invalid cloneType. Must be 'instant' or 'professional'",
        ),
        (
            {"name": "n", "cloneType": "instant"},
            {"other": ("a", b"x")},
            "At least one audio file is required",
        ),
        (
            {"name": "n", "cloneType": "instant", "settings": "{"},
            {"file0": ("a", b"x")},
            "Invalid settings JSON",
        ),
    ],
)
def test_clone_validation(
    shared: httpx.Client, data: dict[str, str], files: dict[str, tuple[str, bytes]], error: str
) -> None:
    r = shared.post("/api/v1/voice/clone", data=data, files=files)
    assert (r.status_code, r.json()) == (400, {"error": error})


def test_clone_rejects_more_than_ten_files(shared: httpx.Client) -> None:
    files = [(f"file{i}", (f"{i}.mp3", b"ID3", "audio/mpeg")) for i in range(11)]
    r = shared.post("/api/v1/voice/clone", data={"name": "n", "cloneType": "instant"}, files=files)
    assert (r.status_code, r.json()) == (400, {"error": "Maximum 10 files allowed"})
