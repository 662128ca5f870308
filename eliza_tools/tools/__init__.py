"""elizaOS Cloud capabilities as schema-validated tools.

Each capability is one `CloudTool` definition (pydantic input, plan, result);
`ElizaCloudToolkit` turns them into LangChain tools, OpenAI / Anthropic /
Gemini specs and a `ToolExecutor` for raw function calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eliza_tools.tools.base import CloudTool, ToolContext, ToolInput, ToolResult
    from eliza_tools.tools.budget import Budget, BudgetExceededError
    from eliza_tools.tools.langchain import ElizaCloudTool
    from eliza_tools.tools.messages import ToolFailure
    from eliza_tools.tools.registry import ALL_TOOLS
    from eliza_tools.tools.toolkit import ElizaCloudToolkit

__all__ = [
    "ALL_TOOLS",
    "Budget",
    "BudgetExceededError",
    "CloudTool",
    "ElizaCloudTool",
    "ElizaCloudToolkit",
    "ToolContext",
    "ToolFailure",
    "ToolInput",
    "ToolResult",
]

_EXPORTS = {
    "ALL_TOOLS": "registry",
    "Budget": "budget",
    "BudgetExceededError": "budget",
    "CloudTool": "base",
    "ElizaCloudTool": "langchain",
    "ElizaCloudToolkit": "toolkit",
    "ToolContext": "base",
    "ToolFailure": "messages",
    "ToolInput": "base",
    "ToolResult": "base",
}


def __getattr__(name: str) -> Any:
    # Lazy: `function_calling` imports `tools.base`, and the toolkit imports `function_calling`.
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"eliza_tools.tools.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
