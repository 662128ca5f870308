"""`generate_image`: text (and optionally a source image) to images."""

from __future__ import annotations

import binascii
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from eliza_tools import pricing
from eliza_tools.errors import InvalidRequestError
from eliza_tools.tools.base import (
    AnyCloud,
    CloudTool,
    Plan,
    ToolContext,
    ToolInput,
    ToolResult,
    step,
)
from eliza_tools.tools.output import extension_for
from eliza_tools.types.images import (
    IMAGE_MODELS,
    MAX_PROMPT_CHARS,
    AspectRatio,
    GeneratedImage,
    StylePreset,
)

ImageModel = Literal[IMAGE_MODELS]  # type: ignore[valid-type]


class GenerateImageInput(ToolInput):
    """Arguments of `generate_image`."""

    prompt: str = Field(
        min_length=1,
        max_length=MAX_PROMPT_CHARS,
        description=(
            "What to draw: subject, setting, style, lighting, composition. "
            f"1 to {MAX_PROMPT_CHARS} characters."
        ),
    )
    num_images: int | None = Field(
        default=None, ge=1, le=4, description="How many images, 1 to 4. Null means 1."
    )
    aspect_ratio: AspectRatio | None = Field(
        default=None, description="Shape of the image. Null means 1:1 (square)."
    )
    style_preset: StylePreset | None = Field(
        default=None, description="A visual style to apply; null for none."
    )
    model: ImageModel | None = Field(
        default=None,
        description=(
            f"Image model; null means {pricing.DEFAULT_IMAGE_MODEL} (cheapest). "
            "Pick another only when the user asks for it."
        ),
    )


class ImageFile(BaseModel):
    """One generated image: where it lives (URL) and, when saved, the local file."""

    url: str | None = None
    path: Path | None = None
    mime_type: str | None = None
    size_bytes: int | None = None


class GenerateImageResult(ToolResult):
    """Images generated (possibly fewer than asked for)."""

    images: list[ImageFile]
    model: str
    requested: int

    def summary(self) -> str:
        """Count and locations, never pixels."""
        places = ", ".join(str(image.url or image.path) for image in self.images)
        short = f" (asked for {self.requested})" if len(self.images) < self.requested else ""
        return f"Generated {len(self.images)} image(s){short} with {self.model}: {places}"


def _keep(image: GeneratedImage, ctx: ToolContext) -> ImageFile:
    """Inline images (the server's fallback when its storage failed) are always saved:
    base64 must not reach the LLM and there is no URL to hand out instead."""
    file = ImageFile(url=image.url, mime_type=image.mime_type, size_bytes=image.file_size)
    if image.url is None and image.image:
        try:
            data = image.data()
        except (binascii.Error, ValueError):
            raise InvalidRequestError("images", "the server sent an undecodable image") from None
        if data is not None:
            extension = extension_for(image.mime_type, "png")
            file.path = ctx.output.write("image", extension, data)
            file.size_bytes = len(data)
    return file


def _plan(cloud: AnyCloud, args: GenerateImageInput, ctx: ToolContext) -> Plan[GenerateImageResult]:
    result = yield from step(
        cloud.images.generate(
            args.prompt, **args.given("num_images", "aspect_ratio", "style_preset", "model")
        )
    )
    model = args.model or pricing.DEFAULT_IMAGE_MODEL
    images = [_keep(image, ctx) for image in result.images]
    return GenerateImageResult(
        images=images,
        model=model,
        requested=args.num_images or 1,
        # The server reconciles the charge to the images it really produced.
        cost_usd=pricing.image_cost(model, len(images)) if images else 0.0,
    )


def _estimate(args: GenerateImageInput) -> float:
    return pricing.image_cost(args.model, args.num_images or 1)


GENERATE_IMAGE = CloudTool(
    name="generate_image",
    description=(
        "Generate images from a text prompt with elizaOS Cloud. Returns the image URLs. "
        "Costs about $0.04 per image with the default model."
    ),
    input_model=GenerateImageInput,
    result_model=GenerateImageResult,
    plan=_plan,
    estimate=_estimate,
)

__all__ = ["GENERATE_IMAGE", "GenerateImageInput", "GenerateImageResult", "ImageFile"]
