"""Serving the emulator: `run_emulator` (background thread) and `serve` (foreground, CLI)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eliza_tools.emulator.core import Emulator, EmulatorConfig
from eliza_tools.emulator.faults import Fault


class EmulatorHandle:
    """A running emulator: its URLs, default key and test controls.

    Unpacks as `(base_url, api_key)`; `base_url` ends with `/api/v1` (the client's base).
    """

    def __init__(self, emulator: Emulator, site_url: str) -> None:
        self.emulator = emulator
        self.site_url = site_url
        self.base_url = f"{site_url}/api/v1"
        self.api_key = emulator.api_key

    def __iter__(self) -> Iterator[str]:
        return iter((self.base_url, self.api_key))

    def __repr__(self) -> str:
        return f"EmulatorHandle(site_url={self.site_url!r})"

    def set_balance(self, value: float, api_key: str | None = None) -> None:
        """Force an account's USD balance (default account if no key)."""
        self.emulator.set_balance(value, api_key)

    def balance(self, api_key: str | None = None) -> float:
        """An account's USD balance."""
        return self.emulator.balance(api_key)

    def new_account(self, balance: float | None = None) -> str:
        """A fresh account; returns its API key."""
        return self.emulator.new_account(balance)[0]

    def inject_fault(self, path: str, **options: Any) -> Fault:
        """Arm a fault: `status`, `body`, `headers`, `delay`, `drop`, `method`, `times`."""
        return self.emulator.faults.add(Fault(path=path, **options))

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.emulator.faults.clear()

    def reset(self) -> None:
        """Forget all state except the default key; restore the starting balance."""
        self.emulator.reset()


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS says is free right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _build_server(emu: Emulator, host: str, port: int) -> Any:
    import uvicorn

    from eliza_tools.emulator.app import create_app

    config = uvicorn.Config(
        create_app(emulator=emu),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)


@contextmanager
def run_emulator(
    *,
    balance: float = 25.0,
    speedup: float = 1.0,
    video_delay: float = 3.0,
    state_path: str | Path | None = None,
    cli_session_ttl: float = 600.0,
    host: str = "127.0.0.1",
    port: int | None = None,
    **config: Any,
) -> Iterator[EmulatorHandle]:
    """Run an emulator on a free loopback port in a background thread.

    Yields an `EmulatorHandle`, which also unpacks as `(base_url, api_key)`.
    Extra keyword arguments go to `EmulatorConfig`.
    """
    emu = Emulator(
        EmulatorConfig(
            balance=balance,
            speedup=speedup,
            video_delay=video_delay,
            state_path=state_path,
            cli_session_ttl=cli_session_ttl,
            **config,
        )
    )
    chosen = port or free_port(host)
    server = _build_server(emu, host, chosen)
    thread = threading.Thread(target=server.run, name=f"emulator:{chosen}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"emulator did not start on {host}:{chosen}")
        time.sleep(0.01)
    try:
        yield EmulatorHandle(emu, f"http://{host}:{chosen}")
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        emu.store.close()


def serve(config: EmulatorConfig, host: str, port: int, on_ready: Any = None) -> None:
    """Serve in the foreground until interrupted; `on_ready(handle)` runs once listening."""
    emu = Emulator(config)
    server = _build_server(emu, host, port)
    if on_ready is not None:
        original = server.startup

        async def startup(sockets: Any = None) -> None:
            await original(sockets=sockets)
            if server.started:
                on_ready(EmulatorHandle(emu, f"http://{host}:{port}"))

        server.startup = startup
    try:
        server.run()
    finally:
        emu.store.close()
