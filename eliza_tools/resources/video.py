"""`client.video`: video generation (`POST /api/v1/generate-video`) and downloading the result.

The server holds the request until the video exists (up to its `maxDuration`
of 300 s; there is no job to poll), so `generate` waits with a long timeout and
can report the elapsed time to a `progress` callback meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Unpack

import httpx

from eliza_tools._resource import (
    APIResource,
    Async,
    AsyncResource,
    ModeT,
    Sync,
    SyncResource,
    endpoint,
    parse_as,
)
from eliza_tools._transport import WRITE, Call, RequestOptions, RouteFamily
from eliza_tools.resources._files import (
    SavedFile,
    awrite_chunks,
    check_download_url,
    download_error,
    raise_for_download,
    write_chunks,
)
from eliza_tools.types._base import validate_request
from eliza_tools.types.video import VideoGenerationRequest, VideoGenerationResult

# The server's maxDuration (300 s) plus room for the upload to blob storage and the network.
VIDEO_TIMEOUT = 330.0


def _generate(
    prompt: str,
    *,
    model: str | None = None,
    progress: Callable[[float], None] | None = None,
    progress_interval: float = 1.0,
    **options: Unpack[RequestOptions],
) -> Call[VideoGenerationResult]:
    """Generate a video from a prompt; blocks until it is ready (typically 30 to 180 s).

    `model` must be one of `VIDEO_MODELS` (default `fal-ai/veo3` on the server); an
    unknown one is refused here, as the server would answer 400. `progress`, if
    given, is called every `progress_interval` seconds with the seconds elapsed.
    Billed and rate-limited to 5 calls per 5 minutes: retried only when the server
    provably did not start the work.
    """
    body = validate_request(VideoGenerationRequest, prompt=prompt, model=model)
    return Call(
        "POST",
        "/generate-video",
        parse_as(VideoGenerationResult),
        family=RouteFamily.CRITICAL,
        policy=WRITE,
        json=body.to_wire(),
        timeout=VIDEO_TIMEOUT,
        options=options,
        progress=progress,
        progress_interval=progress_interval,
    )


class Video(APIResource[ModeT]):
    """Video generation."""

    generate = endpoint(_generate)


class SyncVideo(SyncResource, Video[Sync]):
    """Video generation on the blocking client, with `download`."""

    def download(self, url: str, path: str | os.PathLike[str]) -> SavedFile:
        """Stream a generated video (its `video.url`) to `path` in constant memory.

        The URL is on the cloud's blob storage, so no API key is sent with it.
        """
        check_download_url(url)
        try:
            with self._transport.http.stream("GET", url) as response:
                if response.status_code >= 400:
                    response.read()
                raise_for_download(response)
                return write_chunks(path, response.iter_bytes())
        except httpx.TransportError as exc:
            raise download_error(exc, url) from exc


class AsyncVideo(AsyncResource, Video[Async]):
    """Video generation on the asyncio client, with `download`."""

    async def download(self, url: str, path: str | os.PathLike[str]) -> SavedFile:
        """Async twin of `SyncVideo.download`."""
        check_download_url(url)
        try:
            async with self._transport.http.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                raise_for_download(response)
                return await awrite_chunks(path, response.aiter_bytes())
        except httpx.TransportError as exc:
            raise download_error(exc, url) from exc
