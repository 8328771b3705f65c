"""What one awaited event costs through our client, against a bare aiohttp client.

The server is a bare aiohttp app (``bench/_server.py``) in its own process. In each round,
every side sends ``--events`` events one after another, each awaited, to the same server;
the sides take turns in a rotating order so load on the machine falls on all of them alike.
Sides:

- ``aiohttp``: a bare ``aiohttp.ClientSession`` posting the body (the floor);
- ``httpx``: a bare ``httpx.AsyncClient`` posting the same body;
- ``lane``: our client's session lane, ``SessionChannel.send(body)`` (the same bytes);
- ``session``: the full ``Session.send("ping")`` path a click or a scenario step uses
  (body built and stamped, advisor, player, store, signals), awaited;
- ``session+autosave``: the same, with every exchange saved to a run store on disk.

Prints each side's per-event latency (min / median / p90 / max, microseconds) and the ratio
of its median to the floor's median in each round (min / median / max over rounds).
Goals (issue 12): lane <= 2.0x, session <= 2.5x.

    python bench/client_overhead.py [--quick] [--events 1000] [--rounds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import httpx

from inspector.autosave import AutoSaver
from inspector.client import MediaCollectionClient
from inspector.clock import SessionClock
from inspector.protocol.bodies import encode_body, sample_body
from inspector.runstore import RunStore
from inspector.session import Session

_JSON = {"Content-Type": "application/json"}
_GOALS = {"lane": 2.0, "session": 2.5}
Side = Callable[[str, bytes, int], Awaitable[list[float]]]


async def _timed(n: int, send: Callable[[], Awaitable[object]]) -> list[float]:
    """Per-call latencies in microseconds of ``n`` awaited calls."""
    out = []
    clock = time.perf_counter
    for _ in range(n):
        began = clock()
        await send()
        out.append((clock() - began) * 1e6)
    return out


async def _aiohttp(url: str, body: bytes, n: int) -> list[float]:
    async with aiohttp.ClientSession() as client:
        async with client.post(f"{url}/api/v1/sessions", data=b"{}", headers=_JSON) as r:
            events = f"{url}{r.headers['Location']}/events"

        async def send() -> None:
            async with client.post(events, data=body, headers=_JSON) as response:
                await response.read()

        return await _timed(n, send)


async def _httpx(url: str, body: bytes, n: int) -> list[float]:
    async with httpx.AsyncClient(trust_env=False) as client:
        started = await client.post(f"{url}/api/v1/sessions", content=b"{}", headers=_JSON)
        events = f"{url}{started.headers['Location']}/events"
        return await _timed(n, lambda: client.post(events, content=body, headers=_JSON))


async def _lane(url: str, body: bytes, n: int) -> list[float]:
    client = MediaCollectionClient(url)
    try:
        channel, _ = await client.start_session(sample_body("sessionStart"))
        return await _timed(n, lambda: channel.send(body))
    finally:
        await client.aclose()


async def _session(url: str, body: bytes, n: int, autosave: bool = False) -> list[float]:
    client = MediaCollectionClient(url)
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp) / "runs.sqlite") if autosave else None
        if store is not None:
            AutoSaver(store).observe(client.exchanged)
        session = Session(client, clock=SessionClock(None, flowing=False))
        try:
            await session.start()
            await session.send("play")
            return await _timed(n, lambda: session.send("ping"))
        finally:
            await session.aclose()
            await client.aclose()
            if store is not None:
                store.close()


async def _autosaved(url: str, body: bytes, n: int) -> list[float]:
    return await _session(url, body, n, autosave=True)


SIDES: dict[str, Side] = {"aiohttp": _aiohttp, "httpx": _httpx, "lane": _lane,
                          "session": _session, "session+autosave": _autosaved}


async def _measure(url: str, events: int, rounds: int) -> dict[str, list[list[float]]]:
    body = encode_body(sample_body("ping", ts=1767225600000, playhead=10))
    names = list(SIDES)
    for name in names:  # warm up every path (imports, connection pools, caches)
        await SIDES[name](url, body, 50)
    results: dict[str, list[list[float]]] = {name: [] for name in names}
    for i in range(rounds):
        for name in names[i % len(names):] + names[:i % len(names)]:
            results[name].append(await SIDES[name](url, body, events))
    return results


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _report(results: dict[str, list[list[float]]]) -> None:
    floor = [statistics.median(r) for r in results["aiohttp"]]
    print(f"{'side':<18}{'min':>8}{'median':>9}{'p90':>9}{'max':>10}   ratio to aiohttp "
          "(min / median / max over rounds)")
    for name, runs in results.items():
        every = [v for run in runs for v in run]
        ratios = [statistics.median(run) / f for run, f in zip(runs, floor, strict=True)]
        goal = f"  goal <= {_GOALS[name]}x" if name in _GOALS else ""
        print(f"{name:<18}{min(every):>8.0f}{statistics.median(every):>9.0f}"
              f"{_pct(every, 90):>9.0f}{max(every):>10.0f}   "
              f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}{goal}")
    print("(latencies in microseconds per awaited event)")


def _startup(n: int = 10) -> None:
    """Building a client for a plain-http URL: ours (no TLS context) against httpx's."""
    def median_ms(build: Callable[[], object]) -> float:
        times = []
        for _ in range(n):
            began = time.perf_counter()
            build()
            times.append((time.perf_counter() - began) * 1000)
        return statistics.median(times)

    ours = median_ms(lambda: MediaCollectionClient("http://127.0.0.1:9"))
    theirs = median_ms(lambda: httpx.AsyncClient(trust_env=False))
    print(f"start-up: MediaCollectionClient() {ours:.3f} ms, httpx.AsyncClient() "
          f"{theirs:.1f} ms (median of {n}; httpx loads a trust store even for http)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000, help="events per side per round")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="300 events x 5 rounds")
    args = parser.parse_args()
    if args.quick:
        args.events, args.rounds = 300, 5
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_server.py"))],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        results = asyncio.run(_measure(url, args.events, args.rounds))
    finally:
        server.terminate()
        server.wait(10)
    print(f"server: bare aiohttp in its own process; {args.events} events x {args.rounds} "
          "rounds per side")
    _report(results)
    _startup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
