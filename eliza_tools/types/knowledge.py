"""Knowledge shapes: documents, uploads and semantic search (`/api/v1/knowledge*`, reference §4)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from eliza_tools.types._base import ElizaModel, RequestModel

__all__ = [
    "ALLOWED_EXTENSIONS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_FILES",
    "FileUploadResult",
    "KnowledgeCheck",
    "KnowledgeDocument",
    "KnowledgeHit",
    "KnowledgeList",
    "KnowledgeListQuery",
    "KnowledgeQuery",
    "KnowledgeQueryResult",
    "TextUpload",
    "TextUploadResult",
    "UploadedFile",
]

MAX_UPLOAD_FILES = 5
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # per file and for the whole request
# Extension -> the content type sent for it (all are on the server's allowed list).
ALLOWED_EXTENSIONS: dict[str, str] = {
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".json": "application/json",
    ".xml": "application/xml",
    ".yaml": "text/yaml",
    ".yml": "text/yaml",
    ".csv": "text/csv",
}
FORBIDDEN_FILENAME_PARTS = ("/", "\\", ":", "*", "?", '"', "<", ">", "|", "..")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


class TextUpload(RequestModel):
    """The body of `POST /knowledge`: one document sent as text."""

    content: str = Field(min_length=1)
    content_type: str | None = None  # server default "text/plain"
    filename: str | None = None  # server default "document.txt"
    metadata: dict[str, Any] | None = None
    character_id: str | None = None

    _content_not_blank = field_validator("content")(_not_blank)


class TextUploadResult(ElizaModel):
    """`POST /knowledge`: the new document and how many fragments it was split into."""

    success: bool = True
    document_id: str
    fragment_count: int = 0
    message: str | None = None


class UploadedFile(ElizaModel):
    """One file of a multipart upload; `status` is `success` or `error_processing`."""

    id: str = ""
    filename: str
    type: str | None = None
    size: int | None = None
    uploaded_at: int | None = None  # epoch milliseconds
    fragment_count: int | None = None
    status: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Stored and split into fragments."""
        return self.status == "success"


class FileUploadResult(ElizaModel):
    """`POST /knowledge/upload-file`: per-file outcomes (some may fail while others succeed)."""

    success: bool
    data: list[UploadedFile]
    message: str | None = None
    success_count: int = 0
    failed_count: int = 0
    total_count: int = 0


class KnowledgeQuery(RequestModel):
    """The body of `POST /knowledge/query` (the server ignores a `minScore`)."""

    query: str = Field(min_length=1)
    limit: int = Field(default=5, ge=1)
    character_id: str | None = None

    _query_not_blank = field_validator("query")(_not_blank)


class KnowledgeHit(ElizaModel):
    """One fragment found by a query; `similarity` is 0 when the service gives none."""

    id: str
    content: str
    similarity: float = 0.0
    metadata: dict[str, Any] = Field(default_factory=dict)


class KnowledgeQueryResult(ElizaModel):
    """`POST /knowledge/query`: the best fragments, best first."""

    query: str
    results: list[KnowledgeHit]
    count: int = 0


class KnowledgeListQuery(RequestModel):
    """Query of `GET /knowledge`."""

    character_id: str | None = None
    count: int = Field(default=100, ge=1)
    offset: int = Field(default=0, ge=0)


class KnowledgeDocument(ElizaModel):
    """A stored document, as the elizaOS `Memory` object the list returns."""

    id: str
    entity_id: str | None = None
    agent_id: str | None = None
    room_id: str | None = None
    content: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: int | str | None = None

    @property
    def text(self) -> str | None:
        """The document's text, when the server included it."""
        value = self.content.get("text")
        return value if isinstance(value, str) else None

    @property
    def filename(self) -> str | None:
        """The original filename (metadata `filename`, else `title`)."""
        value = self.metadata.get("filename", self.metadata.get("title"))
        return value if isinstance(value, str) else None


class KnowledgeList(ElizaModel):
    """`GET /knowledge`: a page of documents."""

    documents: list[KnowledgeDocument]
    total: int = 0
    count: int = 0
    offset: int = 0


class KnowledgeCheck(ElizaModel):
    """`GET /knowledge/check`: whether there is anything to search."""

    has_documents: bool
    count: int = 0
