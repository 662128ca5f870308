"""langchain-tests `ToolsUnitTests` for every tool (no sockets: nothing is invoked)."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import BaseTool
from langchain_tests.unit_tests import ToolsUnitTests

from eliza_tools import ElizaCloud
from eliza_tools.tools import ALL_TOOLS, ElizaCloudToolkit
from tests.fakes import FAKE_API_KEY
from tests.fixtures.tools import MOCK_BASE_URL, TOOL_EXAMPLES


class _ElizaToolUnit(ToolsUnitTests):
    tool_name = ""

    @property
    def tool_constructor(self) -> BaseTool:
        client = ElizaCloud(FAKE_API_KEY, MOCK_BASE_URL)
        (tool,) = ElizaCloudToolkit(client, include=[self.tool_name]).get_tools()
        return tool

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return TOOL_EXAMPLES[self.tool_name]


for _definition in ALL_TOOLS:
    _class_name = "Test" + "".join(p.title() for p in _definition.name.split("_")) + "Unit"
    globals()[_class_name] = type(_class_name, (_ElizaToolUnit,), {"tool_name": _definition.name})
