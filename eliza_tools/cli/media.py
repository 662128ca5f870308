"""`eliza-tools image`, `video` and `speak`: generate media and save it locally.

`video` shows the seconds elapsed while the server works (the route answers
only when the video is ready, typically 30 to 180 s).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from eliza_tools.cli._common import add_connection_options, emit, err_console, make_client

if TYPE_CHECKING:
    from eliza_tools.resources._files import SavedFile


def register(subparsers: Any) -> None:
    """Add `image`, `video` and `speak`."""
    image = subparsers.add_parser("image", help="generate images from a prompt")
    image.add_argument("prompt", help="what to draw")
    image.add_argument("-n", "--num-images", type=int, default=1, help="1 to 4 (default 1)")
    image.add_argument("--aspect-ratio", help="1:1, 16:9, 9:16, 4:3 or 3:4 (default 1:1)")
    image.add_argument("--model", help="image model (default: the server's)")
    image.add_argument("-o", "--output-dir", default=".", help="where to save (default .)")
    add_connection_options(image)
    image.set_defaults(handler=run_image)

    video = subparsers.add_parser("video", help="generate a video (waits, showing progress)")
    video.add_argument("prompt", help="what to film")
    video.add_argument("--model", help="video model (default fal-ai/veo3)")
    video.add_argument("-o", "--output", default="video.mp4", help="file (default video.mp4)")
    add_connection_options(video)
    video.set_defaults(handler=run_video)

    speak = subparsers.add_parser("speak", help="text to speech, written to an MP3 file")
    speak.add_argument("text", help="what to say (1 to 5000 characters)")
    speak.add_argument("--voice-id", help="an ElevenLabs voice id (default: the server's)")
    speak.add_argument("--model-id", help="a speech model (default eleven_flash_v2_5)")
    speak.add_argument("-o", "--output", default="speech.mp3", help="file (default speech.mp3)")
    add_connection_options(speak)
    speak.set_defaults(handler=run_speak)


def run_image(args: argparse.Namespace) -> int:
    """Generate, then save every image under --output-dir."""
    from eliza_tools.demo import save_image

    options = {
        "num_images": args.num_images,
        "aspect_ratio": args.aspect_ratio,
        "model": args.model,
    }
    with make_client(args) as cloud:
        with err_console.status("Generating…"):
            result = cloud.images.generate(
                args.prompt, **{k: v for k, v in options.items() if v is not None}
            )
        stem = Path(args.output_dir) / "image"
        saved = [
            save_image(cloud, image, stem.with_name(f"image-{index + 1}"))
            for index, image in enumerate(result.images)
        ]
    pairs = list(zip(saved, result.images, strict=True))
    rows = [(str(path), image.url or "(inline)") for path, image in pairs]
    payload = [{"path": str(path), "url": image.url} for path, image in pairs]
    emit(args, payload, title="Images", columns=("file", "url"), rows=rows)
    return 0


def run_video(args: argparse.Namespace) -> int:
    """Generate with a live elapsed-time display, then download to --output."""
    with (
        make_client(args) as cloud,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("The server is generating the video", total=None)

        def tick(elapsed: float) -> None:
            progress.update(
                task, description=f"The server is generating the video ({elapsed:.0f} s)"
            )

        result = cloud.video.generate(args.prompt, model=args.model, progress=tick)
        progress.update(task, description="Downloading")
        saved = cloud.video.download(result.video.url, args.output)
    _report_saved(args, saved, url=result.video.url)
    return 0


def run_speak(args: argparse.Namespace) -> int:
    """Stream the speech into --output."""
    with make_client(args) as cloud, err_console.status("Speaking…"):
        saved = cloud.voice.tts_to_file(
            args.output, args.text, voice_id=args.voice_id, model_id=args.model_id
        )
    _report_saved(args, saved)
    return 0


def _report_saved(args: argparse.Namespace, saved: SavedFile, **extra: str) -> None:
    """`Saved PATH (N bytes)`; with --json the path, the size and `extra`."""
    payload = {"path": str(saved.path), "bytes": saved.size, **extra}
    emit(args, payload if args.json else f"Saved {saved.path} ({saved.size} bytes)")
