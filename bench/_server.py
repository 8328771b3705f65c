"""A bare aiohttp Media Collection stand-in for benchmarks, run as a separate process.

Prints its base URL on the first line of stdout, then serves until killed.
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web

SID = "0" * 64


async def _start(_: web.Request) -> web.Response:
    return web.Response(status=201, headers={"Location": f"/api/v1/sessions/{SID}"})


async def _event(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(status=204)


async def main() -> None:
    app = web.Application()
    app.router.add_post("/api/v1/sessions", _start)
    app.router.add_post("/api/v1/sessions/{sid}/events", _event)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
