"""Knowledge routes (reference §4): upload, chunking, BM25 ranking, list, check, delete.

Like the real handlers, every failure that is not a validation error, auth
failures included, is answered `500 {"error": "Failed to <op>", "details": msg}`.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.errors import Family, Reply, bare
from eliza_tools.emulator.routing import Ctx, RouteGroup
from eliza_tools.emulator.store import Record

group = RouteGroup("knowledge")

MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
FRAGMENT_CHARS = 600
EXTENSIONS = (".pdf", ".txt", ".md", ".doc", ".docx", ".json", ".xml", ".yaml", ".yml", ".csv")
CONTENT_TYPES = {
    "application/pdf",
    "text/plain",
    "text/markdown",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/json",
    "application/xml",
    "text/xml",
    "application/x-yaml",
    "application/yaml",
    "text/yaml",
    "text/csv",
    "application/octet-stream",
}
_BAD_FILENAME = re.compile(r'[/\\:*?"<>|]|\.\.')
_WORD = re.compile(r"\w+")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def _failed(op: str, details: str) -> Response:
    return bare(500, f"Failed to {op}", details=details)


def _account(ctx: Ctx, op: str) -> Record:
    return ctx.account_or(_failed(op, "Invalid or expired API key"))


async def _json_with_text(
    ctx: Ctx, op: str, key: str, name: str
) -> tuple[Record, dict[str, Any], str]:
    """The caller's account, the JSON body and its non-blank text `key` ("<name> is required")."""
    account = _account(ctx, op)
    body = await ctx.json_object(lambda reason: bare(400, reason))
    text = body.get(key)
    if not isinstance(text, str) or not text.strip():
        raise Reply(bare(400, f"{name} is required"))
    return account, body, text


def chunk(text: str, size: int = FRAGMENT_CHARS) -> list[str]:
    """Split text into fragments of about `size` characters on paragraph and sentence ends."""
    pieces = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    sentences = [s for p in pieces for s in re.split(r"(?<=[.!?])\s+", p) if s]
    fragments: list[str] = []
    current = ""
    for sentence in sentences:
        while len(sentence) > size:  # one very long sentence: cut it hard
            fragments.append(sentence[:size])
            sentence = sentence[size:]
        if current and len(current) + len(sentence) + 1 > size:
            fragments.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        fragments.append(current)
    return fragments


def tokens(text: str) -> list[str]:
    """Lower-case word tokens for BM25."""
    return _WORD.findall(text.lower())


def save_document(
    ctx: Ctx,
    account: Record,
    text: str,
    filename: str,
    content_type: str,
    metadata: dict[str, Any],
    character_id: str | None,
) -> Record:
    """Chunk and store one document; returns its record."""
    doc_id = str(uuid.uuid4())
    fragments = [{"id": str(uuid.uuid4()), "text": t} for t in chunk(text)]
    return ctx.store.put(
        "documents",
        doc_id,
        {
            "id": doc_id,
            "accountId": account["id"],
            "characterId": character_id,
            "filename": filename,
            "contentType": content_type,
            "size": len(text.encode()),
            "text": text,
            "metadata": metadata,
            "fragments": fragments,
            "createdAt": now_iso(),
            "createdTs": int(time.time() * 1000),
        },
    )


def _documents(ctx: Ctx, account: Record, character_id: str | None) -> list[Record]:
    docs = ctx.owned("documents", account)
    return [d for d in docs if character_id is None or d["characterId"] == character_id]


def _json_route_text(content: str, content_type: str) -> str:
    """Text types arrive as text; other types arrive base64-encoded, as on the real route."""
    if content_type.startswith("text/") or content_type == "application/json":
        return content
    try:
        return base64.b64decode(content, validate=True).decode("utf-8")
    except ValueError:
        return content


