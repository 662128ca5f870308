"""Containers progress to running; jobs report status and polling hints; video decodes."""

from __future__ import annotations

import io
import time

import av
import httpx
import pytest

from eliza_tools import pricing
from eliza_tools.emulator import EmulatorHandle

SPEC = {"name": "My App", "project_name": "demo", "ecr_image_uri": "123.dkr.ecr/app:latest"}


def test_container_lifecycle(emulator: EmulatorHandle, site: httpx.Client) -> None:
    r = site.post("/api/v1/containers", json=SPEC)
    assert r.status_code == 202, r.text
    body = r.json()
    container_id = body["data"]["id"]
    assert body["data"]["status"] == "pending" and body["data"]["cpu"] == 1792
    assert body["creditsDeducted"] == pricing.container_cost(1)
    assert body["polling"]["endpoint"] == f"/api/v1/containers/{container_id}"
    deadline = time.monotonic() + 5
    seen = set()
    while time.monotonic() < deadline:
        status = site.get(f"/api/v1/containers/{container_id}").json()["data"]["status"]
        seen.add(status)
        if status == "running":
            break
        time.sleep(0.05)
    assert "running" in seen and len(seen) >= 2
    assert [c["id"] for c in site.get("/api/v1/containers").json()["data"]] == [container_id]
    assert site.delete(f"/api/v1/containers/{container_id}").json()["success"] is True
    assert site.get(f"/api/v1/containers/{container_id}").status_code == 404


def test_container_validation_and_402(emulator: EmulatorHandle, site: httpx.Client) -> None:
    r = site.post("/api/v1/containers", json={**SPEC, "cpu": 100, "architecture": "mips"})
    assert r.status_code == 400
    assert set(r.json()["details"]["fieldErrors"]) == {"cpu", "architecture"}
    assert site.post("/api/v1/containers", json={"name": "x"}).status_code == 400
    emulator.set_balance(0.1)
    r = site.post("/api/v1/containers", json=SPEC)
    assert r.status_code == 402
    assert r.json()["success"] is False and r.json()["requiredCredits"] == 0.5


def test_jobs_route(emulator: EmulatorHandle, site: httpx.Client) -> None:
    job = site.post(
        "/__emulator__/jobs", json={"type": "agent_provision", "seconds": 4, "result": {"ok": 1}}
    )
    job_id = job.json()["id"]
    first = site.get(f"/api/v1/jobs/{job_id}").json()
    assert first["success"] is True and first["data"]["status"] in {"pending", "in_progress"}
    # The real server asks for 5000 ms; the emulator divides it by the speedup (20).
    assert first["polling"] == {"intervalMs": 250, "shouldContinue": True}
    time.sleep(0.25)  # 4 emulated seconds at speedup 20
    done = site.get(f"/api/v1/jobs/{job_id}").json()
    assert done["data"]["status"] == "completed" and done["data"]["result"] == {"ok": 1}
    assert done["polling"] == {"shouldContinue": False}
    missing = site.get("/api/v1/jobs/unknown")
    assert missing.status_code == 404 and missing.json()["code"] == "resource_not_found"


def test_video_is_a_playable_mp4_after_the_delay(shared: httpx.Client) -> None:
    started = time.monotonic()
    r = shared.post(
        "/api/v1/generate-video", json={"prompt": "a wave", "model": "fal-ai/veo3/fast"}
    )
    assert r.status_code == 200, r.text
    assert time.monotonic() - started >= 0.2  # video_delay 4 s / speedup 20
    video = r.json()["video"]
    assert video["content_type"] == "video/mp4" and "requestId" in r.json()
    data = httpx.get(video["url"]).content
    assert len(data) == video["file_size"]
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(container.decode(stream))
    assert len(frames) >= 10 and (frames[0].width, frames[0].height) == (
        video["width"],
        video["height"],
    )


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "Prompt is required"),
        ({"prompt": "x", "model": "nope"}, 400, "Invalid model specified"),
    ],
)
def test_video_validation(
    emulator: EmulatorHandle, site: httpx.Client, body: dict[str, str], status: int, error: str
) -> None:
    r = site.post("/api/v1/generate-video", json=body)
    assert r.status_code == status and r.json()["error"] == error


def test_video_402(emulator: EmulatorHandle, site: httpx.Client) -> None:
    emulator.set_balance(1)
    r = site.post("/api/v1/generate-video", json={"prompt": "x"})
    assert r.status_code == 402
    assert r.json() == {"error": "Insufficient credits for video generation", "required": 3.2}


def test_files_answer_byte_ranges(shared: httpx.Client) -> None:
    url = shared.post("/api/v1/generate-image", json={"prompt": "range"}).json()["images"][0]["url"]
    whole = httpx.get(url)
    assert whole.headers["accept-ranges"] == "bytes"
    part = httpx.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == whole.content[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole.content)}"
    tail = httpx.get(url, headers={"Range": "bytes=-5"})
    assert tail.content == whole.content[-5:]
    assert httpx.get(url, headers={"Range": "bytes=999999-"}).status_code == 416
    assert httpx.get(url.rsplit("/", 1)[0] + "/missing.png").status_code == 404
