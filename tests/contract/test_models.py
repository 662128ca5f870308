"""Contract: the gateway's model list."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, NotFoundError
from tests.contract.helpers import resolved


async def test_models_list(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    models = await resolved(cloud.models.list())
    assert models.object == "list"
    assert models.data, "the gateway serves at least one model"
    assert len(set(models.ids)) == len(models.ids)
    for model in models.data:
        assert model.object == "model"
        assert model.owned_by


async def test_models_get(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    model = await resolved(cloud.models.get("openai/gpt-4o-mini"))
    assert model.id == "openai/gpt-4o-mini"
    assert model.owned_by == "openai"
    with pytest.raises(NotFoundError) as excinfo:
        await resolved(cloud.models.get("nope/no-such-model"))
    assert excinfo.value.status_code == 404
    assert excinfo.value.code == "invalid_request_error"
