"""Contract: the command-line browser login (no API key involved)."""

from __future__ import annotations

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, NotFoundError
from tests.contract.helpers import resolved

SESSION = "7d3f9a2e-1c5b-4e8a-9f06-b2d4c8e1a357"
UNKNOWN = "0f0e0d0c-0b0a-4908-8706-050403020100"


async def test_auth_start_cli_login(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    session = await resolved(cloud.auth.start_cli_login(SESSION))
    assert session.session_id == SESSION
    assert session.status == "pending"
    assert session.expires_at is not None
    site = cloud.base_url.removesuffix("/api/v1")
    assert session.browser_url == f"{site}/auth/cli-login?session={SESSION}"


async def test_auth_poll_cli_login(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    await resolved(cloud.auth.start_cli_login(SESSION))
    status = await resolved(cloud.auth.poll_cli_login(SESSION))
    assert status.status == "pending"
    assert status.authenticated is False
    assert status.api_key is None
    with pytest.raises(NotFoundError) as excinfo:
        await resolved(cloud.auth.poll_cli_login(UNKNOWN))
    assert "expired" in str(excinfo.value)
