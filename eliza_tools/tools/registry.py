"""Every capability definition, in the order the toolkit lists them."""

from __future__ import annotations

from typing import Any

from eliza_tools.tools.base import CloudTool
from eliza_tools.tools.credits import CHECK_CREDITS
from eliza_tools.tools.discovery import DISCOVER_AGENTS
from eliza_tools.tools.images import GENERATE_IMAGE
from eliza_tools.tools.video import GENERATE_VIDEO

ALL_TOOLS: tuple[CloudTool[Any, Any], ...] = (
    GENERATE_IMAGE,
    GENERATE_VIDEO,
    DISCOVER_AGENTS,
    CHECK_CREDITS,
)
