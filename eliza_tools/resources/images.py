"""`client.images`: image generation (`POST /api/v1/generate-image`)."""

from __future__ import annotations

from typing import Unpack

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.errors import InvalidRequestError
from eliza_tools.types._base import validate_request
from eliza_tools.types.images import (
    AspectRatio,
    ImageGenerationRequest,
    ImageGenerationResult,
    StylePreset,
)

_RATIOS: dict[str, float] = {
    "1:1": 1.0,
    "16:9": 16 / 9,
    "9:16": 9 / 16,
    "4:3": 4 / 3,
    "3:4": 3 / 4,
    "21:9": 21 / 9,
    "9:21": 9 / 21,
}


def aspect_ratio_for_size(size: str) -> str:
    """Map an OpenAI-style size ("1792x1024") to the closest aspect ratio the server knows."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
        if width <= 0 or height <= 0:
            raise ValueError
    except ValueError:
        reason = f"expected WIDTHxHEIGHT such as 1024x1024, got {size!r}"
        raise InvalidRequestError("size", reason) from None
    ratio = width / height
    return min(_RATIOS, key=lambda name: abs(_RATIOS[name] - ratio))


def _generate(
    prompt: str,
    *,
    num_images: int = 1,
    aspect_ratio: AspectRatio | None = None,
    style_preset: StylePreset | None = None,
    source_image: str | None = None,
    model: str | None = None,
    size: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[ImageGenerationResult]:
    """Generate 1 to 4 images from a prompt (at most 4000 characters).

    `size` (OpenAI style, e.g. "1792x1024") is accepted and mapped to the nearest
    aspect ratio; the server itself has no size field. `source_image` is a base64
    data URL for image-to-image. Billed: retried only when the server provably did
    not start the work.
    """
    if size is not None and aspect_ratio is None:
        aspect_ratio = aspect_ratio_for_size(size)  # type: ignore[assignment]
    body = validate_request(
        ImageGenerationRequest,
        prompt=prompt,
        num_images=num_images,
        aspect_ratio=aspect_ratio or "1:1",
        style_preset=style_preset,
        source_image=source_image,
        model=model,
    )
    return Call(
        "POST",
        "/generate-image",
        parse_as(ImageGenerationResult),
        family=RouteFamily.STANDARD,
        policy=WRITE,
        json=body.to_wire(),
        timeout=180.0,  # the server may hold the request up to its maxDuration of 180 s
        options=options,
    )


class Images(APIResource[ModeT]):
    """Image generation."""

    generate = endpoint(_generate)
