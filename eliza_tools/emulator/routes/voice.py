"""Voice routes (reference §3): TTS streams MP3, STT reads multipart audio, cloning is timed.

The real voice routes are not wrapped by the rate limiter, so they send no
`X-RateLimit-*` headers.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response, StreamingResponse

from eliza_tools import pricing
from eliza_tools._audio import audio_kind
from eliza_tools.emulator import jobs, media
from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.errors import Family, Reply, bare, canonical
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("voice")

DEFAULT_VOICE_ID = "EXAVITQu4vr4xnSDxMaL"
MAX_TTS_CHARS = 5000
MAX_STT_BYTES = 25 * 1024 * 1024
MAX_CLONE_BYTES = 100 * 1024 * 1024
MAX_CLONE_FILES = 10
CHUNK = 4096
_VOICE_ID = re.compile(r"^[A-Za-z0-9]{8,40}$")


def _canonical_401() -> Response:
    return canonical(401, "authentication_required", "Invalid or expired API key")


def _bad(reason: str) -> Response:
    return bare(400, reason)


def _duration_seconds(data: bytes) -> float:
    import io

    import av

    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if container.duration:
                return float(container.duration) / 1_000_000
    except Exception:  # undecodable but well-tagged audio: estimate from the size
        pass
    return len(data) / 16_000


@group.route("/api/v1/voice/tts", ["POST"], family=Family.BARE)
async def tts(ctx: Ctx) -> Response:
    """Stream real MP3 bytes (chunked, no Content-Length)."""
    account = ctx.account_or(bare(401, "Unauthorized"))
    body = await ctx.json_object(_bad)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return _bad("No text provided")
    if len(text) > MAX_TTS_CHARS:
        return _bad(f"Text too long. Maximum length is {MAX_TTS_CHARS} characters")
    voice_id = body.get("voiceId", DEFAULT_VOICE_ID)
    if not isinstance(voice_id, str) or not _VOICE_ID.match(voice_id):
        return _bad("Invalid voice ID. Please select a different voice.")
    model = body.get("modelId", pricing.DEFAULT_TTS_MODEL)
    cost = pricing.tts_cost(len(text), model if isinstance(model, str) else None)
    ctx.charge(
        account,
        cost,
        f"Text-to-speech ({len(text)} chars)",
        bare(402, "Insufficient credits for text-to-speech", required=cost),
    )
    audio = await anyio.to_thread.run_sync(media.synthesize_speech, text, voice_id)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(audio), CHUNK):
            yield audio[start : start + CHUNK]

    return StreamingResponse(
        chunks(), media_type="audio/mpeg", headers={"Cache-Control": "no-cache"}
    )


@group.route("/api/v1/voice/stt", ["POST"], family=Family.BARE)
async def stt(ctx: Ctx) -> Response:
    """Transcribe the multipart `audio` field; our own TTS output reads back its text."""
    account = ctx.account_or(bare(401, "Unauthorized"))
    form = await ctx.form(_bad)
    upload = form.get("audio")
    if not isinstance(upload, UploadFile):
        return _bad("No audio file provided")
    data = await upload.read()
    if len(data) > MAX_STT_BYTES:
        return _bad("File too large. Maximum size is 25MB")
    if audio_kind(data) is None:
        return _bad("Invalid audio format. Supported formats: mp3, mp4, m4a, wav, webm, ogg")
    seconds = await anyio.to_thread.run_sync(_duration_seconds, data)
    cost = pricing.stt_cost(seconds)
    ctx.charge(
        account,
        cost,
        f"Speech-to-text ({seconds:.1f}s)",
        bare(402, "Insufficient credits for speech-to-text", required=cost),
    )
    transcript = media.read_id3_text(data) or f"Emulated transcript of {seconds:.1f} seconds"
    return JSONResponse({"transcript": transcript, "duration_ms": round(seconds * 1000)})


def _voice_view(ctx: Ctx, voice: Record) -> dict[str, Any]:
    job = ctx.store.get("jobs", voice["jobId"])
    done = job is None or jobs.status(ctx.emu, job) == "completed"
    view = {k: v for k, v in voice.items() if k not in {"accountId", "jobId", "settings"}}
    view["status"] = "completed" if done else "processing"
    return view


def _own_voice(ctx: Ctx, account: Record) -> Record:
    return ctx.owned_one("voices", account, bare(404, "Voice not found"))


def _clone_fields(form: Any) -> tuple[str, str, str | None, Any, list[UploadFile]]:
    name, clone_type = form.get("name"), form.get("cloneType")
    if not isinstance(name, str) or not name or not isinstance(clone_type, str) or not clone_type:
        raise Reply(_bad("Missing required fields: name, cloneType"))
    if clone_type not in pricing.VOICE_CLONE_PRICES:
        raise Reply(_bad("Invalid cloneType. Must be 'instant' or 'professional'"))
    files = [
        value
        for key, value in form.multi_items()
        if key.startswith("file") and isinstance(value, UploadFile)
    ]
    if not files:
        raise Reply(_bad("At least one audio file is required"))
    if len(files) > MAX_CLONE_FILES:
        raise Reply(_bad(f"Maximum {MAX_CLONE_FILES} files allowed"))
    if sum(f.size or 0 for f in files) > MAX_CLONE_BYTES:
        raise Reply(_bad("Total file size exceeds 100MB limit"))
    settings: Any = None
    raw_settings = form.get("settings")
    if isinstance(raw_settings, str) and raw_settings:
        try:
            settings = json.loads(raw_settings)
        except ValueError:
            raise Reply(_bad("Invalid settings JSON")) from None
    description = form.get("description")
    return name, clone_type, description if isinstance(description, str) else None, settings, files


@group.route("/api/v1/voice/clone", ["POST"], family=Family.BARE)
async def clone(ctx: Ctx) -> Response:
    """Create a voice and a job that completes after `clone_seconds` (x60 if professional)."""
    account = ctx.account_or(_canonical_401())
    form = await ctx.form(_bad, max_files=50)
    name, clone_type, description, settings, files = _clone_fields(form)
    cost = pricing.voice_clone_cost(clone_type)
    ctx.charge(
        account,
        cost,
        f"Voice clone ({clone_type})",
        bare(402, "Insufficient balance", details={"required": cost, "cloneType": clone_type}),
    )
    seconds = ctx.emu.config.clone_seconds * (1 if clone_type == "instant" else 60)
    job = jobs.create_job(ctx.emu, account["id"], f"{clone_type}_clone", seconds)
    voice_id = str(uuid.uuid4())
    created = now_iso()
    voice = ctx.store.put(
        "voices",
        voice_id,
        {
            "id": voice_id,
            "accountId": account["id"],
            "jobId": job["id"],
            "elevenlabsVoiceId": uuid.uuid4().hex[:20],
            "name": name,
            "description": description,
            "cloneType": clone_type,
            "settings": settings,
            "sampleCount": len(files),
            "totalAudioDurationSeconds": None,
            "audioQualityScore": None,
            "usageCount": 0,
            "lastUsedAt": None,
            "isActive": True,
            "isPublic": False,
            "createdAt": created,
            "updatedAt": created,
        },
    )
    view = _voice_view(ctx, voice)
    return JSONResponse(
        {
            "success": True,
            "voice": {k: view[k] for k in ("id", "elevenlabsVoiceId", "name", "description")}
            | {
                "cloneType": clone_type,
                "status": view["status"],
                "sampleCount": len(files),
                "createdAt": created,
            },
            "job": _job_view(ctx, job, name),
            "creditsDeducted": cost,
            "estimatedCompletionTime": "30 seconds" if clone_type == "instant" else "30-60 minutes",
        },
        status_code=201,
    )


def _job_view(ctx: Ctx, job: Record, voice_name: str) -> dict[str, Any]:
    state = jobs.status(ctx.emu, job)
    return {
        "id": job["id"],
        "voiceName": voice_name,
        "jobType": job["type"],
        "status": {"in_progress": "processing"}.get(state, state),
        "progress": jobs.progress(ctx.emu, job),
        "errorMessage": None,
        "createdAt": job["createdAt"],
        "startedAt": job["createdAt"],
    }


def _int_query(ctx: Ctx, name: str, default: int, low: int, high: int) -> int:
    raw = ctx.request.query_params.get(name)
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        raise Reply(_bad(f"Invalid {name}")) from None
    return min(high, max(low, value))


@group.route("/api/v1/voice/list", ["GET"], family=Family.CANONICAL)
async def list_voices(ctx: Ctx) -> Response:
    """The caller's voices, filtered and paginated."""
    account = ctx.account_or(_canonical_401())
    query = ctx.request.query_params
    limit = _int_query(ctx, "limit", 50, 1, 100)
    offset = _int_query(ctx, "offset", 0, 0, 1_000_000)
    voices = ctx.owned("voices", account)
    if query.get("includeInactive") != "true":
        voices = [v for v in voices if v["isActive"]]
    if query.get("cloneType"):
        voices = [v for v in voices if v["cloneType"] == query["cloneType"]]
    page = voices[::-1][offset : offset + limit]
    return JSONResponse(
        {
            "success": True,
            "voices": [_voice_view(ctx, v) for v in page],
            "total": len(voices),
            "limit": limit,
            "offset": offset,
            "hasMore": offset + len(page) < len(voices),
        }
    )


