"""Our client's overhead against a bare httpx.AsyncClient on the same local server.

Both send the same N event bodies to a server in another process, alternating in rounds
within one run; prints the ratio of total time (ours / bare). Goal: <= 1.15.

    python bench/client_overhead.py [--events 2000] [--rounds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

import httpx

from inspector.client import MediaCollectionClient
from inspector.protocol.bodies import encode_body, sample_body


def _bodies(n: int) -> list[bytes]:
    return [encode_body(sample_body("ping", ts=1767225600000 + i, playhead=i)) for i in range(n)]


async def _ours(url: str, bodies: list[bytes]) -> float:
    client = MediaCollectionClient(url)
    try:
        channel, _ = await client.start_session(sample_body("sessionStart"))
        began = time.perf_counter()
        for body in bodies:
            await channel.send(body)
        return time.perf_counter() - began
    finally:
        await client.aclose()


async def _bare(url: str, bodies: list[bytes]) -> float:
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(f"{url}/api/v1/sessions", content=b"{}",
                                     headers={"Content-Type": "application/json"})
        events = f"{url}{response.headers['Location']}/events"
        began = time.perf_counter()
        for body in bodies:
            await client.post(events, content=body, headers={"Content-Type": "application/json"})
        return time.perf_counter() - began


async def _measure(url: str, events: int, rounds: int) -> tuple[float, float]:
    bodies = _bodies(events)
    await _ours(url, bodies[:50]), await _bare(url, bodies[:50])  # warm up both paths
    ours = bare = 0.0
    for i in range(rounds):
        order = (_ours, _bare) if i % 2 == 0 else (_bare, _ours)
        for run in order:
            elapsed = await run(url, bodies)
            if run is _ours:
                ours += elapsed
            else:
                bare += elapsed
    return ours, bare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_server.py"))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        ours, bare = asyncio.run(_measure(url, args.events, args.rounds))
    finally:
        server.terminate()
        server.wait(10)
    n = args.events * args.rounds
    print(f"events per side: {n}")
    print(f"bare httpx : {bare:.3f} s  ({n / bare:,.0f} events/s)")
    print(f"our client : {ours:.3f} s  ({n / ours:,.0f} events/s)")
    print(f"ratio ours/bare: {ours / bare:.3f}  (goal <= 1.15)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
