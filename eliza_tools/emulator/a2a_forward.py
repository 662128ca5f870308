"""Forward a message to an external A2A agent and return its reply text.

Used by the `chat_with_agent` skill for agents registered with the emulator-only
`a2aEndpoint`. Speaks A2A 1.0 first (`SendMessage`, header `A2A-Version: 1.0`)
and falls back to 0.3 (`message/send`) when the peer answers -32601 (method not
found) or -32009 (version not supported). The `a2a` package's client may replace
this later; the function signature is the seam.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

FALLBACK_CODES = {-32601, -32009}


class ForwardError(RuntimeError):
    """The peer could not be reached or answered with an error."""


def _texts(parts: Any) -> list[str]:
    if not isinstance(parts, list):
        return []
    return [p["text"] for p in parts if isinstance(p, dict) and isinstance(p.get("text"), str)]


def reply_text(result: Any) -> str:
    """The text of a SendMessage / message/send result: a Message, a Task, or their 1.0 wrappers."""
    if not isinstance(result, dict):
        raise ForwardError("A2A peer returned no result object")
    inner = result.get("task") or result.get("message") or result
    texts = _texts(inner.get("parts"))
    status_message = (inner.get("status") or {}).get("message") or {}
    texts = texts or _texts(status_message.get("parts"))
    for artifact in inner.get("artifacts") or []:
        texts = texts or _texts(artifact.get("parts") if isinstance(artifact, dict) else None)
    if not texts:
        raise ForwardError("A2A peer reply has no text part")
    return "\n".join(texts)


def _request(text: str, version: str) -> dict[str, Any]:
    message_id = str(uuid.uuid4())
    if version == "1.0":
        message = {"messageId": message_id, "role": "ROLE_USER", "parts": [{"text": text}]}
        method = "SendMessage"
    else:
        message = {
            "kind": "message",
            "messageId": message_id,
            "role": "user",
            "parts": [{"kind": "text", "text": text}],
        }
        method = "message/send"
    return {"jsonrpc": "2.0", "id": message_id, "method": method, "params": {"message": message}}


async def _call(client: httpx.AsyncClient, url: str, text: str, version: str) -> dict[str, Any]:
    try:
        response = await client.post(
            url, json=_request(text, version), headers={"A2A-Version": version}
        )
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ForwardError(f"A2A peer unreachable or not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ForwardError("A2A peer answered with a non-object")
    return body


async def forward_message(url: str, text: str, *, timeout_seconds: float = 60.0) -> str:
    """Send `text` to the A2A agent at `url` and return the text of its answer."""
    async with httpx.AsyncClient(timeout=timeout_seconds) as client:
        body = await _call(client, url, text, "1.0")
        error = body.get("error")
        if isinstance(error, dict) and error.get("code") in FALLBACK_CODES:
            body = await _call(client, url, text, "0.3")
            error = body.get("error")
        if isinstance(error, dict):
            raise ForwardError(f"A2A peer error {error.get('code')}: {error.get('message')}")
        return reply_text(body.get("result"))
