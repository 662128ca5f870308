"""eliza-tools: elizaOS Cloud for agent builders.

`ElizaCloud` / `AsyncElizaCloud` are the typed clients; `eliza_tools.errors`
holds the one exception tree they raise. Names are imported on first use so
that `eliza-tools --help` and the emulator start without loading the client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from eliza_tools._version import __version__

if TYPE_CHECKING:
    from eliza_tools.client import AsyncElizaCloud, ElizaCloud
    from eliza_tools.errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        BridgeError,
        ConfigurationError,
        ConflictError,
        ContainerDeploymentError,
        ElizaCloudError,
        InsufficientCreditsError,
        InternalServerError,
        InvalidRequestError,
        JobFailedError,
        JobTimeoutError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        RequestTooLargeError,
        SandboxDownError,
        ServiceUnavailableError,
    )
    from eliza_tools.function_calling import ToolExecutor
    from eliza_tools.tools.toolkit import ElizaCloudToolkit

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncElizaCloud",
    "AuthenticationError",
    "BadRequestError",
    "BridgeError",
    "ConfigurationError",
    "ConflictError",
    "ContainerDeploymentError",
    "ElizaCloud",
    "ElizaCloudError",
    "ElizaCloudToolkit",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidRequestError",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "SandboxDownError",
    "ServiceUnavailableError",
    "ToolExecutor",
    "__version__",
]

# Where each lazily imported name of `__all__` lives; the ones not listed are exceptions.
_MODULES = {
    "AsyncElizaCloud": "eliza_tools.client",
    "ElizaCloud": "eliza_tools.client",
    "ElizaCloudToolkit": "eliza_tools.tools.toolkit",
    "ToolExecutor": "eliza_tools.function_calling",
}
_EXPORTS: dict[str, str] = {
    name: _MODULES.get(name, "eliza_tools.errors") for name in __all__ if name != "__version__"
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'eliza_tools' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value
