"""Events per second through the embedded server (validation on) against a bare aiohttp
handler that answers 204, driven by the same httpx client in one run, interleaved.

Also measures what the embedded server costs the caller's event loop (standing in for the
Qt window's loop) during a burst: the server on that same loop, or on its own thread.

    python bench/server_throughput.py [--events 2000] [--rounds 5] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inspector.protocol.bodies import sample_body  # noqa: E402
from inspector.server import EmbeddedServer, ServerConfig, create_app  # noqa: E402
from inspector.server.wire import RUNNER_OPTIONS  # noqa: E402

T0_MS = 1767225600000


def _bare_app() -> web.Application:
    async def start(_: web.Request) -> web.Response:
        return web.Response(status=201, headers={"Location": f"/api/v1/sessions/{'0' * 64}"})

    async def event(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/api/v1/sessions", start)
    app.router.add_post("/api/v1/sessions/{sid}/events", event)
    return app


class _ThreadServer:
    """Any aiohttp app on 127.0.0.1 in its own thread (the same setup as EmbeddedServer)."""

    def __init__(self, app: web.Application) -> None:
        self._app, self._loop = app, asyncio.new_event_loop()
        self._runner = web.AppRunner(app, access_log=None)
        self.url = ""

    def __enter__(self) -> _ThreadServer:
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()
        return self

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())

    def __exit__(self, *_: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)


async def _burst(http: httpx.AsyncClient, url: str, count: int, concurrency: int,
                 ts0: int) -> float:
    """Send ``count`` valid ping events to one new session; return seconds taken."""
    start = await http.post(f"{url}/api/v1/sessions", json=sample_body("sessionStart", ts0))
    events = f"{url}{start.headers['location']}/events"
    queue = iter(range(1, count + 1))

    async def worker() -> None:
        for n in queue:
            r = await http.post(events, json=sample_body("ping", ts0 + n, n / 1000))
            assert r.status_code == 204, r.text

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began


async def throughput(args: argparse.Namespace) -> None:
    config = ServerConfig(max_events_per_session=args.events + 10)
    with EmbeddedServer(config=config) as embedded, _ThreadServer(_bare_app()) as bare:
        limits = httpx.Limits(max_connections=args.concurrency)
        async with httpx.AsyncClient(trust_env=False, limits=limits) as http:
            await _burst(http, embedded.base_url, 200, args.concurrency, T0_MS)  # warm up
            await _burst(http, bare.url, 200, args.concurrency, T0_MS)
            rates: dict[str, list[float]] = {"embedded": [], "bare": []}
            for r in range(args.rounds):
                order = [("embedded", embedded.base_url), ("bare", bare.url)]
                for name, url in order if r % 2 == 0 else order[::-1]:
                    seconds = await _burst(http, url, args.events, args.concurrency,
                                           T0_MS + r * 10**7)
                    rates[name].append(args.events / seconds)
    med = {k: statistics.median(v) for k, v in rates.items()}
    print(f"embedded (validation on): {med['embedded']:8.0f} events/s  "
          f"(rounds: {', '.join(f'{x:.0f}' for x in rates['embedded'])})")
    print(f"bare aiohttp 204:         {med['bare']:8.0f} events/s  "
          f"(rounds: {', '.join(f'{x:.0f}' for x in rates['bare'])})")
    print(f"ratio embedded/bare: {med['embedded'] / med['bare']:.2f}  (goal >= 0.6)")


async def _lag_during(burst: Callable[[], Awaitable[float]]) -> tuple[float, float, float]:
    """Worst and p99 lag (ms) of a 5 ms ticker on this loop while ``burst`` runs."""
    lags: list[float] = []
    done = False

    async def ticker() -> None:
        while not done:
            planned = time.perf_counter() + 0.005
            await asyncio.sleep(0.005)
            lags.append((time.perf_counter() - planned) * 1000)

    tick = asyncio.create_task(ticker())
    seconds = await burst()
    done = True
    await tick
    lags.sort()
    return lags[-1], lags[int(len(lags) * 0.99)], seconds


async def loop_lag(args: argparse.Namespace) -> None:
    config = ServerConfig(max_events_per_session=args.events + 10)
    async with httpx.AsyncClient(trust_env=False) as http:
        for label in ("same loop", "own thread", "same loop", "own thread"):
            if label == "own thread":
                server = EmbeddedServer(config=config)
                url = await server.astart()
                stop: Callable[[], Awaitable[None]] = server.astop
            else:
                runner = web.AppRunner(create_app(config=config), access_log=None,
                                       **RUNNER_OPTIONS)
                await runner.setup()
                site = web.TCPSite(runner, "127.0.0.1", 0)
                await site.start()
                url = f"http://127.0.0.1:{runner.addresses[0][1]}"
                stop = runner.cleanup
            worst, p99, seconds = await _lag_during(
                lambda url=url: _burst(http, url, args.events, args.concurrency, T0_MS))
            print(f"UI-loop lag, server on {label:10}: burst of {args.events} events: "
                  f"worst {worst:6.1f} ms, p99 {p99:5.1f} ms ({seconds:.2f} s)")
            print(f"server answer while the UI loop is busy 300 ms, server on {label}: "
                  f"{await _answer_while_blocked(url):6.1f} ms")
            await stop()


async def _answer_while_blocked(url: str) -> float:
    """Milliseconds for another thread to get a schema while this loop blocks for 300 ms
    (a modal dialog, a slow slot): what a second client sees from a server on this loop."""
    loop = asyncio.get_running_loop()

    def fetch() -> float:
        began = time.perf_counter()
        httpx.get(f"{url}/api/v1/schemas/ping", trust_env=False)
        return (time.perf_counter() - began) * 1000

    future = loop.run_in_executor(None, fetch)
    time.sleep(0.3)  # the blocking call under test, on purpose
    return await future


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(throughput(args))
    asyncio.run(loop_lag(args))


if __name__ == "__main__":
    main()
