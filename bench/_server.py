"""A Media Collection server for benchmarks, run as a separate process.

    python bench/_server.py [bare|lean|embedded|serve]

``bare`` (the default): a bare aiohttp app answering 201/204, the floor. ``lean``: the
same answering its 204s with a ``web.StreamResponse`` (no body handling), as our backend's
short path does: the stricter floor. ``embedded``: our
backend as the window runs it (validation, reorder window, no access log). ``serve``: what
``media-inspector serve`` runs, access log included (to stderr). Prints its base URL on
the first line of stdout, then serves until killed.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiohttp import web

SID = "0" * 64


async def _start(_: web.Request) -> web.Response:
    return web.Response(status=201, headers={"Location": f"/api/v1/sessions/{SID}"})


async def _event(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=204)


async def _lean_event(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.StreamResponse(status=204)


def bare_app(lean: bool = False) -> web.Application:
    """The floor: read the body, answer 204 (201 with a fixed sid for a session)."""
    app = web.Application()
    app.router.add_post("/api/v1/sessions", _start)
    app.router.add_post("/api/v1/sessions/{sid}/events", _lean_event if lean else _event)
    return app


async def _run(runner: web.AppRunner) -> None:
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


def _runner(kind: str) -> web.AppRunner:
    if kind in ("bare", "lean"):
        return web.AppRunner(bare_app(lean=kind == "lean"), access_log=None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from inspector.server import ServerConfig, create_app
    from inspector.server.runner import BackendRunner
    app = create_app(config=ServerConfig(max_events_per_session=1000))
    if kind == "embedded":  # as EmbeddedServer runs it
        return BackendRunner(app, access_log=None)
    from inspector.server.serve import access_log_options
    return BackendRunner(app, **access_log_options(sys.stderr))  # as serve runs it


if __name__ == "__main__":
    try:
        asyncio.run(_run(_runner(sys.argv[1] if len(sys.argv) > 1 else "bare")))
    except KeyboardInterrupt:
        sys.exit(0)
