"""Knowledge: uploads with the real limits, chunking, BM25 ranking, list/check/delete."""

from __future__ import annotations

import httpx
import pytest

from eliza_tools.emulator import EmulatorHandle
from eliza_tools.emulator.routes.knowledge import chunk
from tests.fixtures.emulator import auth_headers

DOCS = {
    "volcano.txt": "Volcanoes erupt molten lava and ash. Magma chambers feed the eruption.",
    "bread.md": "Sourdough bread needs flour, water, salt and a starter culture.",
    "tides.txt": "Ocean tides follow the moon. Spring tides are larger than neap tides.",
}


def test_upload_query_ranks_the_relevant_fragment_first(site: httpx.Client) -> None:
    r = site.post("/api/v1/knowledge", json={"content": DOCS["volcano.txt"], "filename": "v.txt"})
    assert r.status_code == 200
    assert r.json()["success"] is True and r.json()["fragmentCount"] == 1
    files = [("files", (name, text.encode(), "text/plain")) for name, text in DOCS.items()][1:]
    r = site.post("/api/v1/knowledge/upload-file", files=files)
    assert r.status_code == 200, r.text
    assert r.json()["successCount"] == 2 and r.json()["totalCount"] == 2
    result = site.post("/api/v1/knowledge/query", json={"query": "what makes bread rise? starter"})
    body = result.json()
    assert body["count"] == 3
    assert "Sourdough" in body["results"][0]["content"]
    similarities = [x["similarity"] for x in body["results"]]
    assert all(0 <= s <= 1 for s in similarities) and similarities == sorted(
        similarities, reverse=True
    )
    assert similarities[0] > similarities[-1]
    limited = site.post("/api/v1/knowledge/query", json={"query": "moon tides", "limit": 1}).json()
    assert limited["count"] == 1 and "tides" in limited["results"][0]["content"]


def test_list_check_delete(site: httpx.Client) -> None:
    assert site.get("/api/v1/knowledge/check").json() == {"hasDocuments": False, "count": 0}
    doc_id = site.post("/api/v1/knowledge", json={"content": "hello world"}).json()["documentId"]
    listing = site.get("/api/v1/knowledge?count=10").json()
    assert listing["total"] == 1 and listing["documents"][0]["id"] == doc_id
    assert listing["documents"][0]["content"]["text"] == "hello world"
    assert site.get("/api/v1/knowledge/check").json() == {"hasDocuments": True, "count": 1}
    r = site.delete(f"/api/v1/knowledge/{doc_id}")
    assert r.json() == {"success": True, "message": "Document deleted successfully"}
    assert site.delete(f"/api/v1/knowledge/{doc_id}").status_code == 404
    assert site.delete("/api/v1/knowledge/not-a-uuid").status_code == 400


def test_upload_limits(shared: httpx.Client) -> None:
    r = shared.post("/api/v1/knowledge/upload-file", files={"other": ("a.txt", b"x")})
    assert r.status_code == 400 and r.json()["error"] == "No files provided"
    many = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(6)]
    r = shared.post("/api/v1/knowledge/upload-file", files=many)
    assert r.status_code == 400 and r.json()["error"] == "Too many files"
    big = [("files", ("big.txt", b"x" * (5 * 1024 * 1024 + 1), "text/plain"))]
    r = shared.post("/api/v1/knowledge/upload-file", files=big)
    assert r.status_code == 413 and r.json()["error"] == "Upload too large"
    r = shared.post(
        "/api/v1/knowledge/upload-file", files=[("files", ("a.exe", b"x", "text/plain"))]
    )
    assert r.status_code == 400 and r.json()["error"] == "Unsupported file type"
    r = shared.post(
        "/api/v1/knowledge/upload-file", files=[("files", ("..a.txt", b"x", "text/plain"))]
    )
    assert r.status_code == 400 and r.json()["error"] == "Invalid filename"


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("/api/v1/knowledge", {}, "Content is required"),
        ("/api/v1/knowledge/query", {}, "Query is required"),
        ("/api/v1/knowledge/query", {"query": "x", "limit": 0}, "limit must be a positive integer"),
    ],
)
def test_validation(shared: httpx.Client, path: str, body: dict[str, object], error: str) -> None:
    r = shared.post(path, json=body)
    assert (r.status_code, r.json()) == (400, {"error": error})


def test_auth_failure_is_a_500_like_the_real_routes(emulator_session: EmulatorHandle) -> None:
    r = httpx.post(
        f"{emulator_session.base_url}/knowledge/query",
        json={"query": "x"},
        headers=auth_headers("eliza_" + "12" * 32),
    )
    assert r.status_code == 500
    assert r.json() == {
        "error": "Failed to query knowledge",
        "details": "Invalid or expired API key",
    }
    assert "x-ratelimit-limit" in r.headers


def test_chunking_keeps_fragments_small() -> None:
    text = ("A sentence about things. " * 100).strip()
    fragments = chunk(text, 200)
    assert len(fragments) > 5 and all(len(f) <= 200 for f in fragments)
    assert " ".join(fragments) == text
