"""Serving a :class:`ListenProxy` on a host and port, for as long as a block runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from .forward import ListenProxy

__all__ = ["proxy_site"]


@asynccontextmanager
async def proxy_site(proxy: ListenProxy, host: str = "127.0.0.1",
                     port: int = 0) -> AsyncIterator[str]:
    """Listen on ``host:port`` (0: any free port) and yield the proxy's base URL; the proxy
    and its upstream client are closed when the block ends. OSError if it cannot bind."""
    # auto_decompress off: a gzipped body is forwarded as the player sent it.
    runner = web.AppRunner(proxy.app(), handle_signals=False, access_log=None,
                           shutdown_timeout=1.0, auto_decompress=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        shown = f"[{host}]" if ":" in host else host
        yield f"http://{shown}:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
        await proxy.aclose()
