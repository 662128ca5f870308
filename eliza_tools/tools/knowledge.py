"""Knowledge tools: `upload_knowledge` (text or local files) and `query_knowledge`."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field, model_validator

from eliza_tools.tools.base import (
    AnyCloud,
    CloudTool,
    Plan,
    ToolContext,
    ToolInput,
    ToolResult,
    step,
)
from eliza_tools.types.knowledge import ALLOWED_EXTENSIONS, MAX_UPLOAD_FILES

MAX_PASSAGE_CHARS = 600  # per passage in the LLM's content; the artifact keeps the full text


class UploadKnowledgeInput(ToolInput):
    """Arguments of `upload_knowledge`: either `content` or `file_paths`."""

    content: str | None = Field(
        default=None,
        min_length=1,
        max_length=1_000_000,
        description="Text to store (give this or file_paths, not both).",
    )
    title: str | None = Field(
        default=None,
        min_length=1,
        max_length=120,
        description="A file name for the text, e.g. 'refund-policy.md'; null for document.txt.",
    )
    file_paths: list[str] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_UPLOAD_FILES,
        description=(
            f"Local files to store, 1 to {MAX_UPLOAD_FILES}, at most 5 MB together; types "
            f"{' '.join(ALLOWED_EXTENSIONS)}. Give this or content, not both."
        ),
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.content is None) == (self.file_paths is None):
            raise ValueError("give exactly one of content or file_paths")
        return self


class StoredDocument(BaseModel):
    """One stored document."""

    id: str
    filename: str
    fragments: int | None = None
    status: str = "success"
    error: str | None = None


class UploadKnowledgeResult(ToolResult):
    """The documents stored (and any that failed)."""

    documents: list[StoredDocument]

    def summary(self) -> str:
        """Counts, ids and failures."""
        done = [d for d in self.documents if d.status == "success"]
        failed = [d for d in self.documents if d.status != "success"]
        text = f"Stored {len(done)} document(s): " + ", ".join(
            f"{d.filename} (id {d.id}, {d.fragments} fragments)" for d in done
        )
        if failed:
            text += ". Failed: " + ", ".join(f"{d.filename} ({d.error})" for d in failed)
        return text


def _upload(
    cloud: AnyCloud, args: UploadKnowledgeInput, ctx: ToolContext
) -> Plan[UploadKnowledgeResult]:
    if args.content is not None:
        stored = yield from step(cloud.knowledge.upload_text(args.content, filename=args.title))
        document = StoredDocument(
            id=stored.document_id,
            filename=args.title or "document.txt",
            fragments=stored.fragment_count,
        )
        return UploadKnowledgeResult(documents=[document])
    paths = [
        ctx.output.readable(raw, field=f"file_paths.{index}")
        for index, raw in enumerate(args.file_paths or [])
    ]
    uploaded = yield from step(cloud.knowledge.upload_files(paths))
    return UploadKnowledgeResult(
        documents=[
            StoredDocument(
                id=item.id,
                filename=item.filename,
                fragments=item.fragment_count,
                status=item.status,
                error=item.error,
            )
            for item in uploaded.data
        ]
    )


UPLOAD_KNOWLEDGE = CloudTool(
    name="upload_knowledge",
    description=(
        "Store text or local documents in the elizaOS Cloud knowledge base so "
        "query_knowledge can find them later."
    ),
    input_model=UploadKnowledgeInput,
    result_model=UploadKnowledgeResult,
    plan=_upload,
)


class QueryKnowledgeInput(ToolInput):
    """Arguments of `query_knowledge`."""

    query: str = Field(
        min_length=1,
        max_length=2000,
        description="A question or keywords; passages are ranked by meaning, not exact words.",
    )
    limit: int | None = Field(
        default=None, ge=1, le=20, description="How many passages, 1 to 20. Null means 5."
    )


class Passage(BaseModel):
    """One passage found."""

    id: str
    content: str
    similarity: float
    metadata: dict[str, Any] = {}


class QueryKnowledgeResult(ToolResult):
    """The best passages, best first."""

    query: str
    passages: list[Passage]

    def summary(self) -> str:
        """Numbered passages with their scores (long ones shortened)."""
        if not self.passages:
            return f"No passages match {self.query!r}. Upload documents first or rephrase."
        lines = [f"{len(self.passages)} passage(s) for {self.query!r}:"]
        for number, passage in enumerate(self.passages, 1):
            text = passage.content
            if len(text) > MAX_PASSAGE_CHARS:
                text = text[:MAX_PASSAGE_CHARS] + "…"
            lines.append(f"[{number}] (score {passage.similarity:.2f}, id {passage.id}) {text}")
        return "\n".join(lines)


def _query(
    cloud: AnyCloud, args: QueryKnowledgeInput, ctx: ToolContext
) -> Plan[QueryKnowledgeResult]:
    found = yield from step(cloud.knowledge.query(args.query, limit=args.limit or 5))
    return QueryKnowledgeResult(
        query=args.query,
        passages=[
            Passage(
                id=hit.id, content=hit.content, similarity=hit.similarity, metadata=hit.metadata
            )
            for hit in found.results
        ],
    )


QUERY_KNOWLEDGE = CloudTool(
    name="query_knowledge",
    description=(
        "Search the elizaOS Cloud knowledge base for passages relevant to a question. Free."
    ),
    input_model=QueryKnowledgeInput,
    result_model=QueryKnowledgeResult,
    plan=_query,
    read_only=True,
)
