"""Voice shapes: TTS, STT, cloning and the voice library (`/api/v1/voice/*`, reference §3)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from eliza_tools.types._base import ElizaModel, RequestModel

CloneType = Literal["instant", "professional"]
CloneStatus = Literal["pending", "processing", "completed", "failed"]
# Model ids the server prices; others are passed to ElevenLabs as they are.
TTS_MODELS = ("eleven_flash_v2_5", "eleven_turbo_v2_5", "eleven_multilingual_v2", "eleven_v3")
MAX_TTS_CHARS = 5000
MAX_STT_BYTES = 25 * 1024 * 1024
MAX_CLONE_FILES = 10
MAX_CLONE_TOTAL_BYTES = 100 * 1024 * 1024
ACTIVE_JOB_STATUSES = frozenset({"pending", "processing"})


class TtsRequest(RequestModel):
    """The body of `POST /voice/tts`; there is no output-format field (the server sends MP3)."""

    text: str = Field(min_length=1, max_length=MAX_TTS_CHARS)
    voice_id: str | None = Field(default=None, min_length=1)
    model_id: str | None = Field(default=None, min_length=1)


class Transcription(ElizaModel):
    """`POST /voice/stt`: the transcript and how long the server took, in milliseconds."""

    transcript: str
    duration_ms: int | None = Field(default=None, alias="duration_ms")


class CloneRequest(RequestModel):
    """The form fields of `POST /voice/clone` (the audio files travel as `file0..fileN`)."""

    name: str = Field(min_length=1)
    clone_type: CloneType = "instant"
    description: str | None = None
    settings: dict[str, Any] | None = None


class CloneJob(ElizaModel):
    """A cloning job, as the clone answer (`id, status, progress`) and `/voice/jobs` show it."""

    id: str
    status: str
    progress: float | None = None
    voice_name: str | None = None
    job_type: str | None = None
    error_message: str | None = None
    created_at: str | None = None
    started_at: str | None = None

    @property
    def active(self) -> bool:
        """Still pending or processing."""
        return self.status in ACTIVE_JOB_STATUSES


class ClonedVoice(ElizaModel):
    """A cloned voice of the organization's library (`/voice/list`, `/voice/{id}`, clone answer).

    `id` is the cloud's UUID (used by `get` / `delete`); `elevenlabs_voice_id` is
    what `tts(voice_id=...)` takes.
    """

    id: str
    elevenlabs_voice_id: str | None = None
    name: str
    description: str | None = None
    clone_type: str | None = None
    status: str | None = None  # only in the clone answer: the job's status
    sample_count: int | None = None
    total_audio_duration_seconds: float | None = None
    audio_quality_score: float | None = None
    usage_count: int | None = None
    last_used_at: str | None = None
    is_active: bool | None = None
    is_public: bool | None = None
    created_at: str | None = None
    updated_at: str | None = None


class CloneResult(ElizaModel):
    """`201` of `POST /voice/clone`: the new voice, its job and what was charged (USD)."""

    success: bool = True
    voice: ClonedVoice
    job: CloneJob
    credits_deducted: float | None = None
    estimated_completion_time: str | None = None


class VoiceListQuery(RequestModel):
    """Query of `GET /voice/list`."""

    include_inactive: bool | None = None
    clone_type: CloneType | None = None
    limit: int = Field(default=50, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


class VoiceList(ElizaModel):
    """A page of the voice library."""

    success: bool = True
    voices: list[ClonedVoice]
    total: int = 0
    limit: int = 50
    offset: int = 0
    has_more: bool = False


class VoiceEnvelope(ElizaModel):
    """`GET /voice/{id}`: `{success, voice}`."""

    success: bool = True
    voice: ClonedVoice


class VoiceJobs(ElizaModel):
    """`GET /voice/jobs`: the *active* (pending or processing) cloning jobs only."""

    success: bool = True
    jobs: list[CloneJob]
    total: int = 0
