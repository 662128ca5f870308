"""`client.voice`: text-to-speech, speech-to-text, voice cloning and the voice library.

Routes are `/api/v1/voice/*` (reference §3). They are not rate-limited by the
server. TTS, STT and cloning are billed, so they are retried only when the
server provably did not do the work. TTS answers raw MP3 bytes, streamed; the
streaming methods hand them on chunk by chunk (`tts_stream`, `tts_to_file`).
Cloning is asynchronous on the server: `wait_for_clone` polls its job.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Unpack

from eliza_tools._audio import audio_kind
from eliza_tools._polling import Plan, Poller, arun_plan, poll, run_plan
from eliza_tools._resource import (
    APIResource,
    Async,
    AsyncResource,
    ModeT,
    Sync,
    SyncResource,
    aiter_stream,
    endpoint,
    iter_stream,
    parse_as,
    path_id,
    unwrap,
)
from eliza_tools._transport import WRITE, Call, Clock, RequestOptions, RouteFamily
from eliza_tools.errors import InvalidRequestError, JobFailedError, JobTimeoutError, NotFoundError
from eliza_tools.resources._files import (
    FileInput,
    SavedFile,
    Upload,
    awrite_chunks,
    load_upload,
    load_uploads,
    write_chunks,
)
from eliza_tools.types._base import Deleted, validate_request
from eliza_tools.types.voice import (
    MAX_CLONE_FILES,
    MAX_CLONE_TOTAL_BYTES,
    MAX_STT_BYTES,
    ClonedVoice,
    CloneJob,
    CloneRequest,
    CloneResult,
    CloneType,
    Transcription,
    TtsRequest,
    VoiceEnvelope,
    VoiceJobs,
    VoiceList,
    VoiceListQuery,
)

TTS_TIMEOUT = 120.0  # per read: the first audio bytes of a long text can take a while
UPLOAD_TIMEOUT = 300.0
_UNLIMITED = RouteFamily.UNLIMITED

# (content type the server accepts, extension) per sniffed audio signature. The server
# checks the declared type against its list AND the magic bytes, so both must be right.
_AUDIO_TYPES = {
    "mp3": ("audio/mpeg", "mp3"),
    "m4a": ("audio/mp4", "m4a"),
    "wav": ("audio/wav", "wav"),
    "webm": ("audio/webm", "webm"),
    "ogg": ("audio/ogg", "ogg"),
}


def sniff_audio(content: bytes) -> str | None:
    """The audio kind (`mp3`, `m4a`, `wav`, `webm`, `ogg`) of some bytes, from their magic bytes."""
    kind = audio_kind(content, strict=True)  # what the server's STT check would accept
    return "m4a" if kind == "mp4" else kind


def _audio_part(upload: Upload, *, field: str, strict: bool) -> tuple[str, bytes, str]:
    """A multipart file part; `strict` refuses what the server's STT check would refuse."""
    kind = sniff_audio(upload.content)
    if kind is None:
        if strict:
            reason = "not a supported audio file (mp3, m4a/mp4 audio, wav, webm or ogg)"
            raise InvalidRequestError(field, reason)
        return upload.filename, upload.content, "application/octet-stream"
    content_type, extension = _AUDIO_TYPES[kind]
    name = upload.filename if "." in upload.filename else f"{upload.filename}.{extension}"
    return name, upload.content, content_type


def _tts_call(
    text: str, voice_id: str | None, model_id: str | None, options: RequestOptions
) -> Call[bytes]:
    body = validate_request(TtsRequest, text=text, voice_id=voice_id, model_id=model_id)
    headers = {"Accept": "audio/mpeg", **options.get("extra_headers", {})}
    return Call(
        "POST",
        "/voice/tts",
        lambda response: response.content,
        family=_UNLIMITED,
        policy=WRITE,
        json=body.to_wire(),
        timeout=TTS_TIMEOUT,
        options={**options, "extra_headers": headers},
    )


