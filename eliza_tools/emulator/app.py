"""`create_app`: the Starlette app serving the whole emulated site at its root."""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp
from typing_extensions import override

from eliza_tools.emulator import admin
from eliza_tools.emulator.core import Emulator, EmulatorConfig
from eliza_tools.emulator.faults import FaultMiddleware
from eliza_tools.emulator.routing import RouteGroup

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


async def serve_file(request: Request) -> Response:
    """A generated file (image, video) at the absolute URL a route returned.

    Answers a single `Range: bytes=a-b` with 206, so browsers can seek in videos.
    """
    emu: Emulator = request.app.state.emulator
    found = emu.store.get_file(request.path_params["name"])
    if found is None:
        return JSONResponse({"error": "File not found"}, status_code=404)
    content_type, data = found
    headers = {"Cache-Control": "public, max-age=3600", "Accept-Ranges": "bytes"}
    match = _RANGE.match(request.headers.get("range", ""))
    if match is None or match.groups() == ("", ""):
        return Response(data, media_type=content_type, headers=headers)
    first, last = match.groups()
    start = int(first) if first else max(0, len(data) - int(last))
    end = min(len(data) - 1, int(last)) if first and last else len(data) - 1
    if start >= len(data) or start > end:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{len(data)}"})
    headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    return Response(data[start : end + 1], 206, headers=headers, media_type=content_type)


async def _http_error(request: Request, exc: Exception) -> Response:
    # Unknown paths and methods: JSON like the API's bare family, never an HTML page.
    assert isinstance(exc, HTTPException)
    message = "Not found" if exc.status_code == 404 else str(exc.detail)
    return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)


class EmulatorApp(Starlette):
    """Starlette with the fault middleware outside even the error middleware.

    Outermost, it receives uvicorn's own `send`, whose transport it can close to
    drop a connection without any answer.
    """

    @override
    def build_middleware_stack(self) -> ASGIApp:
        emu: Emulator = self.state.emulator
        return FaultMiddleware(super().build_middleware_stack(), emu.faults)


def create_app(
    config: EmulatorConfig | None = None,
    *,
    emulator: Emulator | None = None,
    groups: Iterable[RouteGroup] | None = None,
) -> EmulatorApp:
    """The emulator app; `groups` defaults to every built-in route group (`routes.ALL_GROUPS`).

    Pass extra groups with `groups=(*ALL_GROUPS, my_group)`.
    """
    from eliza_tools.emulator.routes import ALL_GROUPS

    emu = emulator or Emulator(config)
    routes: list[BaseRoute] = [*admin.routes, Route("/files/{name:path}", serve_file)]
    for group in ALL_GROUPS if groups is None else groups:
        routes.extend(group.routes())
    app = EmulatorApp(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.emulator = emu
    return app
