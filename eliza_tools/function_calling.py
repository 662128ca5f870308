"""Tool specs for raw function calling, and `ToolExecutor` to run what the model asked for.

Every spec is generated from the tool's pydantic input model:

- `strict_schema`: OpenAI strict mode (every property required, optional ones
  nullable, `additionalProperties: false`, no `$ref`, no `default`, no string
  length keywords: limits the schema cannot carry are in the descriptions and
  enforced by the pydantic model). Used for OpenAI and Anthropic specs.
- `gemini_schema`: the subset Gemini accepts (no `additionalProperties`, no
  unions or nullable types, string enums only); optional fields are simply not
  required.

`ToolExecutor.execute(name, arguments)` takes what an LLM produced (a JSON
string or a dict), validates it against the exported schema with a compiled
jsonschema validator, then with the pydantic model (the server's limits), runs
the tool and returns a JSON-serialisable dict. Nothing raises: bad JSON, wrong
types, unknown tools or fields, and cloud errors all come back as
`{"ok": false, "error": {"type", "message", ...}}`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from eliza_tools.tools.base import CloudTool, ToolInput
from eliza_tools.tools.messages import (
    FieldError,
    ToolFailure,
    pydantic_field_errors,
    validation_failure,
)
from eliza_tools.tools.runtime import Outcome, ToolRuntime

__all__ = [
    "SCHEMA_DIR",
    "ToolExecutor",
    "anthropic_tool_spec",
    "gemini_schema",
    "gemini_tool_spec",
    "openai_tool_spec",
    "strict_schema",
    "write_schemas",
]

SCHEMA_DIR = Path(__file__).parent / "tools" / "schemas"

# What OpenAI's strict mode accepts; everything else is dropped from exported schemas.
_STRICT_KEYWORDS = frozenset(
    {
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
)
_GEMINI_KEYWORDS = _STRICT_KEYWORDS - {"additionalProperties"}


def _inline_refs(node: Any, defs: Mapping[str, Any]) -> Any:
    """Replace every `{"$ref": "#/$defs/X"}` with a copy of X (recursively)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = _inline_refs(defs[ref.rsplit("/", 1)[1]], defs)
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def _split_nullable(node: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """`anyOf: [X, {type: null}]` (pydantic's `X | None`) -> (X + outer keys, True)."""
    options = node.get("anyOf")
    if not isinstance(options, list):
        return node, False
    rest = [option for option in options if option != {"type": "null"}]
    if len(rest) != 1 or len(rest) == len(options):
        raise ValueError(f"unsupported union in tool schema: {options!r}")
    merged = {**rest[0], **{k: v for k, v in node.items() if k != "anyOf"}}
    return merged, True


def _convert(node: dict[str, Any], *, strict: bool, keywords: frozenset[str]) -> dict[str, Any]:
    inner, _ = _split_nullable(node)
    out = {k: v for k, v in inner.items() if k in keywords}
    if "enum" in out and not strict and not all(isinstance(v, str) for v in out["enum"]):
        raise ValueError("Gemini accepts string enums only")
    if inner.get("type") == "object" or "properties" in inner:
        out["type"] = "object"
        properties: dict[str, Any] = {}
        required = set(inner.get("required", []))
        for name, child in inner.get("properties", {}).items():
            converted = _convert(child, strict=strict, keywords=keywords)
            nullable = _split_nullable(child)[1] or name not in required
            if strict and nullable:
                converted["type"] = [converted["type"], "null"]
                if "enum" in converted:
                    converted["enum"] = [*converted["enum"], None]
            properties[name] = converted
        out["properties"] = properties
        out["required"] = list(properties) if strict else [n for n in properties if n in required]
        if strict:
            out["additionalProperties"] = False
    if "items" in inner:
        out["items"] = _convert(inner["items"], strict=strict, keywords=keywords)
    return out


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    raw = model.model_json_schema()
    resolved: dict[str, Any] = _inline_refs(raw, raw.get("$defs", {}))
    return resolved


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAI strict-mode JSON Schema (Draft 2020-12 valid) of a tool's input model."""
    return _convert(_model_schema(model), strict=True, keywords=_STRICT_KEYWORDS)


def gemini_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The same arguments in the subset of JSON Schema that Gemini accepts."""
    return _convert(_model_schema(model), strict=False, keywords=_GEMINI_KEYWORDS)


def openai_tool_spec(tool: CloudTool[Any, Any]) -> dict[str, Any]:
    """`{"type": "function", "function": {...}}` for Chat Completions, valid with strict=true."""
    return {
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": strict_schema(tool.input_model),
            "strict": True,
        },
    }


def anthropic_tool_spec(tool: CloudTool[Any, Any]) -> dict[str, Any]:
    """`{"name", "description", "input_schema"}` for the Anthropic Messages API."""
    return {
        "name": tool.name,
        "description": tool.description,
        "input_schema": strict_schema(tool.input_model),
    }


def gemini_tool_spec(tool: CloudTool[Any, Any]) -> dict[str, Any]:
    """A Gemini `functionDeclaration`: `{"name", "description", "parameters"}`."""
    return {
        "name": tool.name,
        "description": tool.description,
        "parameters": gemini_schema(tool.input_model),
    }


def write_schemas(tools: Iterable[CloudTool[Any, Any]], directory: Path = SCHEMA_DIR) -> None:
    """Write each tool's strict schema to `<directory>/<name>.json` (the checked-in copies)."""
    directory.mkdir(parents=True, exist_ok=True)
    for tool in tools:
        text = json.dumps(strict_schema(tool.input_model), indent=2, sort_keys=True)
        (directory / f"{tool.name}.json").write_text(text + "\n", encoding="utf-8")


def _lenient(schema: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """The strict schema, but a model that omits an optional field is not refused for it."""
    relaxed = copy.deepcopy(schema)
    relaxed["required"] = [n for n, f in model.model_fields.items() if f.is_required()]
    return relaxed


def _schema_error_field(error: Any) -> FieldError:
    where = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return FieldError(".".join(filter(None, [where, missing])), "required field is missing")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = ", ".join(sorted(str(k) for k in error.instance if k not in known))
        return FieldError(extra or where or "arguments", "unknown field (not in the schema)")
    return FieldError(where or "arguments", error.message)


class _Prepared:
    """One tool compiled for the executor: its validator and input model."""

    def __init__(self, tool: CloudTool[Any, Any]) -> None:
        self.tool = tool
        schema = _lenient(strict_schema(tool.input_model), tool.input_model)
        Draft202012Validator.check_schema(schema)
        self.validator = Draft202012Validator(schema)


class ToolExecutor:
    """Run raw function calls (name + JSON arguments) against a toolkit's tools."""

    def __init__(self, tools: Iterable[CloudTool[Any, Any]], runtime: ToolRuntime) -> None:
        self._tools = {tool.name: _Prepared(tool) for tool in tools}
        self.runtime = runtime

    @property
    def names(self) -> list[str]:
        """The tools this executor runs."""
        return list(self._tools)

    def execute(self, name: str, arguments: str | Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate and run one call on the blocking client; never raises for bad input."""
        ready = self._prepare(name, arguments)
        if isinstance(ready, ToolFailure):
            return _failed(name, ready)
        prepared, args = ready
        return _reply(name, self.runtime.run(prepared.tool, args))

    async def aexecute(
        self, name: str, arguments: str | Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Async twin of `execute`, on the asyncio client."""
        ready = self._prepare(name, arguments)
        if isinstance(ready, ToolFailure):
            return _failed(name, ready)
        prepared, args = ready
        return _reply(name, await self.runtime.arun(prepared.tool, args))

    def _prepare(
        self, name: str, arguments: str | Mapping[str, Any] | None
    ) -> tuple[_Prepared, ToolInput] | ToolFailure:
        prepared = self._tools.get(name)
        if prepared is None:
            known = ", ".join(self._tools)
            return ToolFailure(
                str(name), "unknown_tool", f"There is no tool named {name!r}. Tools: {known}."
            )
        parsed = _parse_arguments(name, arguments)
        if isinstance(parsed, ToolFailure):
            return parsed
        errors = sorted(prepared.validator.iter_errors(parsed), key=lambda e: list(e.path))
        if errors:
            return validation_failure(name, [_schema_error_field(e) for e in errors])
        try:
            args: ToolInput = prepared.tool.input_model.model_validate(parsed)
            return prepared, args
        except ValidationError as exc:
            return validation_failure(name, pydantic_field_errors(exc), exc)


def _parse_arguments(
    name: str, arguments: str | Mapping[str, Any] | None
) -> dict[str, Any] | ToolFailure:
    if arguments is None or (isinstance(arguments, str) and not arguments.strip()):
        return {}
    if isinstance(arguments, str):
        try:
            value = json.loads(arguments)
        except ValueError as exc:
            return ToolFailure(
                name,
                "invalid_json",
                f"The arguments for {name} are not valid JSON ({exc}). Send one JSON object.",
            )
    else:
        value = arguments
    if not isinstance(value, Mapping):
        return ToolFailure(
            name,
            "invalid_arguments",
            f"The arguments for {name} must be a JSON object, got {type(value).__name__}.",
        )
    return dict(value)


def _failed(name: str, failure: ToolFailure) -> dict[str, Any]:
    return {"ok": False, "tool": name, "error": failure.to_dict()}


def _reply(name: str, outcome: Outcome) -> dict[str, Any]:
    content, artifact = outcome
    if isinstance(artifact, ToolFailure):
        return _failed(name, artifact)
    return {
        "ok": True,
        "tool": name,
        "content": content,
        "result": artifact.model_dump(mode="json"),
    }
