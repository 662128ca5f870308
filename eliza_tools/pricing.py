"""Price table of elizaOS Cloud operations, in US dollars.

Balances and the `required` amounts in 402 answers are USD numbers on the real
server (API reference §0.3), so every figure here is USD per operation. The
numbers follow the server's catalogue where the reference gives them (voice
cloning: $0.42 instant, $1.67 professional) and are otherwise representative
list prices of the upstream providers. They are used twice:

- the emulator's ledger debits exactly these amounts, so tests can assert
  balances to the cent;
- the client-side budget guard estimates a call's cost before sending it.

This module must stay importable without the server extra (no Starlette).
"""

from __future__ import annotations

import math
from typing import Final

__all__ = [
    "CHAT_PRICES",
    "CONTAINER_DEPLOY_PRICE",
    "DEFAULT_CHAT_MODEL",
    "DEFAULT_IMAGE_MODEL",
    "DEFAULT_TTS_MODEL",
    "DEFAULT_VIDEO_MODEL",
    "EMBEDDING_PRICE_PER_1K_TOKENS",
    "IMAGE_PRICES",
    "MINIMUM_CHARGE",
    "STT_PRICE_PER_MINUTE",
    "TTS_PRICES_PER_1K_CHARS",
    "VIDEO_PRICES",
    "VOICE_CLONE_PRICES",
    "chat_cost",
    "container_cost",
    "embedding_cost",
    "estimate_tokens",
    "image_cost",
    "stt_cost",
    "tts_cost",
    "video_cost",
    "voice_clone_cost",
]

DEFAULT_IMAGE_MODEL: Final = "google/gemini-2.5-flash-image"
DEFAULT_VIDEO_MODEL: Final = "fal-ai/veo3"
DEFAULT_TTS_MODEL: Final = "eleven_flash_v2_5"
DEFAULT_CHAT_MODEL: Final = "gpt-4o-mini"

#: USD per generated image, by model (`SUPPORTED_IMAGE_MODELS`).
IMAGE_PRICES: Final[dict[str, float]] = {
    "google/gemini-2.5-flash-image": 0.04,
    "google/gemini-3-pro-image": 0.14,
    "google/gemini-3.1-flash-image-preview": 0.07,
    "openai/gpt-image-2": 0.17,
    "bfl/flux-kontext-max": 0.08,
}

#: USD per generated video (the model's default duration), by model (`SUPPORTED_VIDEO_MODELS`).
VIDEO_PRICES: Final[dict[str, float]] = {
    "fal-ai/veo3": 3.20,
    "fal-ai/veo3/fast": 1.60,
    "fal-ai/veo3.1": 3.20,
    "fal-ai/veo3.1/fast": 1.20,
    "fal-ai/veo3.1/lite": 0.80,
    "fal-ai/kling-video/v3/standard/text-to-video": 0.84,
    "fal-ai/kling-video/v3/pro/text-to-video": 1.12,
    "fal-ai/kling-video/v2.6/pro/text-to-video": 0.70,
    "fal-ai/minimax/hailuo-2.3/standard/text-to-video": 0.28,
    "fal-ai/minimax/hailuo-2.3/pro/text-to-video": 0.49,
    "wan/v2.6/text-to-video": 0.50,
    "fal-ai/pixverse/v5/text-to-video": 0.40,
    "fal-ai/pixverse/v5.5/text-to-video": 0.40,
    "fal-ai/pixverse/v5.6/text-to-video": 0.40,
    "bytedance/seedance-2.0/text-to-video": 1.00,
    "bytedance/seedance-2.0/fast/text-to-video": 0.60,
}

#: USD per 1,000 characters of text-to-speech, by ElevenLabs model.
TTS_PRICES_PER_1K_CHARS: Final[dict[str, float]] = {
    "eleven_flash_v2_5": 0.10,
    "eleven_turbo_v2_5": 0.10,
    "eleven_multilingual_v2": 0.20,
    "eleven_v3": 0.20,
}

#: USD per minute of transcribed audio (scribe_v1); a call bills at least one second.
STT_PRICE_PER_MINUTE: Final = 0.006

#: USD per voice clone, by clone type (the server's catalogue, before markup).
VOICE_CLONE_PRICES: Final[dict[str, float]] = {"instant": 0.42, "professional": 1.67}

#: USD per 1,000 tokens (input, output), by chat model; unknown models bill as the default.
CHAT_PRICES: Final[dict[str, tuple[float, float]]] = {
    "gpt-4o-mini": (0.00015, 0.0006),
    "gpt-4o": (0.0025, 0.01),
    "openai/gpt-4o-mini": (0.00015, 0.0006),
    "openai/gpt-4o": (0.0025, 0.01),
    "anthropic/claude-sonnet-4.5": (0.003, 0.015),
    "google/gemini-2.5-flash": (0.0003, 0.0025),
}

#: USD per 1,000 input tokens of embeddings.
EMBEDDING_PRICE_PER_1K_TOKENS: Final = 0.00002

#: USD charged when a container deployment is accepted.
CONTAINER_DEPLOY_PRICE: Final = 0.50


#: The smallest amount a billed call costs, so even tiny calls need a positive balance.
MINIMUM_CHARGE: Final = 0.000001


def _cents(value: float) -> float:
    """Round to a millionth of a dollar (at least `MINIMUM_CHARGE`) so ledger sums compare."""
    return max(MINIMUM_CHARGE, round(value, 6))


def estimate_tokens(text: str) -> int:
    """Token estimate used for billing: one token per four characters, at least one."""
    return max(1, math.ceil(len(text) / 4))


def image_cost(model: str | None = None, count: int = 1) -> float:
    """Cost of `count` images; an unknown model is billed (and served) as the default."""
    price = IMAGE_PRICES.get(model or DEFAULT_IMAGE_MODEL, IMAGE_PRICES[DEFAULT_IMAGE_MODEL])
    return _cents(price * count)


def video_cost(model: str | None = None) -> float:
    """Cost of one video of the model's default duration."""
    return _cents(VIDEO_PRICES.get(model or DEFAULT_VIDEO_MODEL, VIDEO_PRICES[DEFAULT_VIDEO_MODEL]))


def tts_cost(characters: int, model: str | None = None) -> float:
    """Cost of speaking `characters` characters with an ElevenLabs model."""
    per_1k = TTS_PRICES_PER_1K_CHARS.get(
        model or DEFAULT_TTS_MODEL, TTS_PRICES_PER_1K_CHARS[DEFAULT_TTS_MODEL]
    )
    return _cents(per_1k * characters / 1000)


def stt_cost(seconds: float) -> float:
    """Cost of transcribing `seconds` of audio (at least one second is billed)."""
    return _cents(STT_PRICE_PER_MINUTE * max(1.0, seconds) / 60)


def voice_clone_cost(clone_type: str) -> float:
    """Cost of an `instant` or `professional` voice clone."""
    return _cents(VOICE_CLONE_PRICES[clone_type])


def chat_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    """Cost of a chat completion from its token counts."""
    per_in, per_out = CHAT_PRICES.get(model, CHAT_PRICES[DEFAULT_CHAT_MODEL])
    return _cents((per_in * input_tokens + per_out * output_tokens) / 1000)


def embedding_cost(tokens: int) -> float:
    """Cost of embedding `tokens` input tokens."""
    return _cents(EMBEDDING_PRICE_PER_1K_TOKENS * tokens / 1000)


def container_cost(desired_count: int = 1) -> float:
    """Cost of accepting a container deployment with `desired_count` instances."""
    return _cents(CONTAINER_DEPLOY_PRICE * desired_count)
