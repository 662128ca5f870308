"""OpenAI-compatible chat completions (with SSE streaming), embeddings and models (§6).

Answers are deterministic: the assistant repeats what it was asked in a fixed
frame, and embeddings are hashed bags of words (texts sharing words are close).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import JSONResponse, Response, StreamingResponse

from eliza_tools import pricing
from eliza_tools.emulator.errors import Family, Reply, openai_error
from eliza_tools.emulator.routes.knowledge import tokens
from eliza_tools.emulator.routing import Ctx, RouteGroup

group = RouteGroup("chat")

CREATED = 1_735_689_600  # 2025-01-01, a fixed `created` for the model list
MODELS: dict[str, str] = {
    "gpt-4o-mini": "openai",
    "gpt-4o": "openai",
    "openai/gpt-4o-mini": "openai",
    "openai/gpt-4o": "openai",
    "anthropic/claude-sonnet-4.5": "anthropic",
    "google/gemini-2.5-flash": "google",
    "text-embedding-3-small": "openai",
    "text-embedding-3-large": "openai",
    **{model: model.split("/")[0] for model in pricing.IMAGE_PRICES},
}
EMBEDDING_DIMENSIONS = {"text-embedding-3-large": 3072}
ROLES = {"system", "developer", "user", "assistant", "tool"}


def _unauthorized() -> Response:
    return openai_error(401, "Invalid or expired API key", "authentication_error")


def _invalid(message: str, param: str, code: str = "invalid_value") -> Reply:
    return Reply(openai_error(400, message, "invalid_request_error", code, param))


def _missing(param: str) -> Reply:
    return _invalid(f"Missing required parameter: '{param}'", param, "missing_required_parameter")


def message_text(content: Any) -> str:
    """The text of a message content: a string or an array of `{type:"text", text}` parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        )
    return ""


def reply_for(messages: list[dict[str, Any]], max_tokens: int | None = None) -> str:
    """The deterministic assistant answer to a conversation."""
    last = next((m for m in reversed(messages) if m.get("role") == "user"), messages[-1])
    asked = message_text(last.get("content")).strip() or "(nothing)"
    answer = f"Emulated reply to: {asked}"
    if max_tokens is not None:
        answer = answer[: max(1, max_tokens) * 4]
    return answer


def usage_for(messages: list[dict[str, Any]], answer: str) -> dict[str, int]:
    """Token usage of a completion, estimated the way the ledger bills it."""
    prompt = sum(pricing.estimate_tokens(message_text(m.get("content"))) for m in messages)
    completion = pricing.estimate_tokens(answer)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def validate_messages(messages: Any) -> list[dict[str, Any]]:
    """The `messages` array, or an OpenAI-style 400 naming the bad field."""
    if messages is None:
        raise _missing("messages")
    if not isinstance(messages, list) or not messages:
        raise _invalid("'messages' must be a non-empty array", "messages")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise _invalid(f"Invalid role in messages[{index}]", f"messages[{index}].role")
        content = message.get("content")
        if content is not None and not isinstance(content, str | list):
            raise _invalid(f"Invalid content in messages[{index}]", f"messages[{index}].content")
    return messages


@group.route("/api/v1/chat/completions", ["POST"], family=Family.OPENAI, limit="RELAXED")
async def chat_completions(ctx: Ctx) -> Response:
    """A completion, or an SSE stream of chunks ending with `data: [DONE]`."""
    account = ctx.account_or(_unauthorized())
    body = await ctx.json_object(lambda r: openai_error(400, r, "invalid_request_error"))
    model = body.get("model")
    if model is None:
        raise _missing("model")
    if not isinstance(model, str) or not model:
        raise _invalid("'model' must be a string", "model")
    messages = validate_messages(body.get("messages"))
    max_tokens = body.get("max_tokens")
    if max_tokens is not None and (
        isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1
    ):
        raise _invalid("'max_tokens' must be a positive integer", "max_tokens")
    answer = reply_for(messages, max_tokens)
    usage = usage_for(messages, answer)
    cost = pricing.chat_cost(model, usage["prompt_tokens"], usage["completion_tokens"])
    ctx.charge(
        account,
        cost,
        f"Chat completion ({model})",
        openai_error(
            402,
            f"Insufficient credits. Required: ${cost:.4f}",
            "insufficient_quota",
            "insufficient_credits",
        ),
    )
    completion_id, created = f"chatcmpl-{int(time.time() * 1000)}", int(time.time())
    if body.get("stream") is True:
        return StreamingResponse(
            _stream(completion_id, created, model, answer),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return JSONResponse(
        {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": answer},
                    "finish_reason": "stop",
                }
            ],
            "usage": usage,
        }
    )


