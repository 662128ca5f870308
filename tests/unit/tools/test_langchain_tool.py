"""The LangChain adapter: content and artifact, error messages with status="error",
typed exceptions kept in the artifact or raised on opt-out, and the spend guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import ToolMessage

from eliza_tools.errors import (
    AuthenticationError,
    InsufficientCreditsError,
    InvalidRequestError,
    RateLimitError,
)
from eliza_tools.tools import BudgetExceededError, ElizaCloudToolkit, ToolFailure
from eliza_tools.tools.images import GenerateImageResult

IMAGE = {"images": [{"url": "https://blob.test/images/a-0.webp", "mimeType": "image/webp"}]}
PNG_DATA_URL = "data:image/png;base64,iVBORw0KGgo="


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "args": args, "id": "call-1", "type": "tool_call"}


def _tool(toolkit: ElizaCloudToolkit, name: str) -> Any:
    return next(tool for tool in toolkit.get_tools() if tool.name == name)


def _answer(status: int, body: Any, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/credits/balance"):
            return httpx.Response(200, json={"balance": 0.03})
        return httpx.Response(status, json=body, headers=headers)

    return handler


def test_success_gives_short_content_and_a_typed_artifact(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    tool = _tool(mock_toolkit(_answer(200, IMAGE)), "generate_image")
    message = tool.invoke(_call("generate_image", {"prompt": "a cat"}))
    assert isinstance(message, ToolMessage) and message.status == "success"
    assert message.content == (
        "Generated 1 image(s) with google/gemini-2.5-flash-image: https://blob.test/images/a-0.webp"
    )
    artifact = message.artifact
    assert isinstance(artifact, GenerateImageResult)
    assert artifact.images[0].url == "https://blob.test/images/a-0.webp"
    assert artifact.cost_usd == 0.04


def test_inline_images_are_saved_never_sent_as_base64(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    body = {"images": [{"image": PNG_DATA_URL, "mimeType": "image/png"}], "numImages": 1}
    toolkit = mock_toolkit(_answer(200, body))
    message = _tool(toolkit, "generate_image").invoke(_call("generate_image", {"prompt": "x"}))
    path = message.artifact.images[0].path
    assert path.parent == toolkit.runtime.context.output.path
    assert path.read_bytes().startswith(b"\x89PNG")
    assert "base64" not in message.content and str(path) in message.content


def test_insufficient_credits_says_balance_needed_and_where_to_top_up(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    body = {"error": "Insufficient credits for image generation", "required": 0.04}
    tool = _tool(mock_toolkit(_answer(402, body)), "generate_image")
    message = tool.invoke(_call("generate_image", {"prompt": "a cat"}))
    assert message.status == "error"
    assert "balance $0.03" in message.content and "needs $0.04" in message.content
    assert "http://cloud.test/dashboard/billing" in message.content
    assert isinstance(message.artifact, ToolFailure)
    assert isinstance(message.artifact.exception, InsufficientCreditsError)
    assert message.artifact.details["required_usd"] == 0.04


def test_rate_limit_says_when_to_retry(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> None:
    body = {"success": False, "error": "Too many requests", "retryAfter": 42}
    tool = _tool(mock_toolkit(_answer(429, body)), "generate_image")
    message = tool.invoke(_call("generate_image", {"prompt": "a cat"}))
    assert message.status == "error" and "Retry in 42 seconds" in message.content
    assert isinstance(message.artifact.exception, RateLimitError)


def test_auth_error_names_the_variable(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> None:
    body = {"error": "Authentication required. Provide a valid session or API key."}
    tool = _tool(mock_toolkit(_answer(401, body)), "generate_image")
    message = tool.invoke(_call("generate_image", {"prompt": "a cat"}))
    assert message.status == "error" and "ELIZACLOUD_API_KEY" in message.content
    assert isinstance(message.artifact.exception, AuthenticationError)


def test_validation_error_names_each_field_and_constraint(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    tool = _tool(mock_toolkit(_answer(200, IMAGE)), "generate_image")
    message = tool.invoke(_call("generate_image", {"prompt": "", "num_images": 5, "size": "x"}))
    assert message.status == "error"
    for expected in ("prompt: String should have at least 1 character", "num_images: ", "size: "):
        assert expected in message.content
    assert "less than or equal to 4 (got 5)" in message.content


def test_client_side_checks_become_field_errors(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    tool = _tool(mock_toolkit(_answer(200, {})), "generate_video")
    message = tool.invoke(_call("generate_video", {"prompt": "   "}))
    assert message.status == "error" and "prompt: Value error, must not be blank" in message.content
    assert isinstance(message.artifact.exception, InvalidRequestError)


def test_opting_out_raises_the_typed_exception(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    body = {"error": "Insufficient credits for image generation", "required": 0.04}
    tool = _tool(mock_toolkit(_answer(402, body), raise_errors=True), "generate_image")
    with pytest.raises(InsufficientCreditsError):
        tool.invoke(_call("generate_image", {"prompt": "a cat"}))


def test_budget_refuses_a_call_that_would_exceed_it(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return httpx.Response(200, json=IMAGE)

    toolkit = mock_toolkit(handler, budget_usd=0.10)
    tool = _tool(toolkit, "generate_image")
    assert tool.invoke(_call("generate_image", {"prompt": "a", "num_images": 2})).status == (
        "success"
    )
    assert toolkit.budget.spent_usd == pytest.approx(0.04)  # the server made one image
    refused = tool.invoke(_call("generate_image", {"prompt": "b", "num_images": 2}))
    assert refused.status == "error" and "budget" in refused.content
    assert isinstance(refused.artifact.exception, BudgetExceededError)
    assert "$0.06 of the $0.10 budget is left" in refused.content
    assert len(sent) == 1  # the refused call was never sent


async def test_native_async_path(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> None:
    tool = _tool(mock_toolkit(_answer(200, IMAGE), asynchronous=True), "generate_image")
    message = await tool.ainvoke(_call("generate_image", {"prompt": "a cat"}))
    assert message.status == "success" and message.artifact.images[0].url.endswith("a-0.webp")
    failed = await _tool(
        mock_toolkit(_answer(402, {"error": "Insufficient", "required": 1}), asynchronous=True),
        "generate_image",
    ).ainvoke(_call("generate_image", {"prompt": "a cat"}))
    assert failed.status == "error" and "needs $1.00" in failed.content


def test_plain_dict_invocation_returns_the_content(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
) -> None:
    toolkit = mock_toolkit(lambda request: httpx.Response(200, json={"balance": 3.0}))
    tool = _tool(toolkit, "check_credits")
    assert tool.invoke({}) == "elizaOS Cloud balance: $3.00"


class _Recorder(AsyncCallbackHandler):
    """A callback handler: its presence sends `arun` down langchain-core's observed path."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def on_tool_start(self, serialized: Any, input_str: str, **kwargs: Any) -> None:
        self.events.append("start")

    async def on_tool_end(self, output: Any, **kwargs: Any) -> None:
        self.events.append("end")


