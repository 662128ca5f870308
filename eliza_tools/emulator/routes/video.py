"""`POST /api/v1/generate-video`: synchronous like the real route, after `video_delay`."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import anyio.to_thread
from starlette.responses import JSONResponse, Response

from eliza_tools import pricing
from eliza_tools.emulator import media
from eliza_tools.emulator.errors import Family, bare
from eliza_tools.emulator.routing import Ctx, RouteGroup

group = RouteGroup("video")


@group.route("/api/v1/generate-video", ["POST"], family=Family.BARE, limit="CRITICAL")
async def generate_video(ctx: Ctx) -> Response:
    """Validate, bill, wait `video_delay / speedup`, then return a real ~1 s H.264 MP4."""
    account = ctx.account_or(bare(401, "Invalid or expired API key"))
    body = await ctx.json_object(lambda reason: bare(400, reason))
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return bare(400, "Prompt is required")
    model = body.get("model", pricing.DEFAULT_VIDEO_MODEL)
    if model not in pricing.VIDEO_PRICES:
        return bare(400, "Invalid model specified", validModels=list(pricing.VIDEO_PRICES))
    cost = pricing.video_cost(str(model))
    ctx.charge(
        account,
        cost,
        f"Video generation ({model})",
        bare(402, "Insufficient credits for video generation", required=cost),
    )
    await asyncio.sleep(ctx.emu.config.video_delay / ctx.emu.config.speedup)
    data, width, height = await anyio.to_thread.run_sync(media.render_video, prompt)
    generation = str(uuid.uuid4())
    file_name = f"{generation}.mp4"
    url = ctx.publish(f"videos/{file_name}", "video/mp4", data)
    seed = int(hashlib.sha256(prompt.encode()).hexdigest()[:8], 16)
    return JSONResponse(
        {
            "video": {
                "url": url,
                "content_type": "video/mp4",
                "width": width,
                "height": height,
                "file_name": file_name,
                "file_size": len(data),
            },
            "seed": seed,
            "has_nsfw_concepts": [False],
            "timings": {"inference": ctx.emu.config.video_delay},
            "requestId": generation,
        }
    )
