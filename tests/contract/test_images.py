"""Contract: image generation."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from tests.contract.helpers import resolved


async def test_images_generate(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    result = await resolved(
        cloud.images.generate("a red fox in the snow", num_images=2, size="1792x1024")
    )
    assert result.num_images == 2
    assert len(result.images) == 2
    for image in result.images:
        assert image.url is not None and image.url.startswith("http")
        assert image.mime_type is not None and image.mime_type.startswith("image/")
        assert image.file_size is not None and image.file_size > 0


async def test_images_generate_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud,
) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.images.generate("x" * 4001))
    assert excinfo.value.field == "prompt"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.images.generate("fox", num_images=5))
    assert excinfo.value.field == "num_images"
