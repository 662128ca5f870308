"""`eliza-tools knowledge upload FILE...` and `knowledge query TEXT`: your documents, searched."""

from __future__ import annotations

import argparse
from typing import Any

from eliza_tools.cli._common import add_connection_options, emit, err_console, make_client


class UploadFailedError(RuntimeError):
    """At least one file was refused by the server."""


def register(subparsers: Any) -> None:
    """Add `knowledge upload` and `knowledge query`."""
    knowledge = subparsers.add_parser(
        "knowledge", help="upload documents and search them", description="Knowledge base."
    )
    sub = knowledge.add_subparsers(dest="knowledge_command", metavar="ACTION", required=True)

    upload = sub.add_parser("upload", help="upload 1 to 5 files (5 MB together)")
    upload.add_argument("files", nargs="+", help="pdf, txt, md, doc, docx, json, xml, yaml, csv")
    upload.add_argument("--character-id", help="scope the documents to one character")
    add_connection_options(upload)
    upload.set_defaults(handler=run_upload)

    query = sub.add_parser("query", help="the fragments that best match a question")
    query.add_argument("query", help="what to look for")
    query.add_argument("--limit", type=int, default=5, help="how many fragments (default 5)")
    query.add_argument("--character-id", help="search one character's documents")
    add_connection_options(query)
    query.set_defaults(handler=run_query)


def run_upload(args: argparse.Namespace) -> int:
    """Upload; exit 1 if any file was refused."""
    with make_client(args) as cloud, err_console.status("Uploading…"):
        result = cloud.knowledge.upload_files(args.files, character_id=args.character_id)
    rows = [
        (item.filename, item.status, item.fragment_count, item.error or item.id)
        for item in result.data
    ]
    emit(args, result, title="Uploaded", columns=("file", "status", "fragments", "id"), rows=rows)
    failed = [item.filename for item in result.data if item.error]
    if failed:
        raise UploadFailedError(f"the server refused {', '.join(failed)}")
    return 0


def run_query(args: argparse.Namespace) -> int:
    """The best fragments, best first."""
    with make_client(args) as cloud:
        result = cloud.knowledge.query(args.query, limit=args.limit, character_id=args.character_id)
    rows = [
        (f"{hit.similarity:.3f}", hit.metadata.get("filename", ""), " ".join(hit.content.split()))
        for hit in result.results
    ]
    emit(
        args,
        result,
        title=f"Results for {args.query!r}",
        columns=("score", "document", "fragment"),
        rows=rows,
    )
    return 0
