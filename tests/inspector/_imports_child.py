"""Child process for test_dependencies: use the core's network stack, print what it imported.

Prints one top-level module name per line: everything imported by the time an event went
out through our client and through httpx's own transport (httpcore) to the embedded backend.
"""

from __future__ import annotations

import asyncio
import sys

import httpx

from inspector.client import MediaCollectionClient
from inspector.protocol.bodies import sample_body
from inspector.server.embedded import EmbeddedServer


async def main() -> None:
    server = EmbeddedServer()
    url = await server.astart()
    try:
        client = MediaCollectionClient(url)
        try:
            channel, _ = await client.start_session(sample_body("sessionStart"))
            await channel.send(sample_body("play"))
        finally:
            await client.aclose()
        async with httpx.AsyncClient(trust_env=False) as plain:  # httpcore's path
            await plain.post(f"{url}/api/v1/sessions", json=sample_body("sessionStart"))
    finally:
        await server.astop()


if __name__ == "__main__":
    asyncio.run(main())
    print("\n".join(sorted({name.partition(".")[0] for name in sys.modules})))
