"""Where tools write generated files and which local files they may read.

Generated media lands in one output directory under names nobody else chose:
`<kind>-<UTC timestamp>-<random>.<ext>`, so two calls never overwrite each
other and an LLM cannot steer a write outside the directory. Reads (audio to
transcribe, voice samples, documents to upload) are limited to the allowed
roots, because the path comes from a model and must not reach `~/.ssh`.
"""

from __future__ import annotations

import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from eliza_tools.errors import InvalidRequestError

DEFAULT_OUTPUT_DIR = "eliza_outputs"
_EXTENSION = re.compile(r"^[a-z0-9]{1,8}$")
_KIND = re.compile(r"[^a-z0-9]+")


class OutputDir:
    """A directory that hands out fresh, safe file names and bounds local reads.

    `read_roots` are the directories whose files a tool may read; the output
    directory is always one of them (so `transcribe_audio` can read what
    `text_to_speech` wrote).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] = DEFAULT_OUTPUT_DIR,
        *,
        read_roots: list[str | os.PathLike[str]] | None = None,
    ) -> None:
        self.path = Path(path).expanduser().resolve()
        roots = [Path(root).expanduser().resolve() for root in read_roots or []]
        self.read_roots = [self.path, *roots]

    def new_path(self, kind: str, extension: str) -> Path:
        """A path that does not exist yet, e.g. `image-20261123T101502Z-3f9a1c2b.png`."""
        ext = extension.lower().lstrip(".")
        if not _EXTENSION.match(ext):
            ext = "bin"
        stem = _KIND.sub("-", kind.lower()).strip("-") or "file"
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path.mkdir(parents=True, exist_ok=True)
        while True:
            candidate = self.path / f"{stem}-{stamp}-{secrets.token_hex(4)}.{ext}"
            if not candidate.exists():
                return candidate

    def write(self, kind: str, extension: str, data: bytes) -> Path:
        """Write `data` to a fresh file; exclusive create, so nothing is ever overwritten."""
        target = self.new_path(kind, extension)
        with target.open("xb") as handle:
            handle.write(data)
        return target

    def readable(self, raw: str, *, field: str) -> Path:
        """Resolve a model-given path (relative paths are relative to the output directory).

        Raises `InvalidRequestError` naming `field` when the file is missing or lies
        outside every allowed root (symlinks are resolved first).
        """
        candidate = Path(raw).expanduser()
        if not candidate.is_absolute():
            candidate = self.path / candidate
        resolved = candidate.resolve()
        if not any(resolved.is_relative_to(root) for root in self.read_roots):
            allowed = ", ".join(str(root) for root in self.read_roots)
            raise InvalidRequestError(field, f"{raw!r} is outside the allowed folders ({allowed})")
        if not resolved.is_file():
            raise InvalidRequestError(field, f"no such file: {raw!r}")
        return resolved


def extension_for(mime_type: str | None, default: str) -> str:
    """A file extension for a MIME type such as `image/webp` or `audio/mpeg`."""
    known = {"audio/mpeg": "mp3", "image/jpeg": "jpg", "image/svg+xml": "svg"}
    if not mime_type:
        return default
    base = mime_type.split(";", 1)[0].strip().lower()
    if base in known:
        return known[base]
    subtype = base.rpartition("/")[2]
    return subtype if _EXTENSION.match(subtype) else default