def _tts(
    text: str,
    *,
    voice_id: str | None = None,
    model_id: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[bytes]:
    """Speak `text` (1 to 5000 characters); returns the whole MP3 (44.1 kHz, 128 kbit/s).

    `voice_id` is an ElevenLabs voice id (a cloned voice's `elevenlabs_voice_id`);
    `model_id` defaults to `eleven_flash_v2_5` on the server. Billed per character.
    For long texts prefer `tts_stream` or `tts_to_file`, which do not hold the
    audio in memory.
    """
    return _tts_call(text, voice_id, model_id, options)


def _transcribe(
    file: FileInput,
    *,
    language_code: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[Transcription]:
    """Transcribe an audio file (path, bytes or binary file object; at most 25 MB).

    Accepted: mp3, m4a (audio MP4), wav, webm and ogg, recognized by their content
    as the server does; anything else is refused before sending. Billed per
    estimated minute.
    """
    if language_code is not None and not language_code.strip():
        raise InvalidRequestError("language_code", "must not be blank")
    upload = load_upload(file, field="file", max_bytes=MAX_STT_BYTES, default_name="audio")
    part = _audio_part(upload, field="file", strict=True)
    return Call(
        "POST",
        "/voice/stt",
        parse_as(Transcription),
        family=_UNLIMITED,
        policy=WRITE,
        files=[("audio", part)],
        data={"languageCode": language_code} if language_code else None,
        timeout=UPLOAD_TIMEOUT,
        options=options,
    )


def _clone(
    name: str,
    files: Sequence[FileInput],
    *,
    clone_type: CloneType = "instant",
    description: str | None = None,
    settings: dict[str, Any] | None = None,
    **options: Unpack[RequestOptions],
) -> Call[CloneResult]:
    """Clone a voice from 1 to 10 audio samples (at most 100 MB together).

    Billed ($0.42 instant, $1.67 professional, before markup). The voice is ready
    when its job completes: about 30 s for instant, 30 to 60 min for professional;
    see `wait_for_clone`.
    """
    request = validate_request(
        CloneRequest, name=name, clone_type=clone_type, description=description, settings=settings
    )
    if isinstance(files, str | bytes | os.PathLike) or not 1 <= len(files) <= MAX_CLONE_FILES:
        reason = f"expected a list of 1 to {MAX_CLONE_FILES} audio files"
        raise InvalidRequestError("files", reason)
    uploads = load_uploads(
        files,
        field="files",
        max_each=MAX_CLONE_TOTAL_BYTES,
        max_total=MAX_CLONE_TOTAL_BYTES,
        default_name="sample",
    )
    parts = [
        (f"file{index}", _audio_part(upload, field=f"files.{index}", strict=False))
        for index, upload in enumerate(uploads)
    ]
    form = request.to_wire()
    if request.settings is not None:
        form["settings"] = json.dumps(request.settings)  # the server reads a JSON string
    return Call(
        "POST",
        "/voice/clone",
        parse_as(CloneResult),
        family=_UNLIMITED,
        policy=WRITE,
        files=parts,
        data=form,
        timeout=UPLOAD_TIMEOUT,
        options=options,
    )


def _list(
    *,
    include_inactive: bool | None = None,
    clone_type: CloneType | None = None,
    limit: int = 50,
    offset: int = 0,
    **options: Unpack[RequestOptions],
) -> Call[VoiceList]:
    """A page of the organization's cloned voices (`limit` 1 to 100)."""
    query = validate_request(
        VoiceListQuery,
        include_inactive=include_inactive,
        clone_type=clone_type,
        limit=limit,
        offset=offset,
    )
    return Call(
        "GET",
        "/voice/list",
        parse_as(VoiceList),
        family=_UNLIMITED,
        params=query.to_params(),
        options=options,
    )


def _voice_path(voice_id: str) -> str:
    if not voice_id or "/" in voice_id:
        raise InvalidRequestError("voice_id", "expected the voice's UUID from `voice.list()`")
    return f"/voice/{path_id(voice_id, 'voice_id')}"


def _get(voice_id: str, **options: Unpack[RequestOptions]) -> Call[ClonedVoice]:
    """One cloned voice by its cloud UUID (`ClonedVoice.id`, not the ElevenLabs id)."""
    return Call(
        "GET",
        _voice_path(voice_id),
        unwrap(VoiceEnvelope, lambda body: body.voice),
        family=_UNLIMITED,
        options=options,
    )


def _delete(voice_id: str, **options: Unpack[RequestOptions]) -> Call[Deleted]:
    """Delete a cloned voice by its cloud UUID."""
    return Call(
        "DELETE",
        _voice_path(voice_id),
        parse_as(Deleted),
        family=_UNLIMITED,
        policy=WRITE,
        options=options,
    )


def _jobs(**options: Unpack[RequestOptions]) -> Call[list[CloneJob]]:
    """The cloning jobs still pending or processing (finished ones leave this list)."""
    return Call(
        "GET",
        "/voice/jobs",
        unwrap(VoiceJobs, lambda body: body.jobs),
        family=_UNLIMITED,
        options=options,
    )


class Voice(APIResource[ModeT]):
    """Text-to-speech, speech-to-text, voice cloning and the voice library."""

    tts = endpoint(_tts)
    transcribe = endpoint(_transcribe)
    clone = endpoint(_clone)
    list = endpoint(_list)
    get = endpoint(_get)
    delete = endpoint(_delete)
    jobs = endpoint(_jobs)


# --- waiting for a clone: one plan, driven by a sync and an async runner -----------------

CloneTarget = str | CloneResult | ClonedVoice
"""What `wait_for_clone` waits for: a voice UUID, the clone answer, or the voice."""


class _Clone:
    """The clone being waited for: its voice and, once seen, its job."""

    def __init__(self) -> None:
        self.voice_id = ""
        self.voice_name = ""
        self.job: CloneJob | None = None

    def know(self, known: CloneResult | ClonedVoice) -> None:
        """Take the voice (and the job, from a clone answer) to follow."""
        voice = known.voice if isinstance(known, CloneResult) else known
        self.voice_id, self.voice_name = voice.id, voice.name
        self.job = known.job if isinstance(known, CloneResult) else None

    def ended(self, active: list[CloneJob]) -> bool:
        """Whether the job has ended: it left the list of active jobs, or is no longer active."""
        found = next((job for job in active if self._same_job(job)), None)
        if found is None:
            return True  # left the active list: ended one way or the other
        self.job = found
        return not found.active

    def _same_job(self, candidate: CloneJob) -> bool:
        # The jobs list names the voice, not its id: without a job id, match by voice name.
        if self.job is not None:
            return candidate.id == self.job.id
        return candidate.voice_name == self.voice_name

    def timed_out(self, active: list[CloneJob] | None, waited: float) -> JobTimeoutError:
        """The error once the time is up (the last poll saw the job still active)."""
        job_id, status = (self.job.id, self.job.status) if self.job else ("", "pending")
        message = f"voice clone {self.voice_id} still {status} after {waited:.0f} s"
        return JobTimeoutError(message, job_id=job_id, status=status, waited=waited)

    def failed(self, error: str | None) -> JobFailedError:
        """The error for a clone that did not end in an active voice."""
        message = f"voice clone {self.voice_id} failed" + (f": {error}" if error else "")
        job_id = self.job.id if self.job is not None else ""
        return JobFailedError(message, job_id=job_id, status="failed", error=error)


def _clone_wait_plan(
    target: CloneTarget, clock: Clock, timeout: float, poll_interval: float, max_interval: float
) -> Plan[ClonedVoice]:
    """Poll the clone's job with growing intervals; return the ready voice or raise.

    `/voice/jobs` lists active jobs only, so a job that leaves the list has ended;
    the voice record then tells success (the voice exists and is active) from failure.
    """
    if timeout <= 0 or poll_interval <= 0:
        raise InvalidRequestError("timeout", "timeout and poll_interval must be positive")
    clone = _Clone()
    poller = Poller(
        clock,
        timeout=timeout,
        interval=poll_interval,
        backoff=1.5,
        max_interval=max_interval,
        done=clone.ended,
        expired=clone.timed_out,
    )
    clone.know(target if not isinstance(target, str) else (yield _get(target)))
    if clone.job is None or clone.job.active:
        yield from poll(poller, _jobs)
    if clone.job is not None and clone.job.status == "failed":
        raise clone.failed(clone.job.error_message)
    try:
        voice: ClonedVoice = yield _get(clone.voice_id)
    except NotFoundError:
        raise clone.failed("the voice was removed") from None
    if voice.is_active is False:
        raise clone.failed("the voice is inactive")
    return voice


def _identity(chunks: Any) -> Any:
    return chunks


class SyncVoice(SyncResource, Voice[Sync]):
    """Voice on the blocking client: adds streaming TTS and `wait_for_clone`."""

    def tts_stream(
        self,
        text: str,
        *,
        voice_id: str | None = None,
        model_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Iterator[bytes]:
        """Speak `text`, yielding MP3 chunks as the server sends them.

        Arguments are checked now; the request is sent when iteration starts.
        """
        call = _tts_call(text, voice_id, model_id, options)
        return iter_stream(self._transport, call, _identity)

    def tts_to_file(
        self,
        path: str | os.PathLike[str],
        text: str,
        *,
        voice_id: str | None = None,
        model_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SavedFile:
        """Speak `text` into an MP3 file at `path` in constant memory; returns path and size."""
        return write_chunks(
            path, self.tts_stream(text, voice_id=voice_id, model_id=model_id, **options)
        )

    def wait_for_clone(
        self,
        target: CloneTarget,
        *,
        timeout: float = 600.0,
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
    ) -> ClonedVoice:
        """Block until a clone is ready; raise `JobFailedError` or `JobTimeoutError`.

        Polls `/voice/jobs` every `poll_interval` seconds, growing by half each time
        up to `max_interval`. Professional clones take 30 to 60 minutes: raise
        `timeout` accordingly.
        """
        plan = _clone_wait_plan(target, self._clock, timeout, poll_interval, max_interval)
        return run_plan(self._transport, plan)


class AsyncVoice(AsyncResource, Voice[Async]):
    """Voice on the asyncio client: adds streaming TTS and `wait_for_clone`."""

    def tts_stream(
        self,
        text: str,
        *,
        voice_id: str | None = None,
        model_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterator[bytes]:
        """Async twin of `SyncVoice.tts_stream` (`async for chunk in ...`)."""
        call = _tts_call(text, voice_id, model_id, options)
        return aiter_stream(self._transport, call, _identity)

    async def tts_to_file(
        self,
        path: str | os.PathLike[str],
        text: str,
        *,
        voice_id: str | None = None,
        model_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> SavedFile:
        """Async twin of `SyncVoice.tts_to_file`."""
        chunks = self.tts_stream(text, voice_id=voice_id, model_id=model_id, **options)
        return await awrite_chunks(path, chunks)

    async def wait_for_clone(
        self,
        target: CloneTarget,
        *,
        timeout: float = 600.0,  # noqa: ASYNC109 (measured on the transport clock, like the sync twin)
        poll_interval: float = 2.0,
        max_interval: float = 30.0,
    ) -> ClonedVoice:
        """Async twin of `SyncVoice.wait_for_clone`."""
        plan = _clone_wait_plan(target, self._clock, timeout, poll_interval, max_interval)
        return await arun_plan(self._transport, plan)


__all__ = ["AsyncVoice", "CloneTarget", "SyncVoice", "Voice", "sniff_audio"]
