"""Every capability definition, in the order the toolkit lists them."""

from __future__ import annotations

from typing import Any

from eliza_tools.tools.base import CloudTool
from eliza_tools.tools.credits import CHECK_CREDITS
from eliza_tools.tools.delegate import DELEGATE_TASK
from eliza_tools.tools.discovery import DISCOVER_AGENTS
from eliza_tools.tools.images import GENERATE_IMAGE
from eliza_tools.tools.knowledge import QUERY_KNOWLEDGE, UPLOAD_KNOWLEDGE
from eliza_tools.tools.video import GENERATE_VIDEO
from eliza_tools.tools.voice import CLONE_VOICE, TEXT_TO_SPEECH, TRANSCRIBE_AUDIO

ALL_TOOLS: tuple[CloudTool[Any, Any], ...] = (
    GENERATE_IMAGE,
    GENERATE_VIDEO,
    TEXT_TO_SPEECH,
    TRANSCRIBE_AUDIO,
    CLONE_VOICE,
    UPLOAD_KNOWLEDGE,
    QUERY_KNOWLEDGE,
    DISCOVER_AGENTS,
    DELEGATE_TASK,
    CHECK_CREDITS,
)
