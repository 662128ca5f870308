"""Push notifications: webhook delivery with retries, and a screen against SSRF.

A push URL must be http(s) and must not point at a private, loopback, link-local, reserved
or multicast address, checked both when the config is set and again at each delivery
(a hostname can be re-pointed). `allow_private=True` lifts the screen (tests, trusted
networks). Deliveries of one task go out in order, one at a time; each is retried with
backoff on connection errors and 5xx/429 answers.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from a2a.jsonrpc import InvalidParamsError, dumps
from a2a.types import TaskPushNotificationConfig

log = logging.getLogger("a2a.server.push")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def check_push_url(url: str, *, allow_private: bool = False) -> None:
    """Raise -32602 unless the URL is an http(s) URL of a public host (or private is allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidParamsError(f"push url: must be an http(s) URL with a host, got {url!r}")
    if allow_private:
        return
    host = parts.hostname
    try:
        addresses: list[Address] = [ipaddress.ip_address(host)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError:
            raise InvalidParamsError(f"push url: cannot resolve host {host!r}") from None
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not _is_public(address):
            raise InvalidParamsError(
                f"push url: {host} resolves to a non-public address ({address}); "
                "private, loopback and link-local targets are refused"
            )


class PushSender:
    """Delivers push payloads, in order per task, with retries."""

    def __init__(
        self,
        *,
        allow_private: bool = False,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 10.0,
        client_factory: Callable[[], httpx.AsyncClient] | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.retries = retries
        self.backoff = backoff
        self._client_factory = client_factory or (
            lambda: httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        )
        self._client: httpx.AsyncClient | None = None
        self._queues: dict[str, asyncio.Queue[tuple[TaskPushNotificationConfig, Any]]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self.delivered = 0
        self.failed = 0

    def enqueue(self, key: str, config: TaskPushNotificationConfig, payload: Any) -> None:
        """Queue one payload for a config; deliveries of one key (task) keep their order."""
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = asyncio.Queue()
            worker = asyncio.get_running_loop().create_task(self._drain(key, queue))
            self._workers.add(worker)
            worker.add_done_callback(self._workers.discard)
        queue.put_nowait((config, payload))

    async def _drain(
        self, key: str, queue: asyncio.Queue[tuple[TaskPushNotificationConfig, Any]]
    ) -> None:
        try:
            while not queue.empty():
                config, payload = queue.get_nowait()
                await self.deliver(config, payload)
        finally:
            if self._queues.get(key) is queue and queue.empty():
                del self._queues[key]

    def headers(self, config: TaskPushNotificationConfig) -> dict[str, str]:
        """The headers of a delivery: the config's token and its authentication."""
        headers = {"Content-Type": "application/json"}
        if config.token:
            headers["X-A2A-Notification-Token"] = config.token
        auth = config.authentication
        if auth is not None and auth.credentials:
            headers["Authorization"] = f"{auth.scheme} {auth.credentials}"
        return headers

    async def deliver(self, config: TaskPushNotificationConfig, payload: Any) -> bool:
        """POST one payload, retrying; True when the receiver answered 2xx."""
        try:
            await check_push_url(config.url, allow_private=self.allow_private)
        except InvalidParamsError as exc:
            log.warning("push to config %s refused: %s", config.id, exc.message)
            self.failed += 1
            return False
        if self._client is None:
            self._client = self._client_factory()
        body = dumps(payload)
        headers = self.headers(config)
        for attempt in range(self.retries + 1):
            try:
                response = await self._client.post(config.url, content=body, headers=headers)
                if response.is_success:
                    self.delivered += 1
                    return True
                if response.status_code < 500 and response.status_code != 429:
                    break  # the receiver refused it: retrying will not help
            except httpx.HTTPError as exc:
                log.info("push attempt %d to config %s failed: %s", attempt + 1, config.id, exc)
            if attempt < self.retries:
                await asyncio.sleep(self.backoff * 2**attempt)
        self.failed += 1
        log.warning("push to config %s gave up", config.id)
        return False

    async def drain(self) -> None:
        """Wait until every queued delivery is done (tests, shutdown)."""
        while self._workers:
            await asyncio.gather(*list(self._workers), return_exceptions=True)

    async def close(self) -> None:
        """Finish deliveries and close the HTTP client."""
        await self.drain()
        if self._client is not None:
            await self._client.aclose()
            self._client = None
