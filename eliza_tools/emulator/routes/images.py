"""`POST /api/v1/generate-image`: synchronous, real PNG/WebP files (reference §1)."""

from __future__ import annotations

import uuid

import anyio.to_thread
from starlette.responses import JSONResponse, Response

from eliza_tools import pricing
from eliza_tools.emulator import media
from eliza_tools.emulator.errors import Family, Reply, bare
from eliza_tools.emulator.routing import Ctx, RouteGroup

group = RouteGroup("images")

ASPECT_RATIOS = tuple(media.ASPECT_SIZES)
MAX_PROMPT = 4000
MAX_SOURCE_IMAGE = 14_000_000


def _bad(reason: str) -> Response:
    return bare(400, reason)


def validate(body: dict[str, object]) -> tuple[str, int, str, str]:
    """`(prompt, count, aspect_ratio, model)` from the hand-written checks of the real route."""
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise Reply(_bad("Prompt is required"))
    if len(prompt) > MAX_PROMPT:
        raise Reply(_bad(f"Prompt is too long. Maximum {MAX_PROMPT} characters"))
    count = body.get("numImages", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 4:
        raise Reply(_bad("numImages must be an integer between 1 and 4"))
    source = body.get("sourceImage")
    if source is not None and (not isinstance(source, str) or not source.startswith("data:image/")):
        raise Reply(_bad("sourceImage must be a base64 data URL of an image"))
    if isinstance(source, str) and len(source) > MAX_SOURCE_IMAGE:
        raise Reply(_bad("Source image is too large"))
    aspect = body.get("aspectRatio")
    aspect_ratio = aspect if isinstance(aspect, str) and aspect in ASPECT_RATIOS else "1:1"
    model = body.get("model")
    # An unknown model silently falls back to the default, like the real server.
    chosen = model if isinstance(model, str) and model in pricing.IMAGE_PRICES else None
    return prompt, count, aspect_ratio, chosen or pricing.DEFAULT_IMAGE_MODEL


async def render_images(
    ctx: Ctx, prompt: str, count: int, aspect: str, model: str
) -> list[tuple[str, str, bytes]]:
    """Draw and store `count` images as `(url, mime, bytes)`; the A2A image skill uses it too."""
    webp = model == "openai/gpt-image-2"
    fmt, mime, ext = ("WEBP", "image/webp", "webp") if webp else ("PNG", "image/png", "png")
    batch = uuid.uuid4().hex
    images: list[tuple[str, str, bytes]] = []
    for index in range(count):
        data = await anyio.to_thread.run_sync(media.draw_image, prompt, aspect, index, fmt)
        url = ctx.publish(f"images/{batch}-{index}.{ext}", mime, data)
        images.append((url, mime, data))
    return images


@group.route("/api/v1/generate-image", ["POST"], family=Family.BARE, limit="STANDARD")
async def generate_image(ctx: Ctx) -> Response:
    """Validate, bill per image, draw deterministic images and return their URLs."""
    account = ctx.account_or(
        bare(401, "Authentication required. Provide a valid session or API key.")
    )
    body = await ctx.json_object(_bad)
    prompt, count, aspect, model = validate(body)
    cost = pricing.image_cost(model, count)
    ctx.charge(
        account,
        cost,
        f"Image generation ({model}) x{count}",
        bare(402, "Insufficient credits for image generation", required=cost),
    )
    images = [
        {"url": url, "text": "", "mimeType": mime, "fileSize": len(data)}
        for url, mime, data in await render_images(ctx, prompt, count, aspect, model)
    ]
    return JSONResponse({"images": images, "numImages": len(images)})
