"""What one awaited event costs through our client, against a bare aiohttp client.

The server is a bare aiohttp app (``bench/_server.py``) in its own process. In each round,
every side sends ``--events`` events one after another, each awaited, to the same server;
the sides take turns in blocks of 20 events (the first side rotating from round to round) so
load on the machine falls on all of them alike.
Sides:

- ``aiohttp``: a bare ``aiohttp.ClientSession`` posting the body (the floor);
- ``httpx``: a bare ``httpx.AsyncClient`` posting the same body (httpcore);
- ``httpx-aiohttp``: the same on the ``httpx-aiohttp`` package's transport, when it is
  installed (the alternative we measured; our own transport is ``inspector/http.py``);
- ``lane``: our client's session lane, ``SessionChannel.send(body)`` (the same bytes);
- ``session``: the full ``Session.send("ping")`` path a click or a scenario step uses
  (body built and stamped, advisor, player, store, signals), awaited;
- ``session+autosave``: the same, with every exchange saved to a run store on disk.

Prints each side's per-event latency (min / p10 / median / p90 / max, microseconds), the
ratio of its median to the floor's median in each round (min / median / max over rounds)
and the median over rounds of the ratio of p10s.
Goals (issue 12): lane <= 2.0x, session <= 2.5x.

    python bench/client_overhead.py [--quick] [--events 1000] [--rounds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
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


Send = Callable[[], Awaitable[object]]
Side = Callable[[str, bytes], AbstractAsyncContextManager[Send]]


@asynccontextmanager
async def _aiohttp(url: str, body: bytes) -> AsyncIterator[Send]:
    async with aiohttp.ClientSession() as client:
        async with client.post(f"{url}/api/v1/sessions", data=b"{}", headers=_JSON) as r:
            events = f"{url}{r.headers['Location']}/events"

        async def send() -> None:
            async with client.post(events, data=body, headers=_JSON) as response:
                await response.read()

        yield send


@asynccontextmanager
async def _httpx(url: str, body: bytes,
                 transport: httpx.AsyncBaseTransport | None = None) -> AsyncIterator[Send]:
    async with httpx.AsyncClient(trust_env=False, transport=transport) as client:
        started = await client.post(f"{url}/api/v1/sessions", content=b"{}", headers=_JSON)
        events = f"{url}{started.headers['Location']}/events"
        yield lambda: client.post(events, content=body, headers=_JSON)


def _httpx_aiohttp(url: str, body: bytes) -> AbstractAsyncContextManager[Send]:
    """httpx.AsyncClient on the httpx-aiohttp package's transport (measured, not used)."""
    from httpx_aiohttp import AiohttpTransport

    return _httpx(url, body, AiohttpTransport(trust_env=False))


@asynccontextmanager
async def _lane(url: str, body: bytes) -> AsyncIterator[Send]:
    client = MediaCollectionClient(url)
    try:
        channel, _ = await client.start_session(sample_body("sessionStart"))
        yield lambda: channel.send(body)
    finally:
        await client.aclose()


@asynccontextmanager
async def _session(url: str, body: bytes, autosave: bool = False) -> AsyncIterator[Send]:
    client = MediaCollectionClient(url)
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp) / "runs.sqlite") if autosave else None
        if store is not None:
            AutoSaver(store).observe(client.exchanged)
        session = Session(client, clock=SessionClock(None, flowing=False))
        try:
            await session.start()
            await session.send("play")
            yield lambda: session.send("ping")
        finally:
            await session.aclose()
            await client.aclose()
            if store is not None:
                store.close()


def _autosaved(url: str, body: bytes) -> AbstractAsyncContextManager[Send]:
    return _session(url, body, autosave=True)


SIDES: dict[str, Side] = {"aiohttp": _aiohttp, "httpx": _httpx, "lane": _lane,
                          "session": _session, "session+autosave": _autosaved}
if importlib.util.find_spec("httpx_aiohttp") is not None:  # optional: pip install httpx-aiohttp
    SIDES = {"aiohttp": _aiohttp, "httpx": _httpx, "httpx-aiohttp": _httpx_aiohttp,
             **{k: v for k, v in SIDES.items() if k not in ("aiohttp", "httpx")}}
_BLOCK = 20  # events a side sends before the next side's turn


async def _round(url: str, body: bytes, events: int, first: int) -> dict[str, list[float]]:
    """Every side sends ``events`` awaited events, taking turns in blocks of ``_BLOCK``."""
    names = list(SIDES)
    names = names[first % len(names):] + names[:first % len(names)]
    out: dict[str, list[float]] = {name: [] for name in names}
    clock = time.perf_counter
    async with AsyncExitStack() as stack:
        sends = {name: await stack.enter_async_context(SIDES[name](url, body))
                 for name in names}
        for _ in range(0, events, _BLOCK):
            for name in names:
                send, times = sends[name], out[name]
                for _ in range(_BLOCK):
                    began = clock()
                    await send()
                    times.append((clock() - began) * 1e6)
    return out


async def _measure(url: str, events: int, rounds: int) -> dict[str, list[list[float]]]:
    body = encode_body(sample_body("ping", ts=1767225600000, playhead=10))
    await _round(url, body, 2 * _BLOCK, 0)  # warm up every path (imports, pools, caches)
    results: dict[str, list[list[float]]] = {name: [] for name in SIDES}
    for i in range(rounds):
        for name, times in (await _round(url, body, events, i)).items():
            results[name].append(times)
    return results


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _report(results: dict[str, list[list[float]]]) -> None:
    """Latency spread per side; ratios of each round's median (and p10) to the floor's."""
    floor = results["aiohttp"]
    print(f"{'side':<18}{'min':>7}{'p10':>7}{'median':>8}{'p90':>8}{'max':>9}   "
          "median ratio (min / median / max over rounds)   p10 ratio (median)")
    for name, runs in results.items():
        every = [v for run in runs for v in run]
        ratios = [statistics.median(r) / statistics.median(f)
                  for r, f in zip(runs, floor, strict=True)]
        low = [_pct(r, 10) / _pct(f, 10) for r, f in zip(runs, floor, strict=True)]
        goal = f"   goal <= {_GOALS[name]}x" if name in _GOALS else ""
        print(f"{name:<18}{min(every):>7.0f}{_pct(every, 10):>7.0f}"
              f"{statistics.median(every):>8.0f}{_pct(every, 90):>8.0f}{max(every):>9.0f}   "
              f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
              f"{'':>30}{statistics.median(low):.2f}{goal}")
    print("(latencies in microseconds per awaited event; the p10 ratio is the least "
          "disturbed by other load on the machine)")


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
