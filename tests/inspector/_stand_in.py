"""A stand-in Media Collection server on 127.0.0.1: an aiohttp app with the two routes,
answered by the handlers a test gives (real HTTP, no backend logic)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def stand_in(start: Handler, event: Handler) -> AsyncIterator[str]:
    """Serve ``POST /api/v1/sessions`` with ``start`` and ``…/{sid}/events`` with ``event``;
    the base URL while the block runs."""
    app = web.Application()
    app.router.add_post("/api/v1/sessions", start)
    app.router.add_post("/api/v1/sessions/{sid}/events", event)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
