"""Route groups of the emulator, one module per API area; `ALL_GROUPS` lists them in mount order."""

from __future__ import annotations

from eliza_tools.emulator.routes import (
    a2a,
    agents,
    apps,
    auth_cli,
    billing,
    chat,
    containers,
    credits,
    images,
    knowledge,
    milady,
    video,
    voice,
)
from eliza_tools.emulator.routing import RouteGroup

ALL_GROUPS: tuple[RouteGroup, ...] = (
    credits.group,
    images.group,
    video.group,
    voice.group,
    knowledge.group,
    agents.group,
    a2a.group,
    chat.group,
    auth_cli.group,
    containers.group,
    milady.group,
    apps.group,
    billing.group,
)
