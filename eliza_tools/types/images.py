"""Image generation shapes (`POST /api/v1/generate-image`, reference §1)."""

from __future__ import annotations

import base64
from typing import Literal

from pydantic import Field

from eliza_tools.types._base import ElizaModel, RequestModel

AspectRatio = Literal["1:1", "16:9", "9:16", "4:3", "3:4", "21:9", "9:21"]
StylePreset = Literal[
    "none",
    "photographic",
    "digital-art",
    "comic-book",
    "fantasy-art",
    "analog-film",
    "neon-punk",
    "isometric",
    "low-poly",
    "origami",
    "line-art",
    "cinematic",
    "3d-model",
]
# The server silently falls back to its default for any other model id.
IMAGE_MODELS = (
    "google/gemini-2.5-flash-image",
    "google/gemini-3-pro-image",
    "google/gemini-3.1-flash-image-preview",
    "openai/gpt-image-2",
    "bfl/flux-kontext-max",
)
MAX_PROMPT_CHARS = 4000
MAX_SOURCE_IMAGE_CHARS = 14_000_000


class ImageGenerationRequest(RequestModel):
    """The body of `POST /generate-image`, with the server's limits."""

    prompt: str = Field(min_length=1, max_length=MAX_PROMPT_CHARS)
    num_images: int = Field(default=1, ge=1, le=4)
    aspect_ratio: AspectRatio = "1:1"
    style_preset: StylePreset | None = None
    source_image: str | None = Field(default=None, max_length=MAX_SOURCE_IMAGE_CHARS)
    model: str | None = None


class GeneratedImage(ElizaModel):
    """One image: normally a `url`; a base64 `image` data URL only when storage failed."""

    url: str | None = None
    image: str | None = None
    text: str = ""
    mime_type: str | None = None
    file_size: int | None = None

    def data(self) -> bytes | None:
        """The image bytes when the server returned them inline (no URL)."""
        if not self.image:
            return None
        payload = self.image.split(",", 1)[1] if self.image.startswith("data:") else self.image
        return base64.b64decode(payload)


class ImageGenerationResult(ElizaModel):
    """Images generated; `num_images` may be below the number requested."""

    images: list[GeneratedImage]
    num_images: int = 0
