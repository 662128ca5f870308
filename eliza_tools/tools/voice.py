"""Voice tools: `text_to_speech`, `transcribe_audio` and `clone_voice`.

Audio never reaches the LLM: speech is streamed to a file in the output folder
and the content names the file; transcription and cloning read local files only
from the toolkit's allowed folders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from eliza_tools import pricing
from eliza_tools.tools.base import (
    AnyCloud,
    CloudTool,
    Plan,
    ToolContext,
    ToolInput,
    ToolResult,
    step,
)
from eliza_tools.types.voice import MAX_CLONE_FILES, MAX_TTS_CHARS, TTS_MODELS

TtsModel = Literal[TTS_MODELS]  # type: ignore[valid-type]
MP3_BYTES_PER_SECOND = 128_000 / 8  # the server's mp3_44100_128
# An instant clone takes about 30 s; wait for it so the voice is usable when the tool returns.
INSTANT_CLONE_WAIT = 120.0


class TextToSpeechInput(ToolInput):
    """Arguments of `text_to_speech`."""

    text: str = Field(
        min_length=1,
        max_length=MAX_TTS_CHARS,
        description=f"The words to speak, 1 to {MAX_TTS_CHARS} characters.",
    )
    voice_id: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "ElevenLabs voice id (for a cloned voice: the voice_id clone_voice returned). "
            "Null means the default voice."
        ),
    )
    model: TtsModel | None = Field(
        default=None,
        description=(
            f"Speech model; null means {pricing.DEFAULT_TTS_MODEL} (fast, $0.10 per 1000 "
            "characters). eleven_multilingual_v2 / eleven_v3 sound better and cost twice that."
        ),
    )


class SpeechResult(ToolResult):
    """The MP3 written to disk."""

    path: Path
    mime_type: str = "audio/mpeg"
    size_bytes: int
    duration_seconds: float
    characters: int
    model: str

    def summary(self) -> str:
        """Where the audio is and how long it is; never the audio."""
        return (
            f"Synthesized about {self.duration_seconds:.1f} s of speech ({self.mime_type}, "
            f"{self.size_bytes} bytes), saved to {self.path}"
        )


def _speak(cloud: AnyCloud, args: TextToSpeechInput, ctx: ToolContext) -> Plan[SpeechResult]:
    target = ctx.output.new_path("speech", "mp3")
    saved = yield from step(
        cloud.voice.tts_to_file(target, args.text, voice_id=args.voice_id, model_id=args.model)
    )
    model = args.model or pricing.DEFAULT_TTS_MODEL
    return SpeechResult(
        path=saved.path,
        size_bytes=saved.size,
        duration_seconds=round(saved.size / MP3_BYTES_PER_SECOND, 2),
        characters=len(args.text),
        model=model,
        cost_usd=pricing.tts_cost(len(args.text), model),
    )


TEXT_TO_SPEECH = CloudTool(
    name="text_to_speech",
    description=(
        "Turn text into spoken audio (MP3) with elizaOS Cloud; the file is saved locally and "
        "its path returned. About $0.10 per 1000 characters."
    ),
    input_model=TextToSpeechInput,
    result_model=SpeechResult,
    plan=_speak,
    estimate=lambda args: pricing.tts_cost(len(args.text), args.model),
)


class TranscribeAudioInput(ToolInput):
    """Arguments of `transcribe_audio`."""

    audio_path: str = Field(
        min_length=1,
        description=(
            "Path of a local audio file (mp3, m4a, wav, webm or ogg; at most 25 MB), e.g. one "
            "text_to_speech saved. Relative paths are relative to the output folder."
        ),
    )
    language_code: str | None = Field(
        default=None,
        min_length=2,
        max_length=8,
        description="ISO 639 language of the speech, e.g. 'en'; null to detect it.",
    )


class TranscriptResult(ToolResult):
    """What was said in the file."""

    transcript: str
    audio_path: Path
    processing_ms: int | None = None

    def summary(self) -> str:
        """The transcript itself (it is text, and what the model asked for)."""
        return f"Transcript of {self.audio_path.name}: {self.transcript}"


def _audio_seconds(path: Path) -> float:
    return path.stat().st_size / MP3_BYTES_PER_SECOND


def _transcribe(
    cloud: AnyCloud, args: TranscribeAudioInput, ctx: ToolContext
) -> Plan[TranscriptResult]:
    path = ctx.output.readable(args.audio_path, field="audio_path")
    result = yield from step(cloud.voice.transcribe(path, language_code=args.language_code))
    return TranscriptResult(
        transcript=result.transcript,
        audio_path=path,
        processing_ms=result.duration_ms,
        # Billed per minute of audio; the length is estimated from the size at 128 kbit/s.
        cost_usd=pricing.stt_cost(_audio_seconds(path)),
    )


TRANSCRIBE_AUDIO = CloudTool(
    name="transcribe_audio",
    description=(
        "Transcribe speech in a local audio file to text with elizaOS Cloud. About $0.006 "
        "per minute of audio."
    ),
    input_model=TranscribeAudioInput,
    result_model=TranscriptResult,
    plan=_transcribe,
    estimate=lambda args: pricing.stt_cost(60.0),
)


class CloneVoiceInput(ToolInput):
    """Arguments of `clone_voice`."""

    name: str = Field(min_length=1, max_length=100, description="A name for the new voice.")
    sample_paths: list[str] = Field(
        min_length=1,
        max_length=MAX_CLONE_FILES,
        description=(
            f"Local audio files of the voice to clone, 1 to {MAX_CLONE_FILES} (at most 100 MB "
            "together; one clean minute is enough for an instant clone)."
        ),
    )
    clone_type: Literal["instant", "professional"] | None = Field(
        default=None,
        description=(
            "instant ($0.42, ready in about 30 s) or professional ($1.67, 30 to 60 minutes). "
            "Null means instant."
        ),
    )
    description: str | None = Field(
        default=None, max_length=500, description="What the voice sounds like; optional."
    )


class ClonedVoiceResult(ToolResult):
    """The new voice: its ids, and whether it is ready yet."""

    voice_id: str | None = Field(description="What text_to_speech takes as voice_id.")
    cloud_voice_id: str
    name: str
    clone_type: str
    status: str
    job_id: str
    estimated_completion: str | None = None

    def summary(self) -> str:
        """The voice id to use next, and when it will be ready."""
        if self.status == "completed":
            return (
                f"Voice '{self.name}' is ready: use voice_id {self.voice_id} with text_to_speech."
            )
        eta = f" (about {self.estimated_completion})" if self.estimated_completion else ""
        return (
            f"Voice '{self.name}' is being cloned{eta}, status {self.status}; its voice_id "
            f"will be {self.voice_id}."
        )


def _clone(cloud: AnyCloud, args: CloneVoiceInput, ctx: ToolContext) -> Plan[ClonedVoiceResult]:
    paths = [
        ctx.output.readable(raw, field=f"sample_paths.{i}")
        for i, raw in enumerate(args.sample_paths)
    ]
    clone_type = args.clone_type or "instant"
    started = yield from step(
        cloud.voice.clone(args.name, paths, clone_type=clone_type, **args.given("description"))
    )
    voice, status = started.voice, started.job.status
    if clone_type == "instant":
        voice = yield from step(
            cloud.voice.wait_for_clone(started, timeout=INSTANT_CLONE_WAIT, poll_interval=1.0)
        )
        status = "completed"
    return ClonedVoiceResult(
        voice_id=voice.elevenlabs_voice_id,
        cloud_voice_id=voice.id,
        name=voice.name,
        clone_type=clone_type,
        status=status,
        job_id=started.job.id,
        estimated_completion=started.estimated_completion_time,
        cost_usd=started.credits_deducted
        if started.credits_deducted is not None
        else pricing.voice_clone_cost(clone_type),
    )


CLONE_VOICE = CloudTool(
    name="clone_voice",
    description=(
        "Clone a voice from local audio samples with elizaOS Cloud, for use with "
        "text_to_speech. Only clone a voice the user has the right to use. $0.42 (instant) "
        "or $1.67 (professional)."
    ),
    input_model=CloneVoiceInput,
    result_model=ClonedVoiceResult,
    plan=_clone,
    estimate=lambda args: pricing.voice_clone_cost(args.clone_type or "instant"),
)