@group.route("/api/v1/knowledge", ["POST"], family=Family.BARE, limit="STANDARD")
async def upload_json(ctx: Ctx) -> Response:
    """Store a text document sent as JSON."""
    account, body, content = await _json_with_text(ctx, "process document", "content", "Content")
    content_type = body.get("contentType", "text/plain")
    filename = body.get("filename", "document.txt")
    metadata = body.get("metadata", {})
    character_id = body.get("characterId")
    if not isinstance(content_type, str) or not isinstance(filename, str):
        return bare(400, "contentType and filename must be strings")
    if not isinstance(metadata, dict) or not isinstance(character_id, str | None):
        return bare(400, "metadata must be an object and characterId a string")
    text = _json_route_text(content, content_type)
    doc = save_document(ctx, account, text, filename, content_type, metadata, character_id)
    count = len(doc["fragments"])
    return JSONResponse(
        {
            "success": True,
            "documentId": doc["id"],
            "fragmentCount": count,
            "message": f"Document processed successfully. Created {count} knowledge fragments.",
        }
    )


def _check_upload(files: list[UploadFile]) -> None:
    if not files:
        raise Reply(bare(400, "No files provided", details="Send one or more files in 'files'"))
    if len(files) > MAX_FILES:
        raise Reply(bare(400, "Too many files", details=f"Maximum {MAX_FILES} files allowed"))
    if sum(f.size or 0 for f in files) > MAX_FILE_BYTES:
        raise Reply(bare(413, "Upload too large", details="Total upload size exceeds 5MB"))
    for upload in files:
        name = upload.filename or ""
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise Reply(bare(413, "Upload too large", details=f"{name} exceeds 5MB"))
        if not name or _BAD_FILENAME.search(name):
            raise Reply(bare(400, "Invalid filename", details=name))
        content_type = (upload.content_type or "application/octet-stream").split(";")[0]
        if not name.lower().endswith(EXTENSIONS) or content_type not in CONTENT_TYPES:
            raise Reply(bare(400, "Unsupported file type", details=f"{name} ({content_type})"))


@group.route("/api/v1/knowledge/upload-file", ["POST"], family=Family.BARE, limit="STANDARD")
async def upload_files(ctx: Ctx) -> Response:
    """Multipart upload of up to five text documents."""
    account = _account(ctx, "upload files")
    form = await ctx.form(lambda reason: bare(400, "Invalid form data", details=reason))
    files = [v for k, v in form.multi_items() if k == "files" and isinstance(v, UploadFile)]
    _check_upload(files)
    character_id = form.get("characterId")
    if isinstance(character_id, str) and character_id:
        agent = ctx.store.get("agents", character_id)
        if agent is None or agent["accountId"] != account["id"]:
            return bare(403, "Character not found or access denied")
    results = []
    for upload in files:
        raw = await upload.read()
        entry: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "filename": upload.filename,
            "type": upload.content_type,
            "size": len(raw),
            "uploadedAt": int(time.time() * 1000),
        }
        try:
            text = raw.decode("utf-8")
            if not text.strip():
                raise ValueError("empty document")
        except ValueError as exc:
            entry.update(status="error_processing", error=f"Could not extract text: {exc}")
        else:
            doc = save_document(
                ctx,
                account,
                text,
                upload.filename or "document.txt",
                upload.content_type or "text/plain",
                {},
                character_id if isinstance(character_id, str) and character_id else None,
            )
            entry.update(id=doc["id"], fragmentCount=len(doc["fragments"]), status="success")
        results.append(entry)
    ok = sum(r["status"] == "success" for r in results)
    return JSONResponse(
        {
            "success": ok > 0,
            "data": results,
            "message": f"Processed {ok} of {len(results)} files",
            "successCount": ok,
            "failedCount": len(results) - ok,
            "totalCount": len(results),
        }
    )


