"""Cloud agents, done right: a connection manager, base-URL screening and the local cloud API.

- `CloudManager` (`cloud.manager`): one connection to one Milady cloud agent, with
  Milady's states (`disconnected → connecting → connected → reconnecting → error`),
  a backup scheduler, a health monitor that notices dead sandboxes, and chat
  through the agent's bridge. No background task outlives `disconnect()` / `aclose()`.
- `validate_base_url` (`cloud.urls`): https only, no private or loopback hosts
  unless `allow_private=True`.
- `create_app` (`cloud.server`): the local cloud API of Milady's dashboard
  (`/api/cloud/*`), served by `eliza-tools cloud serve`.
"""

from __future__ import annotations

from eliza_tools.cloud.manager import (
    CloudManager,
    ConnectionState,
    ManagerOptions,
    NotConnectedError,
    StateChange,
)
from eliza_tools.cloud.urls import UnsafeURLError, validate_base_url

__all__ = [
    "CloudManager",
    "ConnectionState",
    "ManagerOptions",
    "NotConnectedError",
    "StateChange",
    "UnsafeURLError",
    "validate_base_url",
]
