"""langchain-tests `ToolsIntegrationTests` for every tool, against the emulator on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests

from eliza_tools.tools import ALL_TOOLS, ElizaCloudToolkit
from tests.fixtures.tools import TOOL_EXAMPLES


class _ElizaToolIntegration(ToolsIntegrationTests):
    tool_name = ""

    @property
    def tool_constructor(self) -> BaseTool:
        raise AssertionError("built by the `tool` fixture below, on the emulator")

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return TOOL_EXAMPLES[self.tool_name]

    @pytest.fixture
    def tool(self, emulator_toolkit: ElizaCloudToolkit) -> BaseTool:
        (tool,) = (t for t in emulator_toolkit.get_tools() if t.name == self.tool_name)
        return tool


for _definition in ALL_TOOLS:
    _class_name = "Test" + "".join(p.title() for p in _definition.name.split("_")) + "Integration"
    globals()[_class_name] = type(
        _class_name, (_ElizaToolIntegration,), {"tool_name": _definition.name}
    )
