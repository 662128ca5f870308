"""Contract: video generation (reference §2) and downloading the stored video."""

from __future__ import annotations

from pathlib import Path

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from tests.contract.helpers import resolved

PROMPT = "a paper boat drifting down a rainy street"


async def test_video_generate(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    elapsed: list[float] = []
    result = await resolved(
        cloud.video.generate(
            PROMPT, model="fal-ai/veo3/fast", progress=elapsed.append, progress_interval=0.05
        )
    )
    video = result.video
    assert video.url.startswith("http")
    assert video.content_type == "video/mp4"
    assert video.width is not None and video.width > 0
    assert video.height is not None and video.height > 0
    assert video.file_name is not None and video.file_name.endswith(".mp4")
    assert video.file_size is not None and video.file_size > 0
    assert result.request_id
    assert result.has_nsfw_concepts == [False]
    assert elapsed == sorted(elapsed)  # progress reports only ever grow


async def test_video_download(cloud: ElizaCloud | AsyncElizaCloud, tmp_path: Path) -> None:
    result = await resolved(cloud.video.generate(PROMPT))
    target = tmp_path / "boat.mp4"
    saved = await resolved(cloud.video.download(result.video.url, target))
    assert saved.path == target
    assert saved.size == result.video.file_size == target.stat().st_size
    assert target.read_bytes()[4:8] == b"ftyp"  # an MP4 container
    assert not (tmp_path / "boat.mp4.part").exists()


async def test_video_generate_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud,
) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.video.generate("a fox", model="fal-ai/sora"))
    assert excinfo.value.field == "model"
    assert "fal-ai/veo3" in excinfo.value.reason  # the valid models are listed
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.video.generate("   "))
    assert excinfo.value.field == "prompt"
