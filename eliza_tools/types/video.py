"""Video generation shapes (`POST /api/v1/generate-video`, reference §2)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from eliza_tools.pricing import DEFAULT_VIDEO_MODEL, VIDEO_PRICES
from eliza_tools.types._base import RequestModel, SnakeCaseModel

# `SUPPORTED_VIDEO_MODELS` of the server; any other id gets 400 "Invalid model specified".
VIDEO_MODELS: tuple[str, ...] = tuple(VIDEO_PRICES)

__all__ = [
    "DEFAULT_VIDEO_MODEL",
    "VIDEO_MODELS",
    "GeneratedVideo",
    "VideoGenerationRequest",
    "VideoGenerationResult",
]


class VideoGenerationRequest(RequestModel):
    """The body of `POST /generate-video`: the server reads nothing but these two fields."""

    prompt: str = Field(min_length=1)
    model: str | None = None

    @field_validator("prompt")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str | None) -> str | None:
        if value is not None and value not in VIDEO_MODELS:
            raise ValueError(f"unknown video model {value!r}; valid: {', '.join(VIDEO_MODELS)}")
        return value


class GeneratedVideo(SnakeCaseModel):
    """The stored video. fal's field names are snake_case on the wire, so no camel aliases."""

    url: str
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    file_name: str | None = None
    file_size: int | None = None


class VideoGenerationResult(SnakeCaseModel):
    """`200` of `POST /generate-video`: the video plus fal's metadata (no `success`, no `model`)."""

    video: GeneratedVideo
    seed: int | None = None
    has_nsfw_concepts: list[bool] = Field(default_factory=list)
    timings: dict[str, Any] = Field(default_factory=dict)
    request_id: str | None = Field(default=None, alias="requestId")
