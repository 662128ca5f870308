"""Contract: knowledge documents, uploads and semantic search (reference §4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eliza_tools import AsyncElizaCloud, ElizaCloud, InvalidRequestError
from tests.contract.helpers import resolved

HARBOR = "The harbor ferry leaves every hour from pier 4. The harbor office opens at 6 am."


async def _upload(cloud: ElizaCloud | AsyncElizaCloud) -> Any:
    return await resolved(
        cloud.knowledge.upload_text(HARBOR, filename="harbor.txt", metadata={"source": "contract"})
    )


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


async def test_knowledge_upload_text(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    result = await _upload(cloud)
    assert result.success is True
    assert result.document_id
    assert result.fragment_count >= 1
    assert str(result.fragment_count) in result.message


async def test_knowledge_upload_files(cloud: ElizaCloud | AsyncElizaCloud, tmp_path: Path) -> None:
    notes = _write(tmp_path, "notes.md", "# Ferry\nThe ferry crosses in 20 minutes.\n")
    faq = _write(tmp_path, "faq.txt", "Tickets are sold at the harbor office.\n")
    result = await resolved(cloud.knowledge.upload_files([notes, faq]))
    assert result.success is True
    assert (result.success_count, result.failed_count, result.total_count) == (2, 0, 2)
    assert [item.filename for item in result.data] == ["notes.md", "faq.txt"]
    assert [item.size for item in result.data] == [notes.stat().st_size, faq.stat().st_size]
    assert all(item.ok and item.id and item.fragment_count for item in result.data)
    assert [item.type for item in result.data] == ["text/markdown", "text/plain"]


async def test_knowledge_query(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    await _upload(cloud)
    found = await resolved(cloud.knowledge.query("when does the harbor office open", limit=3))
    assert found.query == "when does the harbor office open"
    assert 1 <= found.count == len(found.results) <= 3
    best = found.results[0]
    assert "harbor office" in best.content
    assert 0.0 <= best.similarity <= 1.0
    assert [hit.similarity for hit in found.results] == sorted(
        (hit.similarity for hit in found.results), reverse=True
    )


async def test_knowledge_list(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    uploaded = await _upload(cloud)
    page = await resolved(cloud.knowledge.list(count=10))
    assert page.offset == 0
    assert page.count == len(page.documents) <= 10
    assert page.total >= page.count >= 1
    mine = [doc for doc in page.documents if doc.id == uploaded.document_id]
    assert len(mine) == 1
    assert mine[0].filename == "harbor.txt"
    assert mine[0].text is not None and "ferry" in mine[0].text


async def test_knowledge_delete(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    uploaded = await _upload(cloud)
    deleted = await resolved(cloud.knowledge.delete(uploaded.document_id))
    assert deleted.success is True
    page = await resolved(cloud.knowledge.list())
    assert uploaded.document_id not in {doc.id for doc in page.documents}


async def test_knowledge_check(cloud: ElizaCloud | AsyncElizaCloud) -> None:
    await _upload(cloud)
    status = await resolved(cloud.knowledge.check())
    assert status.has_documents is True
    assert status.count >= 1


async def test_knowledge_validates_before_sending(
    cloud: ElizaCloud | AsyncElizaCloud, tmp_path: Path
) -> None:
    # No cassette interaction is recorded for this test: nothing may be sent.
    text = _write(tmp_path, "a.txt", "x")
    cases: list[tuple[Any, str]] = [
        (lambda: cloud.knowledge.upload_files([text] * 6), "paths"),
        (lambda: cloud.knowledge.upload_files([_write(tmp_path, "run.exe", "x")]), "paths.0"),
        (lambda: cloud.knowledge.upload_files([text, _write(tmp_path, "a:b.txt", "x")]), "paths.1"),
        (lambda: cloud.knowledge.upload_text("  "), "content"),
        (lambda: cloud.knowledge.query("harbor", limit=0), "limit"),
        (lambda: cloud.knowledge.delete("../credits"), "document_id"),
    ]
    for make_call, field in cases:
        with pytest.raises(InvalidRequestError) as excinfo:
            await resolved(make_call())
        assert excinfo.value.field == field
