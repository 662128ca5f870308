"""`client.knowledge`: the organization's documents and semantic search (`/api/v1/knowledge*`).

Reference §4. Every knowledge route answers *any* failure with 500, auth failures
included (the error tree turns those back into `AuthenticationError`), so a 500
here is not retried: it is rarely a transient fault.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Unpack

from eliza_tools._resource import APIResource, ModeT, endpoint, parse_as
from eliza_tools._transport import READ, WRITE, Call, RequestOptions, RetryPolicy
from eliza_tools.errors import InvalidRequestError
from eliza_tools.resources._files import load_uploads
from eliza_tools.types._base import Deleted, validate_request
from eliza_tools.types.knowledge import (
    ALLOWED_EXTENSIONS,
    FORBIDDEN_FILENAME_PARTS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_FILES,
    FileUploadResult,
    KnowledgeCheck,
    KnowledgeList,
    KnowledgeListQuery,
    KnowledgeQuery,
    KnowledgeQueryResult,
    TextUpload,
    TextUploadResult,
)

UPLOAD_TIMEOUT = 300.0  # the server processes uploads synchronously (maxDuration 300 s)
# READ without 500: on these routes a 500 is usually an auth or validation failure.
KNOWLEDGE_READ = RetryPolicy(
    retry_statuses=READ.retry_statuses - {500}, retry_read_errors=READ.retry_read_errors
)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def _upload_text(
    content: str,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    metadata: dict[str, Any] | None = None,
    character_id: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[TextUploadResult]:
    """Store a text document; it is split into fragments and embedded for `query`.

    `content_type` defaults to text/plain on the server; `character_id` scopes the
    document to one of the organization's characters.
    """
    body = validate_request(
        TextUpload,
        content=content,
        filename=filename,
        content_type=content_type,
        metadata=metadata,
        character_id=character_id,
    )
    return Call(
        "POST",
        "/knowledge",
        parse_as(TextUploadResult),
        policy=WRITE,
        json=body.to_wire(),
        timeout=UPLOAD_TIMEOUT,
        options=options,
    )


def _checked_name(path: str | os.PathLike[str], index: int) -> tuple[str, str]:
    """(filename, content type) of one upload, refused if the server would refuse it."""
    name = Path(path).name
    field = f"paths.{index}"
    bad = [part for part in FORBIDDEN_FILENAME_PARTS if part in name]
    if bad:
        raise InvalidRequestError(field, f"filename {name!r} may not contain {' '.join(bad)}")
    content_type = ALLOWED_EXTENSIONS.get(Path(name).suffix.lower())
    if content_type is None:
        allowed = " ".join(ALLOWED_EXTENSIONS)
        raise InvalidRequestError(field, f"{name!r}: unsupported file type (allowed: {allowed})")
    return name, content_type


def _upload_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    character_id: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[FileUploadResult]:
    """Upload 1 to 5 files (at most 5 MB together): pdf, txt, md, doc, docx, json, xml,
    yaml, yml or csv. Each file succeeds or fails on its own: see `data[i].status`."""
    if isinstance(paths, str | os.PathLike) or not 1 <= len(paths) <= MAX_UPLOAD_FILES:
        raise InvalidRequestError("paths", f"expected a list of 1 to {MAX_UPLOAD_FILES} files")
    names = [_checked_name(path, index) for index, path in enumerate(paths)]
    uploads = load_uploads(
        paths,
        field="paths",
        max_each=MAX_UPLOAD_BYTES,
        max_total=MAX_UPLOAD_BYTES,
        default_name="document.txt",
    )
    files = [
        ("files", (name, upload.content, content_type))
        for (name, content_type), upload in zip(names, uploads, strict=True)
    ]
    return Call(
        "POST",
        "/knowledge/upload-file",
        parse_as(FileUploadResult),
        policy=WRITE,
        files=files,
        data={"characterId": character_id} if character_id else None,
        timeout=UPLOAD_TIMEOUT,
        options=options,
    )


def _query(
    query: str,
    *,
    limit: int = 5,
    character_id: str | None = None,
    **options: Unpack[RequestOptions],
) -> Call[KnowledgeQueryResult]:
    """Semantic search over the stored documents; the `limit` best fragments, best first."""
    body = validate_request(KnowledgeQuery, query=query, limit=limit, character_id=character_id)
    return Call(
        "POST",
        "/knowledge/query",
        parse_as(KnowledgeQueryResult),
        policy=KNOWLEDGE_READ,  # a search changes nothing: safe to retry
        json=body.to_wire(),
        options=options,
    )


def _list(
    *,
    character_id: str | None = None,
    count: int = 100,
    offset: int = 0,
    **options: Unpack[RequestOptions],
) -> Call[KnowledgeList]:
    """A page of stored documents (elizaOS `Memory` objects), newest first."""
    query = validate_request(
        KnowledgeListQuery, character_id=character_id, count=count, offset=offset
    )
    return Call(
        "GET",
        "/knowledge",
        parse_as(KnowledgeList),
        policy=KNOWLEDGE_READ,
        params=query.to_wire(),
        options=options,
    )


def _delete(document_id: str, **options: Unpack[RequestOptions]) -> Call[Deleted]:
    """Delete one document by its UUID (`TextUploadResult.document_id`, `UploadedFile.id`)."""
    if not _UUID.match(document_id):
        raise InvalidRequestError("document_id", f"expected a UUID, got {document_id!r}")
    return Call(
        "DELETE", f"/knowledge/{document_id}", parse_as(Deleted), policy=WRITE, options=options
    )


def _check(
    *, character_id: str | None = None, **options: Unpack[RequestOptions]
) -> Call[KnowledgeCheck]:
    """Whether there are documents (for the organization, or for one character)."""
    return Call(
        "GET",
        "/knowledge/check",
        parse_as(KnowledgeCheck),
        policy=KNOWLEDGE_READ,
        params={"characterId": character_id} if character_id else None,
        options=options,
    )


class Knowledge(APIResource[ModeT]):
    """Documents and semantic search (STANDARD rate limit: 60 requests per minute)."""

    upload_text = endpoint(_upload_text)
    upload_files = endpoint(_upload_files)
    query = endpoint(_query)
    list = endpoint(_list)
    delete = endpoint(_delete)
    check = endpoint(_check)
