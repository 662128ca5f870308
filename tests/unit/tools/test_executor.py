"""`ToolExecutor`: bad input of every kind gives a structured error; no exception escapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from eliza_tools.tools import ElizaCloudToolkit

BALANCE = {"balance": 12.5}


def _balance_only(request: httpx.Request) -> httpx.Response:
    assert request.url.path == "/api/v1/credits/balance"
    return httpx.Response(200, json=BALANCE)


def _never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing should be sent for bad input, got {request.url}")


@pytest.fixture
def executor(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> Any:
    return mock_toolkit(_never).executor()


def _error(reply: dict[str, Any]) -> dict[str, Any]:
    assert reply["ok"] is False
    json.dumps(reply)  # JSON-serialisable
    error: dict[str, Any] = reply["error"]
    assert error["message"]
    return error


def test_malformed_json(executor: Any) -> None:
    error = _error(executor.execute("generate_image", '{"prompt": "a cat",'))
    assert error["type"] == "invalid_json" and "not valid JSON" in error["message"]


@pytest.mark.parametrize("arguments", ["[1, 2]", '"prompt"', "3"])
def test_arguments_that_are_not_an_object(executor: Any, arguments: str) -> None:
    error = _error(executor.execute("generate_image", arguments))
    assert error["type"] == "invalid_arguments" and "JSON object" in error["message"]


def test_unknown_tool_lists_the_real_ones(executor: Any) -> None:
    error = _error(executor.execute("make_coffee", "{}"))
    assert error["type"] == "unknown_tool"
    assert "make_coffee" in error["message"] and "generate_image" in error["message"]


def test_wrong_types_name_each_field_and_constraint(executor: Any) -> None:
    reply = executor.execute("generate_image", {"prompt": 42, "num_images": "two"})
    error = _error(reply)
    fields = {item["field"]: item["reason"] for item in error["errors"]}
    assert "not of type 'string'" in fields["prompt"]
    assert "not of type 'integer'" in fields["num_images"]
    assert "prompt" in error["message"] and "num_images" in error["message"]


def test_out_of_range_and_bad_enum(executor: Any) -> None:
    error = _error(
        executor.execute("generate_image", {"prompt": "x", "num_images": 9, "aspect_ratio": "2:1"})
    )
    fields = {item["field"]: item["reason"] for item in error["errors"]}
    assert "maximum of 4" in fields["num_images"]
    assert "'2:1' is not one of" in fields["aspect_ratio"]


def test_extra_fields_are_named(executor: Any) -> None:
    error = _error(executor.execute("generate_image", {"prompt": "x", "size": "1024x1024"}))
    assert error["errors"] == [{"field": "size", "reason": "unknown field (not in the schema)"}]


def test_missing_required_field(executor: Any) -> None:
    error = _error(executor.execute("generate_image", "{}"))
    assert error["errors"] == [{"field": "prompt", "reason": "required field is missing"}]


def test_limits_beyond_the_schema_are_checked_by_the_model(executor: Any) -> None:
    error = _error(executor.execute("generate_image", {"prompt": "x" * 4001}))
    assert error["errors"][0]["field"] == "prompt"
    assert "4000" in error["errors"][0]["reason"]


def test_strict_mode_nulls_mean_defaults(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"images": [{"url": "https://blob/x.png"}], "numImages": 1})

    args = {"prompt": "a cat", "num_images": None, "aspect_ratio": None}
    args |= {"style_preset": None, "model": None}
    reply = mock_toolkit(handler).executor().execute("generate_image", json.dumps(args))
    assert reply["ok"] is True
    assert bodies == [{"prompt": "a cat", "numImages": 1, "aspectRatio": "1:1"}]
    assert reply["result"]["images"][0]["url"] == "https://blob/x.png"
    assert "https://blob/x.png" in reply["content"]


@pytest.mark.parametrize("arguments", [None, "", "  ", "{}", {}])
def test_empty_arguments_for_a_tool_without_arguments(
    mock_toolkit: Callable[..., ElizaCloudToolkit], arguments: Any
) -> None:
    reply = mock_toolkit(_balance_only).executor().execute("check_credits", arguments)
    assert reply == {
        "ok": True,
        "tool": "check_credits",
        "content": "elizaOS Cloud balance: $12.50",
        "result": {"cost_usd": None, "balance_usd": 12.5, "low": False, "critical": False},
    }


async def test_async_execute(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> None:
    executor = mock_toolkit(_balance_only, asynchronous=True).executor()
    reply = await executor.aexecute("check_credits", "{}")
    assert reply["result"]["balance_usd"] == 12.5
    error = _error(await executor.aexecute("check_credits", '{"x": 1}'))
    assert error["errors"] == [{"field": "x", "reason": "unknown field (not in the schema)"}]


def test_cloud_errors_come_back_structured(mock_toolkit: Callable[..., ElizaCloudToolkit]) -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            429,
            headers={"Retry-After": "17"},
            json={"success": False, "error": "Too many requests", "code": "rate_limit_exceeded"},
        )

    error = _error(mock_toolkit(limited).executor().execute("check_credits", None))
    assert error["type"] == "rate_limited" and error["retry_after_seconds"] == 17
    assert "Retry in 17 seconds" in error["message"]
