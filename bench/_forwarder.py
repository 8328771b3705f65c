"""The least a reverse proxy can do (aiohttp in and out, no records, no advisor), as a
separate process: the baseline that separates the cost of a hop from listen's own.

    python bench/_forwarder.py UPSTREAM     (prints its base URL, then serves until killed)
"""

from __future__ import annotations

import asyncio
import sys

import aiohttp
from aiohttp import web


async def main(upstream: str) -> None:
    client = aiohttp.ClientSession()

    async def forward(request: web.Request) -> web.Response:
        async with client.request(request.method, upstream + request.raw_path,
                                  data=await request.read(),
                                  headers={"Content-Type": "application/json"}) as answer:
            body = await answer.read()
            return web.Response(status=answer.status, body=body or None,
                                headers={k: v for k, v in answer.headers.items()
                                         if k.lower() == "location"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(f"http://127.0.0.1:{runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except KeyboardInterrupt:
        pass
