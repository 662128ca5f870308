"""A local elizaOS Cloud: the real server's routes, shapes, status codes and quirks.

Run it with `eliza-tools emulator` or, in tests and notebooks::

    from eliza_tools.emulator import run_emulator

    with run_emulator(balance=5.0, speedup=50) as emu:
        base_url, api_key = emu          # base_url ends with /api/v1
        emu.inject_fault("/api/v1/generate-image", status=503, times=2)

Layout (the extension seam):

- `core.Emulator` / `core.EmulatorConfig`: configuration and shared services,
  reached by every handler as `ctx.emu`.
- `store.Store`: records by kind in memory or SQLite (`--state FILE`); group
  writes with `store.transaction()`.
- `auth`: keys, accounts, the edge rule (`edge_check`, applied by the route
  wrapper) and `authenticate`; `ledger`: `charge` / `credit` / `balance`.
- `ratelimit`: the presets (`STANDARD`, `CRITICAL`, ...) and headers.
- `errors`: one builder per body family (`bare`, `failure`, `canonical`,
  `openai_error`, `jsonrpc_error`) and `Reply` to answer early.
- `jobs`: clock-driven jobs behind `GET /api/v1/jobs/{id}`.
- `routing.RouteGroup`: a module declares routes with
  `@group.route(path, methods, family=Family.FAILURE, limit="STANDARD")`;
  handlers take a `Ctx` (`ctx.account_or(resp)`, `ctx.json_object(fail)`,
  `ctx.charge(account, usd, what, resp_402)`, `ctx.publish(name, mime, data)`).
- `routes/`: one module per API area, listed in `routes.ALL_GROUPS`.
  A new area (apps, Milady agents, billing) is a new module there plus one
  line in `ALL_GROUPS`; or pass `create_app(groups=(*ALL_GROUPS, extra))`.
- `admin`: the emulator-only admin API under `/__emulator__/` (balance,
  accounts, faults, jobs, reset); `EmulatorHandle` offers the same in Python.
- `a2a_forward`: how `chat_with_agent` reaches an agent registered with the
  emulator-only `a2aEndpoint` field of `POST /api/v1/app/agents`.

Heavy libraries (Pillow, PyAV, lameenc, rank-bm25) are imported inside the
handlers that need them, so the server is ready in well under two seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eliza_tools.emulator.app import create_app
    from eliza_tools.emulator.core import Emulator, EmulatorConfig
    from eliza_tools.emulator.server import EmulatorHandle, run_emulator

__all__ = ["Emulator", "EmulatorConfig", "EmulatorHandle", "create_app", "run_emulator"]

_EXPORTS = {
    "create_app": "eliza_tools.emulator.app",
    "Emulator": "eliza_tools.emulator.core",
    "EmulatorConfig": "eliza_tools.emulator.core",
    "EmulatorHandle": "eliza_tools.emulator.server",
    "run_emulator": "eliza_tools.emulator.server",
}


def __getattr__(name: str) -> Any:
    # Lazy so `import eliza_tools.emulator.store` does not pull in Starlette and uvicorn.
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