def _shape(output: Any) -> Any:
    """What a caller sees of an output, comparable across the two paths."""
    if isinstance(output, ToolMessage):
        failure = output.artifact if isinstance(output.artifact, ToolFailure) else None
        return (
            "message",
            output.content,
            output.status,
            output.tool_call_id,
            output.name,
            type(output.artifact).__name__,
            failure.message if failure else None,
        )
    return ("content", output)


@pytest.mark.parametrize(
    ("name", "handler", "tool_input"),
    [
        ("generate_image", _answer(200, IMAGE), _call("generate_image", {"prompt": "a cat"})),
        ("generate_image", _answer(200, IMAGE), {"prompt": "a cat"}),
        (
            "generate_image",
            _answer(402, {"error": "No", "required": 1}),
            _call("generate_image", {"prompt": "a cat"}),
        ),
        (
            "generate_image",
            _answer(200, IMAGE),
            _call("generate_image", {"prompt": "", "num_images": 9}),
        ),
        ("generate_image", _answer(200, IMAGE), {"prompt": "", "num_images": 9}),
    ],
    ids=["tool-call", "dict", "cloud-error", "validation-error-call", "validation-error-dict"],
)
async def test_unobserved_fast_path_answers_like_the_observed_path(
    mock_toolkit: Callable[..., ElizaCloudToolkit],
    name: str,
    handler: Callable[[httpx.Request], httpx.Response],
    tool_input: dict[str, Any],
) -> None:
    tool = _tool(mock_toolkit(handler, asynchronous=True), name)
    recorder = _Recorder()
    fast = await tool.ainvoke(dict(tool_input))
    observed = await tool.ainvoke(dict(tool_input), config={"callbacks": [recorder]})
    assert recorder.events == ["start", "end"]  # the handler really saw the observed run
    assert _shape(fast) == _shape(observed)
