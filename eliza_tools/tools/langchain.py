"""A `CloudTool` as a LangChain `BaseTool`: native sync and async, content and artifact.

- `args_schema` is the tool's pydantic input model, so LangChain validates the
  arguments; a validation error becomes a `ToolMessage(status="error")` naming
  every bad field and its constraint.
- Cloud errors are handled by the tool itself (LangGraph's `ToolNode`
  re-raises tool errors otherwise): the content is the LLM-facing message, the
  artifact a `ToolFailure` holding the typed exception, and the status "error".
"""

import inspect
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManager, Callbacks
from langchain_core.messages import ToolMessage
from langchain_core.tools import FILTERED_ARGS, BaseTool

# BaseTool's own output formatting and validation-error handling, reused so the
# unobserved fast path in `ElizaCloudTool.arun` answers exactly as BaseTool does.
from langchain_core.tools.base import _format_output, _handle_validation_error
from pydantic import ConfigDict, Field, ValidationError

from eliza_tools.tools.base import CloudTool
from eliza_tools.tools.messages import ToolFailure, pydantic_field_errors, validation_failure
from eliza_tools.tools.runtime import Outcome, ToolRuntime


class ElizaCloudTool(BaseTool):
    """One elizaOS Cloud capability as a LangChain tool (built by `ElizaCloudToolkit`)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    definition: CloudTool[Any, Any] = Field(exclude=True)
    runtime: ToolRuntime = Field(exclude=True)
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"

    def __init__(self, definition: CloudTool[Any, Any], runtime: ToolRuntime, **kwargs: Any):
        tool_name = definition.name

        def explain(exc: ValidationError) -> str:
            return validation_failure(tool_name, pydantic_field_errors(exc)).message

        super().__init__(
            name=definition.name,
            description=definition.description,
            args_schema=definition.input_model,
            definition=definition,
            runtime=runtime,
            handle_validation_error=explain,
            metadata={"read_only": definition.read_only, **definition.metadata},
            **kwargs,
        )

    # langchain-core re-derives the schema's annotations (inspect.signature,
    # get_type_hints) on every call to find injected arguments. Our input models
    # never have any, so these two overrides do the same work without the
    # introspection: it was most of the tool path's overhead over a direct call.
    def _parse_input(
        self, tool_input: str | dict[str, Any], tool_call_id: str | None
    ) -> str | dict[str, Any]:
        if isinstance(tool_input, str):
            return super()._parse_input(tool_input, tool_call_id)
        validated = self.definition.input_model.model_validate(tool_input)
        return dict(validated)  # every field: given, aliased or defaulted

    def _filter_injected_args(self, tool_input: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in tool_input.items() if key not in FILTERED_ARGS}

    # langchain-core also calls inspect.signature() and get_type_hints() on _run/_arun
    # for every call. Plain `Any` annotations and a precomputed __signature__ (below the
    # class) make both lookups cheap; the precise type is `Outcome`.
    def _run(self, **kwargs: Any) -> Any:
        # LangChain has validated the arguments already: build the model without re-checking.
        args = self.definition.input_model.model_construct(**kwargs)
        outcome: Outcome = self.runtime.run(self.definition, args)
        return outcome

    async def _arun(self, **kwargs: Any) -> Any:
        args = self.definition.input_model.model_construct(**kwargs)
        outcome: Outcome = await self.runtime.arun(self.definition, args)
        return outcome

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """`BaseTool.run`, marking a handled cloud failure as `status="error"`."""
        return _mark_failure(super().run(*args, **kwargs))

    async def arun(
        self,
        tool_input: str | dict[str, Any],
        verbose: bool | None = None,
        start_color: str | None = "green",
        color: str | None = "green",
        callbacks: Callbacks = None,
        **kwargs: Any,
    ) -> Any:
        """`BaseTool.arun`, marking a handled cloud failure as `status="error"`.

        When nothing observes the run (no callback handler, no tracer: what
        `AsyncCallbackManager.configure` reports), the tool is run directly,
        without the callback events and the context-copying task langchain-core
        sets up for every call; the output is formatted exactly as `BaseTool.arun`
        formats it. With any handler configured, `BaseTool.arun` runs unchanged.
        """
        # Explicit callbacks (a LangGraph agent always passes some) mean the run is
        # observed: go straight to BaseTool.arun, which configures them itself.
        unobserved = (
            not callbacks
            and not self.callbacks
            and set(kwargs) <= _UNOBSERVED_KWARGS
            and not self._configured_handlers(verbose, kwargs)
        )
        if unobserved and isinstance(tool_input, dict):
            output = await self._arun_unobserved(tool_input, kwargs.get("tool_call_id"))
        else:
            output = await super().arun(
                tool_input, verbose, start_color, color, callbacks, **kwargs
            )
        return _mark_failure(output)

    def _configured_handlers(self, verbose: bool | None, kwargs: dict[str, Any]) -> bool:
        """Whether tracers or context handlers would observe a run with no explicit callbacks."""
        manager = AsyncCallbackManager.configure(
            None,
            None,
            self.verbose or bool(verbose),
            kwargs.get("tags"),
            self.tags,
            kwargs.get("metadata"),
            self.metadata,
        )
        return bool(manager.handlers)

    async def _arun_unobserved(self, tool_input: dict[str, Any], tool_call_id: str | None) -> Any:
        try:
            parsed = self._parse_input(tool_input, tool_call_id)
            assert isinstance(parsed, dict)  # a dict input parses to a dict
            content, artifact = await self._arun(**parsed)
            status = "success"
        except ValidationError as exc:
            if not self.handle_validation_error:
                raise
            content = _handle_validation_error(exc, flag=self.handle_validation_error)
            artifact, status = None, "error"
        return _format_output(content, artifact, tool_call_id, self.name, status)


# What `BaseTool.ainvoke` passes on besides the callbacks; anything else goes the slow way.
_UNOBSERVED_KWARGS = frozenset({"tags", "metadata", "run_name", "run_id", "config", "tool_call_id"})

for _method in (ElizaCloudTool._run, ElizaCloudTool._arun):
    setattr(_method, "__signature__", inspect.signature(_method))  # noqa: B010


def _mark_failure(output: Any) -> Any:
    if isinstance(output, ToolMessage) and isinstance(output.artifact, ToolFailure):
        output.status = "error"
    return output
