"""`ElizaCloudToolkit`: every capability, for LangChain and for raw function calling."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import ConfigDict, PrivateAttr

from eliza_tools.client import AsyncElizaCloud, ElizaCloud
from eliza_tools.function_calling import (
    ToolExecutor,
    anthropic_tool_spec,
    gemini_tool_spec,
    openai_tool_spec,
)
from eliza_tools.tools.base import CloudTool, ToolContext
from eliza_tools.tools.budget import Budget
from eliza_tools.tools.langchain import ElizaCloudTool
from eliza_tools.tools.output import DEFAULT_OUTPUT_DIR, OutputDir
from eliza_tools.tools.registry import ALL_TOOLS
from eliza_tools.tools.runtime import ToolRuntime


class ElizaCloudToolkit(BaseToolkit):
    """The elizaOS Cloud tools, sharing one client pair, one output folder and one budget.

    >>> toolkit = ElizaCloudToolkit(budget_usd=5.0)    # key from ELIZACLOUD_API_KEY
    >>> agent = create_react_agent(model, toolkit.get_tools())

    - `client`: an `ElizaCloud` or `AsyncElizaCloud` (its twin is made from its
      settings); None reads the key from the environment and fails now, naming
      `ELIZACLOUD_API_KEY`, when there is none.
    - `include` / `exclude`: tool names to keep or drop.
    - `output_dir`: where generated audio, video and images are saved;
      `read_dirs`: other folders whose files tools may read (audio to transcribe,
      voice samples, documents to upload).
    - `budget_usd`: refuse any call that would take the toolkit's spending over it.
    - `raise_errors`: let cloud errors raise instead of becoming error messages.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    _runtime: ToolRuntime = PrivateAttr()
    _tools: list[CloudTool[Any, Any]] = PrivateAttr()

    def __init__(
        self,
        client: ElizaCloud | AsyncElizaCloud | None = None,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        output_dir: str | os.PathLike[str] = DEFAULT_OUTPUT_DIR,
        budget_usd: float | None = None,
        *,
        read_dirs: Iterable[str | os.PathLike[str]] = (),
        save_images: bool = True,
        save_video: bool = True,
        raise_errors: bool = False,
    ) -> None:
        super().__init__()
        self._tools = _select(ALL_TOOLS, include, exclude)
        context = ToolContext(
            output=OutputDir(output_dir, read_roots=list(read_dirs)),
            save_images=save_images,
            save_video=save_video,
        )
        self._runtime = ToolRuntime(client, context, Budget(budget_usd), raise_errors=raise_errors)

    @property
    def budget(self) -> Budget:
        """What the tools spent so far and what is left."""
        return self._runtime.budget

    @property
    def runtime(self) -> ToolRuntime:
        """The clients, output folder and budget the tools share."""
        return self._runtime

    @property
    def definitions(self) -> list[CloudTool[Any, Any]]:
        """The selected capability definitions."""
        return list(self._tools)

    def get_tools(self) -> list[BaseTool]:
        """The tools as LangChain `BaseTool`s (sync and async, content and artifact)."""
        return [ElizaCloudTool(tool, self._runtime) for tool in self._tools]

    def openai_tools(self) -> list[dict[str, Any]]:
        """OpenAI Chat Completions tool specs, valid in strict mode."""
        return [openai_tool_spec(tool) for tool in self._tools]

    def anthropic_tools(self) -> list[dict[str, Any]]:
        """Anthropic Messages API tool specs."""
        return [anthropic_tool_spec(tool) for tool in self._tools]

    def gemini_tools(self) -> list[dict[str, Any]]:
        """Gemini function declarations (the schema subset Gemini accepts)."""
        return [gemini_tool_spec(tool) for tool in self._tools]

    def executor(self) -> ToolExecutor:
        """A `ToolExecutor` for raw function calls, sharing this toolkit's clients and budget."""
        return ToolExecutor(self._tools, self._runtime)


def _select(
    tools: Iterable[CloudTool[Any, Any]],
    include: Iterable[str] | None,
    exclude: Iterable[str] | None,
) -> list[CloudTool[Any, Any]]:
    available = {tool.name: tool for tool in tools}
    wanted = list(include) if include is not None else list(available)
    dropped = set(exclude or ())
    unknown = sorted((set(wanted) | dropped) - set(available))
    if unknown:
        raise ValueError(f"unknown tool(s) {unknown}; available: {sorted(available)}")
    return [available[name] for name in wanted if name not in dropped]