@group.route("/api/v1/voice/jobs", ["GET"], family=Family.CANONICAL)
async def list_jobs(ctx: Ctx) -> Response:
    """Active (unfinished) clone jobs of the caller."""
    account = ctx.account_or(_canonical_401())
    active = []
    for voice in ctx.store.list("voices"):
        job = ctx.store.get("jobs", voice["jobId"])
        if voice["accountId"] == account["id"] and job and jobs.status(ctx.emu, job) != "completed":
            active.append(_job_view(ctx, job, voice["name"]))
    return JSONResponse({"success": True, "jobs": active})


@group.route("/api/v1/voice/{id}", ["GET"], family=Family.CANONICAL)
async def get_voice(ctx: Ctx) -> Response:
    """One voice of the caller."""
    account = ctx.account_or(_canonical_401())
    return JSONResponse({"success": True, "voice": _voice_view(ctx, _own_voice(ctx, account))})


@group.route("/api/v1/voice/{id}", ["PATCH"], family=Family.CANONICAL)
async def update_voice(ctx: Ctx) -> Response:
    """Update `name`, `description`, `settings` or `isActive`."""
    account = ctx.account_or(_canonical_401())
    voice = _own_voice(ctx, account)
    body = await ctx.json_object(_bad)
    types: dict[str, tuple[type, ...]] = {
        "name": (str,),
        "description": (str, type(None)),
        "settings": (dict, type(None)),
        "isActive": (bool,),
    }
    for field, allowed in types.items():
        if field in body:
            if not isinstance(body[field], allowed) or body[field] == "":
                return _bad(f"Invalid {field}")
            voice[field] = body[field]
    voice["updatedAt"] = now_iso()
    ctx.store.put("voices", voice["id"], voice)
    return JSONResponse({"success": True, "voice": _voice_view(ctx, voice)})


@group.route("/api/v1/voice/{id}", ["DELETE"], family=Family.CANONICAL)
async def delete_voice(ctx: Ctx) -> Response:
    """Delete a voice of the caller."""
    account = ctx.account_or(_canonical_401())
    ctx.store.delete("voices", _own_voice(ctx, account)["id"])
    return JSONResponse({"success": True, "message": "Voice deleted successfully"})
