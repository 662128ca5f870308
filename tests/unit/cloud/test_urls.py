"""Base-URL screening: https only, public hosts only, fail-closed on DNS (DNS is faked)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from eliza_tools.cloud.urls import UnsafeURLError, validate_base_url


def _resolves_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    def fake(host: str, port: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_public_https_host_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolves_to(monkeypatch, "76.76.21.21")
    url = "https://www.elizacloud.ai/api/v1"
    assert validate_base_url(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://www.elizacloud.ai", "must be https"),
        ("ftp://www.elizacloud.ai", "must be https"),
        ("https://", "no host"),
        ("https://user:pw@www.elizacloud.ai", "credentials"),
        ("https://localhost:8787", "local host name"),
        ("https://api.localhost", "local host name"),
        ("https://printer.local", "local host name"),
        ("https://127.0.0.1", "non-public"),
        ("https://10.1.2.3", "non-public"),
        ("https://192.168.0.10", "non-public"),
        ("https://169.254.169.254", "non-public"),  # cloud metadata
        ("https://100.64.0.1", "non-public"),  # CGNAT
        ("https://192.0.2.1", "non-public"),  # documentation
        ("https://224.0.0.1", "non-public"),  # multicast
        ("https://[::1]", "non-public"),
        ("https://[::ffff:127.0.0.1]", "non-public"),  # IPv4-mapped loopback
        ("https://[fe80::1]", "non-public"),
    ],
)
def test_unsafe_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURLError, match=reason) as caught:
        validate_base_url(url)
    assert caught.value.url == url and isinstance(caught.value, ValueError)


def test_a_name_resolving_to_any_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _resolves_to(monkeypatch, "76.76.21.21", "10.0.0.7")  # one bad answer is enough
    with pytest.raises(UnsafeURLError, match=r"non-public address \(10\.0\.0\.7\)"):
        validate_base_url("https://rebinding.example.com")


def test_a_name_that_does_not_resolve_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror("no such host")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(UnsafeURLError, match="does not resolve"):
        validate_base_url("https://nowhere.invalid")


def test_allow_private_admits_the_emulator_but_still_needs_http() -> None:
    assert validate_base_url("http://127.0.0.1:8787/api/v1", allow_private=True)
    assert validate_base_url("https://localhost", allow_private=True)
    with pytest.raises(UnsafeURLError, match=r"http\(s\)"):
        validate_base_url("file:///etc/passwd", allow_private=True)
