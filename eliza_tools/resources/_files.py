"""Files in and out of the API: uploads read with their limits checked, downloads streamed to disk.

Uploads accept a path, raw bytes or a binary file object. The size limit is
checked *before* the content is read whenever the size is knowable (a path's
`stat`, a seekable file's length), so an oversized file is refused without
loading it. Downloads are written chunk by chunk to `<path>.part` and renamed
into place at the end: constant memory, and no half-written file under the
final name if the stream breaks.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from eliza_tools.errors import APIConnectionError, InvalidRequestError, error_from_response

FileInput = str | os.PathLike[str] | bytes | BinaryIO
"""An upload: a filesystem path, the raw bytes, or a binary file object opened for reading."""

MB = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """One file ready for a multipart body."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class SavedFile:
    """A file written to disk by a download: where it is and how many bytes it holds."""

    path: Path
    size: int


def _known_size(file: FileInput) -> int | None:
    if isinstance(file, bytes):
        return len(file)
    if isinstance(file, str | os.PathLike):
        return os.stat(file).st_size
    if file.seekable():
        position = file.tell()
        size = file.seek(0, os.SEEK_END) - position
        file.seek(position)
        return size
    return None


def _limit_text(max_bytes: int) -> str:
    return f"{max_bytes / MB:g} MB"


def load_upload(file: FileInput, *, field: str, max_bytes: int, default_name: str) -> Upload:
    """Read one upload, refusing it before reading when it is larger than `max_bytes`."""
    try:
        size = _known_size(file)
    except OSError as exc:
        raise InvalidRequestError(field, f"cannot read {file!s}: {exc.strerror}") from None
    if size is not None and size > max_bytes:
        raise InvalidRequestError(
            field, f"file is {size} bytes, over the {_limit_text(max_bytes)} limit"
        )
    if isinstance(file, bytes):
        return Upload(default_name, file)
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        return Upload(path.name, path.read_bytes())
    content = file.read(max_bytes + 1)  # unseekable: read one byte past the limit to detect it
    if len(content) > max_bytes:
        raise InvalidRequestError(field, f"file is over the {_limit_text(max_bytes)} limit")
    name = getattr(file, "name", None)
    return Upload(Path(name).name if isinstance(name, str) and name else default_name, content)


def load_uploads(
    files: Sequence[FileInput], *, field: str, max_each: int, max_total: int, default_name: str
) -> list[Upload]:
    """Read several uploads; the sizes knowable without reading are checked before any read."""
    known = 0
    for index, file in enumerate(files):
        try:
            size = _known_size(file)
        except OSError as exc:
            reason = f"cannot read {file!s}: {exc.strerror}"
            raise InvalidRequestError(f"{field}.{index}", reason) from None
        if size is not None and size > max_each:
            reason = f"file is {size} bytes, over the {_limit_text(max_each)} limit"
            raise InvalidRequestError(f"{field}.{index}", reason)
        known += size or 0
    if known > max_total:
        reason = f"the files are {known} bytes together, over the {_limit_text(max_total)} limit"
        raise InvalidRequestError(field, reason)
    uploads: list[Upload] = []
    total = 0
    for index, file in enumerate(files):
        budget = min(max_each, max_total - total)  # unseekable files: never read past the limit
        upload = load_upload(
            file, field=f"{field}.{index}", max_bytes=budget, default_name=default_name
        )
        total += len(upload.content)
        uploads.append(upload)
    return uploads


@contextmanager
def _part_file(path: str | os.PathLike[str]) -> Iterator[tuple[BinaryIO, Path]]:
    """Open `<path>.part` for writing; rename it to `path` on success, delete it on failure."""
    final = Path(path)
    partial = final.with_name(final.name + ".part")
    try:
        with partial.open("wb") as handle:
            yield handle, final
        os.replace(partial, final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_chunks(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> SavedFile:
    """Write a byte stream to `path` in constant memory."""
    size = 0
    with _part_file(path) as (handle, final):
        for chunk in chunks:
            handle.write(chunk)
            size += len(chunk)
    return SavedFile(final, size)


async def awrite_chunks(path: str | os.PathLike[str], chunks: AsyncIterable[bytes]) -> SavedFile:
    """Async twin of `write_chunks`; chunk writes are small, so they stay on the loop thread."""
    size = 0
    with _part_file(path) as (handle, final):
        async for chunk in chunks:
            handle.write(chunk)
            size += len(chunk)
    return SavedFile(final, size)


def check_download_url(url: str) -> str:
    """Only http(s) URLs are downloaded (media URLs point at the cloud's blob storage)."""
    if httpx.URL(url).scheme not in ("http", "https"):
        raise InvalidRequestError("url", f"expected an http(s) URL, got {url!r}")
    return url


def raise_for_download(response: httpx.Response) -> None:
    """Turn an error status of a media download into the client's exception tree."""
    if response.status_code >= 400:
        raise error_from_response(response.status_code, response.content, response.headers)


def download_error(exc: httpx.TransportError, url: str) -> APIConnectionError:
    """A broken download, in the client's exception tree."""
    return APIConnectionError(f"Download of {url} failed: {type(exc).__name__}")
