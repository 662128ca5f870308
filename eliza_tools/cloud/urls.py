"""Base-URL screening for the upstream cloud (Milady's `validate-url.ts`, fail-closed).

A cloud base URL carries the API key on every request, so it must be `https` and
must not point at a private, loopback, link-local, CGNAT, multicast, reserved or
documentation address, nor at `localhost`, `*.localhost` or `*.local`. A host
name is resolved and **every** answer is checked; a name that does not resolve
is refused. `allow_private=True` lifts the screen (plain `http` included): that
is what the emulator on `http://127.0.0.1` needs, and it must be asked for.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit

from eliza_tools.errors import ConfigurationError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_LOCAL_SUFFIXES = (".localhost", ".local")


class UnsafeURLError(ConfigurationError, ValueError):
    """A base URL the client refuses to send an API key to."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"base_url {url!r}: {reason}")


def _parts(url: str, allow_private: bool) -> SplitResult:
    """Checks that need no DNS: scheme, host present, no credentials, no local names."""
    parts = urlsplit(url.strip())
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        need = "http(s)" if allow_private else "https (pass allow_private=True for a local server)"
        raise UnsafeURLError(url, f"must be {need}")
    if not parts.hostname:
        raise UnsafeURLError(url, "has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError(url, "must not carry credentials")
    host = parts.hostname.rstrip(".").lower()
    if not allow_private and (host == "localhost" or host.endswith(_LOCAL_SUFFIXES)):
        raise UnsafeURLError(url, f"{host} is a local host name")
    return parts


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # `is_global` is False for private, loopback, link-local, CGNAT (100.64/10),
    # documentation and reserved ranges; multicast needs its own test.
    return address.is_global and not address.is_multicast


def _judge(url: str, host: str, addresses: Iterable[Address]) -> None:
    found = list(addresses)
    if not found:
        raise UnsafeURLError(url, f"{host} does not resolve")
    for address in found:
        if not _is_public(address):
            raise UnsafeURLError(url, f"{host} is a non-public address ({address})")


def _from_infos(infos: Iterable[tuple[object, ...]]) -> list[Address]:
    return [ipaddress.ip_address(str(info[4][0])) for info in infos]  # type: ignore[index]


def validate_base_url(url: str, *, allow_private: bool = False) -> str:
    """Return `url` if it is safe to send a key to, else raise `UnsafeURLError`.

    Resolving a name blocks; async code calls it through `asyncio.to_thread`.
    """
    parts = _parts(url, allow_private)
    if allow_private:
        return url
    host = parts.hostname or ""
    literal = _literal(host)
    if literal is not None:
        _judge(url, host, [literal])
        return url
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError:
        raise UnsafeURLError(url, f"{host} does not resolve") from None
    _judge(url, host, _from_infos(infos))
    return url
