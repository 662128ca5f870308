"""`ElizaCloud` and `AsyncElizaCloud`: the typed elizaOS Cloud clients.

Both share settings resolution, request building and response parsing (see
`_resource.py` and `_transport.py`); only the I/O differs. Resources hang off
the client: `client.images.generate(...)`, `client.credits.balance()`, ...
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Generic

import httpx

from eliza_tools._resource import APIResource, Async, ModeT, Sync
from eliza_tools._transport import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    AsyncTransport,
    Clock,
    SyncTransport,
    TransportCore,
)
from eliza_tools.config import Secret, Settings, resolve_base_url, resolve_settings
from eliza_tools.resources.agents import Agents
from eliza_tools.resources.apps import AsyncApps, SyncApps
from eliza_tools.resources.auth import Auth
from eliza_tools.resources.billing import Billing
from eliza_tools.resources.chat import AsyncChat, Chat
from eliza_tools.resources.cloud_agents import AsyncCloudAgents, SyncCloudAgents
from eliza_tools.resources.containers import AsyncContainers, Containers
from eliza_tools.resources.credits import Credits
from eliza_tools.resources.discovery import AsyncDiscovery, Discovery
from eliza_tools.resources.embeddings import Embeddings
from eliza_tools.resources.images import Images
from eliza_tools.resources.knowledge import Knowledge
from eliza_tools.resources.models import Models
from eliza_tools.resources.video import AsyncVideo, SyncVideo
from eliza_tools.resources.voice import AsyncVoice, SyncVoice

# Resources whose methods are all `endpoint`s: one class serves both clients.
_SHARED_RESOURCES: dict[str, type[APIResource[Any]]] = {
    "images": Images,
    "credits": Credits,
    "billing": Billing,
    "models": Models,
    "embeddings": Embeddings,
    "agents": Agents,
    "auth": Auth,
    "knowledge": Knowledge,
}


class _BaseClient(Generic[ModeT]):
    """What both clients share: settings, the transport core and the shared resources."""

    images: Images[ModeT]
    knowledge: Knowledge[ModeT]
    credits: Credits[ModeT]
    billing: Billing[ModeT]
    models: Models[ModeT]
    embeddings: Embeddings[ModeT]
    agents: Agents[ModeT]
    auth: Auth[ModeT]

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: bool = True,
        default_headers: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        config_file: Path | None = None,
        anonymous: bool = False,
    ) -> None:
        if anonymous:
            # For the routes that need no key (the CLI login flow, public discovery):
            # nothing is resolved, and a call that needs a key raises ConfigurationError.
            resolved = resolve_base_url(base_url, config_file=config_file)
            self.settings: Settings = Settings(api_key=Secret(""), base_url=resolved)
        else:
            self.settings = resolve_settings(api_key, base_url, config_file=config_file)
        self._core = TransportCore(
            api_key=self.settings.api_key,
            base_url=self.settings.base_url,
            site_url=self.settings.site_url,
            timeout=timeout,
            max_retries=max_retries,
            rate_limit=rate_limit,
            clock=clock,
            default_headers=default_headers,
        )

    @property
    def base_url(self) -> str:
        """The API base URL, ending in `/api/v1`."""
        return self.settings.base_url

    def _attach(self, transport: SyncTransport | AsyncTransport) -> None:
        for name, resource in _SHARED_RESOURCES.items():
            setattr(self, name, resource(transport))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.settings.base_url!r}, "
            f"api_key={self.settings.api_key!r})"
        )


class ElizaCloud(_BaseClient[Sync]):
    """Blocking elizaOS Cloud client; one pooled connection pool per instance.

    >>> with ElizaCloud() as cloud:          # key from ELIZACLOUD_API_KEY
    ...     cloud.credits.balance().balance
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(api_key, base_url, **kwargs)
        self._transport = SyncTransport(self._core, http_client)
        self._attach(self._transport)
        self.chat: Chat = Chat(self._transport)
        self.discovery: Discovery = Discovery(self._transport)
        self.containers: Containers = Containers(self._transport)
        self.cloud_agents: SyncCloudAgents = SyncCloudAgents(self._transport)
        self.apps: SyncApps = SyncApps(self._transport)
        self.video: SyncVideo = SyncVideo(self._transport)
        self.voice: SyncVoice = SyncVoice(self._transport)

    def close(self) -> None:
        """Close the connection pool."""
        self._transport.close()

    def __enter__(self) -> ElizaCloud:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncElizaCloud(_BaseClient[Async]):
    """asyncio elizaOS Cloud client; the twin of `ElizaCloud`."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        http_client: httpx.AsyncClient | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(api_key, base_url, **kwargs)
        self._transport = AsyncTransport(self._core, http_client)
        self._attach(self._transport)
        self.chat: AsyncChat = AsyncChat(self._transport)
        self.discovery: AsyncDiscovery = AsyncDiscovery(self._transport)
        self.containers: AsyncContainers = AsyncContainers(self._transport)
        self.cloud_agents: AsyncCloudAgents = AsyncCloudAgents(self._transport)
        self.apps: AsyncApps = AsyncApps(self._transport)
        self.video: AsyncVideo = AsyncVideo(self._transport)
        self.voice: AsyncVoice = AsyncVoice(self._transport)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncElizaCloud:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
