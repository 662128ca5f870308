"""Images, credits, auth, rate limits and the 402 ledger, over real sockets."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from eliza_tools import pricing
from eliza_tools.emulator import EmulatorHandle, run_emulator
from tests.fixtures.emulator import auth_headers


def test_image_is_a_real_png_with_the_aspect_ratio(shared: httpx.Client) -> None:
    r = shared.post(
        "/api/v1/generate-image",
        json={"prompt": "a lighthouse", "aspectRatio": "16:9", "numImages": 2},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["numImages"] == 2 and len(body["images"]) == 2
    first = body["images"][0]
    assert first["mimeType"] == "image/png" and first["url"].startswith("http://127.0.0.1:")
    data = httpx.get(first["url"]).content
    assert len(data) == first["fileSize"]
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert abs(image.size[0] / image.size[1] - 16 / 9) < 0.02


def test_same_prompt_draws_the_same_image_and_gpt_image_is_webp(shared: httpx.Client) -> None:
    urls = [
        shared.post("/api/v1/generate-image", json={"prompt": "same"}).json()["images"][0]["url"]
        for _ in range(2)
    ]
    assert httpx.get(urls[0]).content == httpx.get(urls[1]).content
    r = shared.post(
        "/api/v1/generate-image",
        json={"prompt": "p", "model": "openai/gpt-image-2", "aspectRatio": "9:16"},
    )
    image = Image.open(io.BytesIO(httpx.get(r.json()["images"][0]["url"]).content))
    assert image.format == "WEBP" and image.size[0] < image.size[1]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "Prompt is required"),
        ({"prompt": "  "}, "Prompt is required"),
        ({"prompt": "x" * 4001}, "Prompt is too long. Maximum 4000 characters"),
        ({"prompt": "x", "numImages": 5}, "numImages must be an integer between 1 and 4"),
        ({"prompt": "x", "numImages": "2"}, "numImages must be an integer between 1 and 4"),
        (
            {"prompt": "x", "sourceImage": "http://x"},
            "sourceImage must be a base64 data URL of an image",
        ),
    ],
)
def test_image_validation_errors(shared: httpx.Client, body: dict[str, object], error: str) -> None:
    r = shared.post("/api/v1/generate-image", json=body)
    assert r.status_code == 400
    assert r.json() == {"error": error}


def test_image_auth_errors(emulator_session: EmulatorHandle) -> None:
    url = f"{emulator_session.base_url}/generate-image"
    r = httpx.post(url, json={"prompt": "x"})
    assert r.status_code == 401
    assert r.json() == {"error": "Authentication required. Provide a valid session or API key."}
    fake = "eliza_" + "ab" * 32
    assert httpx.post(url, json={"prompt": "x"}, headers=auth_headers(fake)).status_code == 401


def test_edge_rejects_non_eliza_bearer_on_private_routes(emulator_session: EmulatorHandle) -> None:
    r = httpx.get(
        f"{emulator_session.base_url}/credits/balance", headers={"Authorization": "Bearer abc.def"}
    )
    assert r.status_code == 401
    assert r.json() == {
        "success": False,
        "error": "Invalid authentication token",
        "code": "authentication_required",
    }
    # X-API-Key wins over a bad Bearer.
    r = httpx.get(
        f"{emulator_session.base_url}/credits/balance",
        headers={"Authorization": "Bearer abc", "X-API-Key": emulator_session.api_key},
    )
    assert r.status_code == 200


def test_credits_debit_and_402(emulator: EmulatorHandle, site: httpx.Client) -> None:
    emulator.set_balance(0.1)
    r = site.post("/api/v1/generate-image", json={"prompt": "x", "numImages": 2})
    assert r.status_code == 200
    expected = round(0.1 - pricing.image_cost(None, 2), 6)
    assert site.get("/api/v1/credits/balance").json() == {"balance": expected}
    r = site.post("/api/v1/generate-image", json={"prompt": "x"})
    assert r.status_code == 402
    assert r.json() == {
        "error": "Insufficient credits for image generation",
        "required": pricing.image_cost(None, 1),
    }
    summary = site.get("/api/v1/credits/summary").json()
    assert summary["success"] is True
    assert summary["organization"]["creditBalance"] == expected
    assert summary["recentTransactions"][0]["amount"] == -pricing.image_cost(None, 2)
    assert summary["pricing"]["creditsPerDollar"] == 100


def test_credits_auth_bodies(emulator_session: EmulatorHandle) -> None:
    fake = auth_headers("eliza_" + "cd" * 32)
    r = httpx.get(f"{emulator_session.base_url}/credits/balance", headers=fake)
    assert r.status_code == 401 and r.json()["code"] == "authentication_required"
    # The real summary route has no try/catch: Next's plain 500.
    r = httpx.get(f"{emulator_session.base_url}/credits/summary", headers=fake)
    assert r.status_code == 500 and r.text == "Internal Server Error"


def test_rate_limit_headers_and_429_with_speedup() -> None:
    with run_emulator(speedup=20) as emu:  # STANDARD: 60 requests per 3 s
        client = httpx.Client(headers=auth_headers(emu.api_key))
        url = f"{emu.base_url}/credits/summary"
        first = client.get(url)
        assert first.headers["X-RateLimit-Limit"] == "60"
        assert first.headers["X-RateLimit-Remaining"] == "59"
        assert first.headers["X-RateLimit-Reset"].endswith("Z")
        assert first.headers["X-RateLimit-Policy"] == "in-memory"
        statuses = [client.get(url).status_code for _ in range(70)]
        assert 429 in statuses


def test_429_body_and_retry_after() -> None:
    with run_emulator(speedup=1) as emu:  # CRITICAL video: 5 per 5 minutes
        client = httpx.Client(headers=auth_headers(emu.api_key))
        url = f"{emu.base_url}/generate-video"
        for _ in range(5):
            assert client.post(url, json={}).status_code == 400
        r = client.post(url, json={})
        assert r.status_code == 429
        assert r.json()["code"] == "rate_limit_exceeded"
        assert r.json()["message"] == "Rate limit exceeded. Maximum 5 requests per 300 seconds."
        assert 290 <= int(r.headers["Retry-After"]) <= 300
        assert r.json()["retryAfter"] == int(r.headers["Retry-After"])
        assert r.headers["X-RateLimit-Remaining"] == "0"
