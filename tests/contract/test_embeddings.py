"""Contract: OpenAI-compatible embeddings."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from tests.contract.helpers import resolved

MODEL = "openai/text-embedding-3-small"


async def test_embeddings_create(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    result = await resolved(cloud.embeddings.create(["red fox", "blue whale"], MODEL))
    assert result.object == "list"
    assert result.model == MODEL
    assert [item.index for item in result.data] == [0, 1]
    vectors = result.vectors
    assert len(vectors) == 2
    assert len(vectors[0]) == len(vectors[1]) > 0
    assert vectors[0] != vectors[1]
    assert result.usage is not None and result.usage.total_tokens > 0


async def test_embeddings_create_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud,
) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.embeddings.create([], MODEL))
    assert excinfo.value.field == "input"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.embeddings.create(["ok", ""], MODEL))
    assert excinfo.value.field == "input.1"
    with pytest.raises(InvalidRequestError) as excinfo:
        await resolved(cloud.embeddings.create("ok", ""))
    assert excinfo.value.field == "model"
