"""Real media files drawn deterministically from a prompt: images, video and speech.

Pillow, PyAV and lameenc are imported inside the functions so the emulator
starts fast; callers run these in a worker thread (`anyio.to_thread`) because
encoding is CPU work.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct

#: Pixel size per aspect ratio, long side 512 (the real models return ~1 MP; tests need the ratio).
ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "1:1": (512, 512),
    "16:9": (512, 288),
    "9:16": (288, 512),
    "4:3": (512, 384),
    "3:4": (384, 512),
    "21:9": (512, 219),
    "9:21": (219, 512),
}
SAMPLE_RATE = 44100
_ID3_TEXT_FRAME = b"TIT2"


def _palette(seed: str) -> list[tuple[int, int, int]]:
    digest = hashlib.sha256(seed.encode()).digest()
    return [(digest[i], digest[i + 1], digest[i + 2]) for i in range(0, 30, 3)]


def draw_image(prompt: str, aspect_ratio: str, index: int = 0, fmt: str = "PNG") -> bytes:
    """An image for `prompt`: a gradient and shapes whose colours come from its hash."""
    from PIL import Image, ImageDraw

    width, height = ASPECT_SIZES.get(aspect_ratio, ASPECT_SIZES["1:1"])
    colors = _palette(f"{prompt}#{index}")
    image = Image.new("RGB", (width, height), colors[0])
    draw = ImageDraw.Draw(image)
    top, bottom = colors[0], colors[1]
    for y in range(height):
        t = y / max(1, height - 1)
        row = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=row)
    for i, color in enumerate(colors[2:8]):
        cx = (color[0] * width) // 255
        cy = (color[1] * height) // 255
        r = 10 + (color[2] * min(width, height)) // 1024 + i * 3
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=color)
    draw.text((8, height - 20), prompt[:60], fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def render_video(prompt: str, seconds: float = 1.0, fps: int = 12) -> tuple[bytes, int, int]:
    """A short H.264 MP4 (160x96) of a moving dot on the prompt's colours; returns bytes, w, h."""
    import av
    from PIL import Image, ImageDraw

    width, height = 160, 96
    colors = _palette(prompt)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast", "tune": "zerolatency"}
        frames = max(1, int(seconds * fps))
        for n in range(frames):
            picture = Image.new("RGB", (width, height), colors[n % 2])
            x = int((width - 16) * n / max(1, frames - 1))
            ImageDraw.Draw(picture).rectangle([x, 40, x + 16, 56], fill=colors[2])
            frame = av.VideoFrame.from_image(picture)  # type: ignore[no-untyped-call]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue(), width, height


def _id3_tag(text: str) -> bytes:
    """An ID3v2.3 tag whose title frame carries the spoken text (STT reads it back)."""
    payload = b"\x03" + text.encode()  # encoding byte 3 = UTF-8
    frame = _ID3_TEXT_FRAME + struct.pack(">I", len(payload)) + b"\x00\x00" + payload
    size = len(frame)
    synchsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x03\x00\x00" + synchsafe + frame


def read_id3_text(data: bytes) -> str | None:
    """The title text of an ID3v2 tag written by `synthesize_speech`, if present."""
    if not data.startswith(b"ID3") or len(data) < 10:
        return None
    end = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    pos = 10
    while pos + 10 <= min(end, len(data)):
        frame_id, size = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        if frame_id == _ID3_TEXT_FRAME and size > 1:
            return data[pos + 11 : pos + 10 + size].decode("utf-8", "replace")
        if size == 0:
            break
        pos += 10 + size
    return None


def synthesize_speech(text: str, voice_id: str) -> bytes:
    """MP3 (44.1 kHz, 128 kb/s, mono) of tones following the text, tagged with the text."""
    import lameenc

    seconds = min(6.0, 0.4 + len(text) * 0.03)
    base = 110 + int(hashlib.sha256(voice_id.encode()).hexdigest()[:2], 16)
    total = int(seconds * SAMPLE_RATE)
    samples = bytearray()
    letters = [c for c in text.lower() if c.isalnum()] or ["a"]
    per_letter = max(1, total // len(letters))
    for i in range(total):
        letter = letters[min(i // per_letter, len(letters) - 1)]
        freq = base + (ord(letter) % 32) * 12
        value = int(9000 * math.sin(2 * math.pi * freq * i / SAMPLE_RATE))
        samples += struct.pack("<h", value)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(128)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(7)
    mp3 = bytes(encoder.encode(bytes(samples))) + bytes(encoder.flush())
    return _id3_tag(text) + mp3