def rank(fragments: list[tuple[Record, Record]], query: str) -> list[tuple[float, Record, Record]]:
    """Fragments `(document, fragment)` scored by BM25+ and squashed into 0..1, best first."""
    from rank_bm25 import BM25Plus

    if not fragments:
        return []
    scorer = BM25Plus([tokens(f["text"]) or [""] for _, f in fragments])
    query_tokens = tokens(query)
    scores = scorer.get_scores(query_tokens) if query_tokens else [0.0] * len(fragments)
    baseline = float(scorer.get_scores(["\0"])[0]) if query_tokens else 0.0
    ranked = []
    for score, (doc, fragment) in zip(scores, fragments, strict=True):
        relevance = max(0.0, float(score) - baseline)
        ranked.append((round(relevance / (1.0 + relevance), 4), doc, fragment))
    ranked.sort(key=lambda item: item[0], reverse=True)
    return ranked


@group.route("/api/v1/knowledge/query", ["POST"], family=Family.BARE, limit="STANDARD")
async def query(ctx: Ctx) -> Response:
    """Rank the caller's fragments against the query."""
    account, body, text = await _json_with_text(ctx, "query knowledge", "query", "Query")
    limit = body.get("limit", 5)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        return bare(400, "limit must be a positive integer")
    character_id = body.get("characterId")
    docs = _documents(ctx, account, character_id if isinstance(character_id, str) else None)
    pairs = [(d, f) for d in docs for f in d["fragments"]]
    ranked = rank(pairs, text)[:limit]
    results = [
        {
            "id": fragment["id"],
            "content": fragment["text"],
            "similarity": score,
            "metadata": {"documentId": doc["id"], "filename": doc["filename"], **doc["metadata"]},
        }
        for score, doc, fragment in ranked
    ]
    return JSONResponse({"query": text, "results": results, "count": len(results)})


def _memory(doc: Record) -> dict[str, Any]:
    """A document as the elizaOS Memory object the real list returns."""
    return {
        "id": doc["id"],
        "entityId": doc["accountId"],
        "agentId": doc["characterId"],
        "roomId": doc["accountId"],
        "content": {"text": doc["text"]},
        "metadata": {
            "type": "document",
            "documentId": doc["id"],
            "filename": doc["filename"],
            "title": doc["filename"],
            "contentType": doc["contentType"],
            "size": doc["size"],
            "fragmentCount": len(doc["fragments"]),
            "source": "upload",
            "timestamp": doc["createdTs"],
            **doc["metadata"],
        },
        "createdAt": doc["createdTs"],
    }


def _query_int(ctx: Ctx, name: str, default: int) -> int:
    raw = ctx.request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise Reply(bare(400, f"Invalid {name}"))
    return int(raw)


@group.route("/api/v1/knowledge", ["GET"], family=Family.BARE, limit="STANDARD")
async def list_documents(ctx: Ctx) -> Response:
    """The caller's documents as Memory objects, paginated by `count` and `offset`."""
    account = _account(ctx, "list documents")
    count = _query_int(ctx, "count", 100)
    offset = _query_int(ctx, "offset", 0)
    docs = _documents(ctx, account, ctx.request.query_params.get("characterId"))
    page = docs[::-1][offset : offset + count]
    return JSONResponse(
        {
            "documents": [_memory(d) for d in page],
            "total": len(docs),
            "count": len(page),
            "offset": offset,
        }
    )


@group.route("/api/v1/knowledge/check", ["GET"], family=Family.BARE, limit="STANDARD")
async def check(ctx: Ctx) -> Response:
    """Whether the caller (or one character) has documents."""
    account = _account(ctx, "check knowledge")
    docs = _documents(ctx, account, ctx.request.query_params.get("characterId"))
    return JSONResponse({"hasDocuments": bool(docs), "count": len(docs)})


@group.route("/api/v1/knowledge/{id}", ["DELETE"], family=Family.BARE, limit="STANDARD")
async def delete(ctx: Ctx) -> Response:
    """Delete one document by UUID."""
    account = _account(ctx, "delete document")
    doc_id = ctx.param("id")
    if not _UUID.match(doc_id):
        return bare(400, "Invalid document ID")
    doc = ctx.store.get("documents", doc_id)
    if doc is None or doc["accountId"] != account["id"]:
        return bare(404, "Document not found")
    ctx.store.delete("documents", doc_id)
    return JSONResponse({"success": True, "message": "Document deleted successfully"})
