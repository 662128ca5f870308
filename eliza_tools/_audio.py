"""Audio containers by their magic bytes: one table for the client and the emulator.

Standard library only, so the emulator can use it without loading the client.
"""

from __future__ import annotations

# MP4 brands the server's `file-type` check reads as audio; `isom`, `mp42`... read as video/mp4.
AUDIO_MP4_BRANDS = (b"M4A ", b"M4B ", b"F4A ", b"F4B ")


def audio_kind(data: bytes, *, strict: bool = False) -> str | None:
    """The container some bytes announce (`mp3`, `mp4`, `wav`, `webm`, `ogg`), or None.

    `strict` reads them as the server's STT check does: an MPEG frame sync counts only
    with its layer bits set (0 would be AAC), and an MP4 only with an audio brand.
    """
    head = data[:12]
    mpeg = len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    if head.startswith(b"ID3") or (mpeg and (not strict or head[1] & 0x06)):
        return "mp3"
    if head[4:8] == b"ftyp" and (not strict or head[8:12] in AUDIO_MP4_BRANDS):
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    return None
