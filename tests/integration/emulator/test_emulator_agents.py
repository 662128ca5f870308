"""Agents: creation, my-agents listing, discovery filters and pagination, agent cards."""

from __future__ import annotations

import httpx
import pytest

from eliza_tools.emulator import EmulatorHandle
from tests.fixtures.emulator import auth_headers


def _create(site: httpx.Client, name: str, **extra: object) -> dict[str, object]:
    r = site.post("/api/v1/app/agents", json={"name": name, **extra})
    assert r.status_code == 201, r.text
    agent: dict[str, object] = r.json()["agent"]
    return agent


def test_created_agents_are_listed_discoverable_and_have_cards(site: httpx.Client) -> None:
    alpha = _create(site, "  Alpha  ", bio="Knows volcanoes.", tokenAddress="0xabc")
    assert alpha["name"] == "Alpha" and alpha["bio"] == ["Knows volcanoes."]
    assert alpha["token_address"] == "0xabc" and "created_at" in alpha
    for name in ("Beta", "Gamma", "Delta"):
        _create(site, name, bio=f"{name} bio")
    chars = site.get("/api/my-agents/characters?limit=2&page=2&sortBy=name&order=asc").json()
    assert [c["name"] for c in chars["data"]["characters"]] == ["Delta", "Gamma"]
    assert chars["data"]["pagination"] == {
        "page": 2,
        "limit": 2,
        "total": 4,
        "totalPages": 2,
        "hasMore": False,
    }
    searched = site.get("/api/my-agents/characters?search=volcano").json()["data"]["characters"]
    assert [c["id"] for c in searched] == [alpha["id"]]
    one = site.get(f"/api/my-agents/characters/{alpha['id']}").json()
    assert one["data"]["character"]["is_public"] is True

    disc = site.get("/api/v1/discovery?limit=3").json()
    assert disc["total"] == 4 and len(disc["services"]) == 3 and disc["hasMore"] is True
    assert disc["pagination"] == {"limit": 3, "offset": 0} and disc["cached"] is False
    rest = site.get("/api/v1/discovery?limit=3&offset=3").json()
    assert len(rest["services"]) == 1 and rest["hasMore"] is False
    hit = site.get("/api/v1/discovery?query=volcano").json()["services"]
    assert [s["id"] for s in hit] == [alpha["id"]]
    assert hit[0]["type"] == "agent"
    assert hit[0]["a2aEndpoint"].endswith(f"/api/agents/{alpha['id']}/a2a")
    assert site.get("/api/v1/discovery?types=mcp").json()["total"] == 0
    assert site.get("/api/v1/discovery?x402Only=true").json()["total"] == 0

    card = httpx.get(hit[0]["a2aEndpoint"]).json()
    assert card["name"] == "Alpha" and card["capabilities"]["streaming"] is True
    assert {s["id"] for s in card["skills"]} == {"chat", "generate_image"}

    assert site.delete(f"/api/my-agents/characters/{alpha['id']}").json()["success"] is True
    assert site.get(f"/api/my-agents/characters/{alpha['id']}").status_code == 404
    assert site.get(f"/api/agents/{alpha['id']}/a2a").status_code == 404


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("limit=0", ["limit"]),
        ("limit=101", ["limit"]),
        ("offset=-1", ["offset"]),
        ("types=robot", ["types"]),
        ("limit=abc", ["limit"]),
    ],
)
def test_discovery_rejects_bad_parameters(
    shared: httpx.Client, query: str, path: list[str]
) -> None:
    r = shared.get(f"/api/v1/discovery?{query}")
    assert r.status_code == 400
    assert r.json()["error"] == "Invalid parameters"
    assert r.json()["details"][0]["path"] == path


def test_discovery_is_public(emulator_session: EmulatorHandle) -> None:
    r = httpx.get(f"{emulator_session.base_url}/discovery")
    assert r.status_code == 200 and "X-RateLimit-Limit" in r.headers


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "bio": 3}, "bio"),
        ({"name": "ok", "a2aEndpoint": "ftp://x"}, "a2aEndpoint"),
    ],
)
def test_agent_validation(shared: httpx.Client, body: dict[str, object], field: str) -> None:
    r = shared.post("/api/v1/app/agents", json=body)
    assert r.status_code == 400
    assert r.json()["success"] is False and r.json()["error"] == "Invalid request data"
    assert field in r.json()["details"]


def test_agent_quota_and_token_conflict(emulator: EmulatorHandle, site: httpx.Client) -> None:
    emulator.set_balance(0.5)  # below $1: five agents
    for i in range(5):
        _create(site, f"a{i}", tokenAddress=f"0x{i}" if i == 0 else None)
    r = site.post("/api/v1/app/agents", json={"name": "sixth"})
    assert r.status_code == 403
    assert r.json()["details"] == {"current": 5, "max": 5, "upgrade_hint": "Add credits"}
    emulator.set_balance(5)
    r = site.post("/api/v1/app/agents", json={"name": "dup", "tokenAddress": "0x0"})
    assert r.status_code == 409 and "existingAgentId" in r.json()


def test_agent_routes_auth(emulator_session: EmulatorHandle) -> None:
    fake = auth_headers("eliza_" + "99" * 32)
    r = httpx.post(f"{emulator_session.base_url}/app/agents", json={"name": "x"}, headers=fake)
    assert r.status_code == 401 and r.json()["success"] is False
    r = httpx.get(f"{emulator_session.site_url}/api/my-agents/characters")
    assert r.status_code == 401 and r.json()["code"] == "authentication_required"
