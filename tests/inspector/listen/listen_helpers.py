"""A listening proxy in front of a real upstream on 127.0.0.1 (the embedded backend or a
small aiohttp app of the test's own)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from inspector.capture import CaptureLog
from inspector.proxy import ListenProxy, proxy_site


@asynccontextmanager
async def listening_proxy(upstream: str, **options: object
                          ) -> AsyncIterator[tuple[str, ListenProxy, CaptureLog]]:
    """(proxy URL, proxy, what it recorded), like ``media-inspector listen`` wires them."""
    proxy = ListenProxy(upstream, **options)  # type: ignore[arg-type]
    listening = CaptureLog()
    proxy.exchanged.connect(listening.record)
    async with proxy_site(proxy) as url:
        yield url, proxy, listening


@asynccontextmanager
async def upstream_app(app: web.Application) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1, any free port, on this loop; yield its base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5,
                           auto_decompress=False)  # so a test sees the bytes on the wire
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
