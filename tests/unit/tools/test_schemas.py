"""Every exported schema: valid Draft 2020-12, OpenAI strict, Gemini-safe, and in agreement
with the LangChain `tool_call_schema` and the checked-in copies."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from eliza_tools import ElizaCloud
from eliza_tools.function_calling import (
    SCHEMA_DIR,
    anthropic_tool_spec,
    gemini_tool_spec,
    openai_tool_spec,
    strict_schema,
)
from eliza_tools.tools import ALL_TOOLS, CloudTool, ElizaCloudToolkit
from tests.fakes import FAKE_API_KEY

TOOLS = {tool.name: tool for tool in ALL_TOOLS}
EXPECTED = {
    "generate_image",
    "generate_video",
    "text_to_speech",
    "transcribe_audio",
    "clone_voice",
    "upload_knowledge",
    "query_knowledge",
    "discover_agents",
    "delegate_task",
    "check_credits",
}
STRICT_KEYWORDS = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "enum",
    "items",
    "description",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
}
GEMINI_TYPES = {"string", "integer", "number", "boolean", "array", "object"}
REGENERATE = (
    ".venv/bin/python -c 'from eliza_tools.function_calling import write_schemas; "
    "from eliza_tools.tools import ALL_TOOLS; write_schemas(ALL_TOOLS)'"
)

EACH_TOOL = pytest.mark.parametrize("tool", list(TOOLS.values()), ids=list(TOOLS))


def _schemas(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The node and every sub-schema below it."""
    found = [node]
    for child in node.get("properties", {}).values():
        found += _schemas(child)
    if isinstance(node.get("items"), dict):
        found += _schemas(node["items"])
    return found


@EACH_TOOL
def test_name_is_valid_for_openai(tool: CloudTool[Any, Any]) -> None:
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", tool.name)
    assert tool.description.strip()


@EACH_TOOL
def test_schema_is_valid_draft_2020_12(tool: CloudTool[Any, Any]) -> None:
    Draft202012Validator.check_schema(strict_schema(tool.input_model))
    Draft202012Validator.check_schema(gemini_tool_spec(tool)["parameters"])


@EACH_TOOL
def test_schema_follows_openai_strict_rules(tool: CloudTool[Any, Any]) -> None:
    schema = openai_tool_spec(tool)["function"]["parameters"]
    assert schema["type"] == "object" and "properties" in schema
    assert not {"anyOf", "oneOf", "allOf", "enum", "not"} & set(schema)
    for node in _schemas(schema):
        assert set(node) <= STRICT_KEYWORDS, set(node) - STRICT_KEYWORDS
        if "properties" in node:
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])
        if "enum" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            assert (None in node["enum"]) == ("null" in types)


@EACH_TOOL
def test_schema_is_free_of_constructs_gemini_rejects(tool: CloudTool[Any, Any]) -> None:
    schema = gemini_tool_spec(tool)["parameters"]
    text = json.dumps(schema)
    for banned in ("$ref", "$defs", "additionalProperties", "anyOf", "oneOf", "allOf", "const"):
        assert banned not in text
    for node in _schemas(schema):
        assert isinstance(node["type"], str) and node["type"] in GEMINI_TYPES
        assert all(isinstance(value, str) for value in node.get("enum", []))
        assert "default" not in node and "title" not in node


@EACH_TOOL
def test_specs_agree_with_langchain_field_by_field(tool: CloudTool[Any, Any]) -> None:
    openai = openai_tool_spec(tool)["function"]
    anthropic = anthropic_tool_spec(tool)
    assert openai["name"] == anthropic["name"] == tool.name
    assert openai["description"] == anthropic["description"] == tool.description
    assert openai["parameters"] == anthropic["input_schema"]

    toolkit = ElizaCloudToolkit(ElizaCloud(FAKE_API_KEY, "http://cloud.test"), include=[tool.name])
    (lc_tool,) = toolkit.get_tools()
    call_schema = lc_tool.tool_call_schema
    assert isinstance(call_schema, type) and issubclass(call_schema, BaseModel)
    lc = call_schema.model_json_schema()
    exported = openai["parameters"]["properties"]
    assert list(lc["properties"]) == list(exported)
    for name, field in lc["properties"].items():
        variants = field.get("anyOf", [field])
        base = next(v for v in variants if v.get("type") != "null")
        nullable = len(variants) > 1
        mine = exported[name]
        types = mine["type"] if isinstance(mine["type"], list) else [mine["type"]]
        assert types[0] == base["type"], name
        assert ("null" in types) == (nullable or name not in lc.get("required", [])), name
        assert mine["description"] == field["description"], name
        assert [v for v in mine.get("enum", []) if v is not None] == base.get("enum", []), name
        for key in ("minimum", "maximum", "minItems", "maxItems"):
            assert mine.get(key) == base.get(key), (name, key)


@EACH_TOOL
def test_checked_in_schema_matches_the_model(tool: CloudTool[Any, Any]) -> None:
    path = SCHEMA_DIR / f"{tool.name}.json"
    assert path.exists(), f"missing {path}; regenerate with {REGENERATE}"
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored == strict_schema(tool.input_model), f"stale {path}; regenerate: {REGENERATE}"


def test_every_capability_of_the_issue_is_defined() -> None:
    assert set(TOOLS) == EXPECTED
