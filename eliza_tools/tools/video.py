"""`generate_video`: text to a short video (the server holds the request until it exists)."""

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
from eliza_tools.tools.output import extension_for
from eliza_tools.types.video import VIDEO_MODELS

VideoModel = Literal[VIDEO_MODELS]  # type: ignore[valid-type]


class GenerateVideoInput(ToolInput):
    """Arguments of `generate_video`."""

    prompt: str = Field(
        min_length=1,
        description=(
            "What happens in the video: subject, action, camera, mood. The model picks the "
            "length (5 to 8 seconds)."
        ),
    )
    model: VideoModel | None = Field(
        default=None,
        description=(
            f"Video model; null means {pricing.DEFAULT_VIDEO_MODEL} ($3.20). Cheaper: "
            "fal-ai/minimax/hailuo-2.3/standard/text-to-video ($0.28)."
        ),
    )


class GenerateVideoResult(ToolResult):
    """The generated video: its URL, the saved file when saved, its size and shape."""

    url: str
    path: Path | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    model: str

    def summary(self) -> str:
        """Where the video is; never the bytes."""
        shape = f" {self.width}x{self.height}" if self.width and self.height else ""
        saved = f", saved to {self.path}" if self.path else ""
        return f"Generated a{shape} video with {self.model}: {self.url}{saved}"


def _plan(cloud: AnyCloud, args: GenerateVideoInput, ctx: ToolContext) -> Plan[GenerateVideoResult]:
    result = yield from step(cloud.video.generate(args.prompt, **args.given("model")))
    video = result.video
    model = args.model or pricing.DEFAULT_VIDEO_MODEL
    path, size = None, video.file_size
    if ctx.save_video:
        target = ctx.output.new_path("video", extension_for(video.content_type, "mp4"))
        saved = yield from step(cloud.video.download(video.url, target))
        path, size = saved.path, saved.size
    return GenerateVideoResult(
        url=video.url,
        path=path,
        mime_type=video.content_type,
        width=video.width,
        height=video.height,
        size_bytes=size,
        model=model,
        cost_usd=pricing.video_cost(model),
    )


GENERATE_VIDEO = CloudTool(
    name="generate_video",
    description=(
        "Generate a short video (5 to 8 s) from a text prompt with elizaOS Cloud. Slow "
        "(30 to 180 s), limited to 5 calls per 5 minutes and expensive ($0.28 to $3.20): "
        "call it once per video the user asked for."
    ),
    input_model=GenerateVideoInput,
    result_model=GenerateVideoResult,
    plan=_plan,
    estimate=lambda args: pricing.video_cost(args.model),
)
