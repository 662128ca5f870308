"""Contract: text-to-speech, speech-to-text, voice cloning and the voice library (reference §3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError, NotFoundError
from eliza_tools.resources.voice import sniff_audio
from tests.contract.helpers import resolved

TEXT = "Hello from eliza tools."
# An ID3v2 header and one MPEG-1 Layer III frame header: enough to be recognized as MP3.
SAMPLE = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x64" + bytes(28)


async def _collect(chunks: Any) -> bytes:
    if hasattr(chunks, "__aiter__"):
        return b"".join([chunk async for chunk in chunks])
    return b"".join(chunks)


async def _clone(cloud: ElizaCloud | AsyncElizaCloud) -> Any:
    return await resolved(cloud.voice.clone("Narrator", [SAMPLE, SAMPLE], description="calm"))


async def test_voice_tts(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    audio = await resolved(cloud.voice.tts(TEXT))
    assert isinstance(audio, bytes) and len(audio) > 0
    assert sniff_audio(audio) == "mp3"


async def test_voice_tts_stream(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    audio = await _collect(cloud.voice.tts_stream(TEXT))
    assert sniff_audio(audio) == "mp3"


async def test_voice_tts_to_file(cloud: ElizaCloud | AsyncElizaCloud, tmp_path: Path) -> None:
    target = tmp_path / "hello.mp3"
    saved = await resolved(cloud.voice.tts_to_file(target, TEXT))
    assert saved.path == target
    assert saved.size == target.stat().st_size > 0
    assert sniff_audio(target.read_bytes()) == "mp3"


async def test_voice_transcribe(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    audio = await resolved(cloud.voice.tts(TEXT))
    result = await resolved(cloud.voice.transcribe(audio, language_code="en"))
    assert "hello" in result.transcript.lower()
    assert result.duration_ms is not None and result.duration_ms >= 0


async def test_voice_clone(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    result = await _clone(cloud)
    assert result.success is True
    voice, job = result.voice, result.job
    assert voice.id and voice.elevenlabs_voice_id and job.id
    assert voice.name == "Narrator" and voice.clone_type == "instant"
    assert voice.sample_count == 2
    assert result.credits_deducted > 0
    assert result.estimated_completion_time == "30 seconds"


async def test_voice_wait_for_clone(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    result = await _clone(cloud)
    voice = await resolved(
        cloud.voice.wait_for_clone(result, timeout=30, poll_interval=0.05, max_interval=0.2)
    )
    assert voice.id == result.voice.id
    assert voice.is_active is True
    jobs = await resolved(cloud.voice.jobs())
    assert result.job.id not in {job.id for job in jobs}


async def test_voice_list(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    page = await resolved(cloud.voice.list(limit=10, clone_type="instant"))
    assert page.success is True
    assert page.limit == 10 and page.offset == 0
    assert page.total >= len(page.voices)
    assert page.has_more == (page.offset + len(page.voices) < page.total)
    assert all(voice.clone_type == "instant" for voice in page.voices)


async def test_voice_get(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    created = await _clone(cloud)
    voice = await resolved(cloud.voice.get(created.voice.id))
    assert voice.id == created.voice.id
    assert voice.name == "Narrator" and voice.description == "calm"
    assert voice.elevenlabs_voice_id == created.voice.elevenlabs_voice_id


async def test_voice_delete(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    created = await _clone(cloud)
    deleted = await resolved(cloud.voice.delete(created.voice.id))
    assert deleted.success is True
    with pytest.raises(NotFoundError):
        await resolved(cloud.voice.get(created.voice.id))


async def test_voice_jobs(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    created = await _clone(cloud)
    jobs = await resolved(cloud.voice.jobs())
    mine = [job for job in jobs if job.id == created.job.id]
    assert len(mine) == 1
    assert mine[0].active and mine[0].voice_name == "Narrator"


async def test_voice_validates_before_sending(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.voice.tts("x" * 5001))
    assert excinfo.value.field == "text"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.voice.transcribe(b"%PDF-1.7 not audio"))
    assert excinfo.value.field == "file"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.voice.clone("Narrator", [SAMPLE] * 11))
    assert excinfo.value.field == "files"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.voice.list(limit=101))
    assert excinfo.value.field == "limit"
