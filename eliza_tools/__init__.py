"""eliza-tools: elizaOS Cloud for agent builders.

`ElizaCloud` / `AsyncElizaCloud` are the typed clients; `eliza_tools.errors`
holds the one exception tree they raise.
"""

from eliza_tools._version import __version__
from eliza_tools.client import AsyncElizaCloud, ElizaCloud
from eliza_tools.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ElizaCloudError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ServiceUnavailableError,
)

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncElizaCloud",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ElizaCloud",
    "ElizaCloudError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "ServiceUnavailableError",
    "__version__",
]