async def _stream(
    completion_id: str, created: int, model: str, answer: str
) -> AsyncIterator[bytes]:
    def chunk(delta: dict[str, str], finish: str | None) -> bytes:
        payload = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(payload)}\n\n".encode()

    words = answer.split(" ")
    for index, word in enumerate(words):
        yield chunk({"content": word if index == 0 else f" {word}"}, None)
    yield chunk({}, "stop")
    yield b"data: [DONE]\n\n"


def embed(text: str, dimensions: int) -> list[float]:
    """A unit vector: each word adds ±1 at a hashed position."""
    vector = [0.0] * dimensions
    for word in tokens(text) or [""]:
        digest = hashlib.sha256(word.encode()).digest()
        index = int.from_bytes(digest[:4], "big") % dimensions
        vector[index] += 1.0 if digest[4] % 2 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [round(v / norm, 6) for v in vector]


@group.route("/api/v1/embeddings", ["POST"], family=Family.OPENAI, limit="RELAXED")
async def embeddings(ctx: Ctx) -> Response:
    """Deterministic embeddings for a string or a list of strings."""
    account = ctx.account_or(_unauthorized())
    body = await ctx.json_object(lambda r: openai_error(400, r, "invalid_request_error"))
    raw, model = body.get("input"), body.get("model")
    if raw is None:
        raise _missing("input")
    if model is None:
        raise _missing("model")
    if not isinstance(model, str) or not model:
        raise _invalid("'model' must be a string", "model")
    inputs = [raw] if isinstance(raw, str) else raw
    if (
        not isinstance(inputs, list)
        or not inputs
        or not all(isinstance(i, str) and i for i in inputs)
    ):
        raise _invalid("'input' must be a non-empty string or array of non-empty strings", "input")
    used = sum(pricing.estimate_tokens(i) for i in inputs)
    cost = pricing.embedding_cost(used)
    ctx.charge(
        account,
        cost,
        f"Embeddings ({model})",
        openai_error(
            402,
            f"Insufficient credits. Required: ${cost:.6f}",
            "insufficient_quota",
            "insufficient_balance",
        ),
    )
    dimensions = EMBEDDING_DIMENSIONS.get(model, 1536)
    return JSONResponse(
        {
            "object": "list",
            "data": [
                {"object": "embedding", "embedding": embed(text, dimensions), "index": i}
                for i, text in enumerate(inputs)
            ],
            "model": model,
            "usage": {"prompt_tokens": used, "total_tokens": used},
        }
    )


def _model(model_id: str) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": CREATED, "owned_by": MODELS[model_id]}


@group.route("/api/v1/models", ["GET"], family=Family.OPENAI)
async def list_models(ctx: Ctx) -> Response:
    """The model list; public, cacheable."""
    return JSONResponse(
        {"object": "list", "data": [_model(m) for m in MODELS]},
        headers={"Cache-Control": "public, s-maxage=3600"},
    )


@group.route("/api/v1/models/{model:path}", ["GET"], family=Family.OPENAI)
async def get_model(ctx: Ctx) -> Response:
    """One model by id (ids may contain slashes)."""
    model_id = ctx.param("model")
    if model_id not in MODELS:
        return openai_error(404, f"The model '{model_id}' does not exist", "invalid_request_error")
    return JSONResponse(_model(model_id))
