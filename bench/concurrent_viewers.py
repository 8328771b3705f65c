"""How many simulated viewers one event loop can drive at real cadence.

Starts the embedded backend in a separate process (``media-inspector serve --port 0``),
then runs trials of N viewers on this process's one event loop: each viewer starts a
session (starts staggered over one ping interval, as real audiences are), sends play, and
then its auto pings every 10 s of wall time. A ping's lateness is the time from the moment
it was due to the moment its request went on the wire. Prints, per trial, the p50/p99/max
lateness and the response latency, then the largest N whose lateness p99 stayed under
100 ms. Bounded: each trial lasts ``--seconds``, and the search stops at the first failing
N or when ``--budget`` seconds have gone.

    python bench/concurrent_viewers.py [--counts 250,500,1000,1500,2000] [--seconds 25]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import subprocess
import sys
import time

import httpx

from inspector.client import MediaCollectionClient
from inspector.clock import SessionClock
from inspector.exchange import Exchange, ExchangeState
from inspector.player import PingOptions
from inspector.runner import SharedTransport
from inspector.session import Session

GOAL_MS = 100.0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"the backend did not start: {line!r}")
    return proc, line.strip().split()[-1]


async def viewer(url: str, transport: httpx.AsyncBaseTransport, delay: float, until: float,
                 lateness: list[float], latency: list[float]) -> None:
    await asyncio.sleep(delay)
    client = MediaCollectionClient(url, transport=transport, retries=0)

    def observe(e: Exchange) -> None:
        if e.event_type == "ping" and e.state is ExchangeState.SENDING and e.ts:
            lateness.append((e.started_at or 0) * 1000 - e.ts)
        elif e.state is ExchangeState.DONE and e.duration_ms is not None:
            latency.append(e.duration_ms)

    client.exchanged.connect(observe)
    session = Session(client, clock=SessionClock(1.0), pings=PingOptions())
    pending = [session.start(), session.send("play")]
    while (due := session.player.next_ping_at()) is not None and due < until:
        await asyncio.sleep(max(0.0, due - time.time()))
        pending += session.tick()
        pending = [f for f in pending if not f.done()]
    await asyncio.gather(*pending)
    await client.aclose()


async def trial(url: str, viewers: int, seconds: float) -> tuple[list[float], list[float]]:
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=None,
                                                             max_keepalive_connections=None))
    shared = SharedTransport(transport)
    lateness: list[float] = []
    latency: list[float] = []
    until = time.time() + seconds
    rng = random.Random(viewers)
    try:
        await asyncio.gather(*(viewer(url, shared, rng.uniform(0, 10.0), until, lateness,
                                      latency) for _ in range(viewers)))
    finally:
        await transport.aclose()
    return lateness, latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", default="250,500,1000,1500,2000")
    parser.add_argument("--seconds", type=float, default=25.0, help="length of one trial")
    parser.add_argument("--budget", type=float, default=240.0, help="stop after this long")
    args = parser.parse_args()
    if args.seconds < 15:
        parser.error("--seconds must be at least 15 (two 10 s ping intervals after the "
                     "staggered starts)")
    proc, url = start_server()
    began, best = time.monotonic(), 0
    print(f"backend {url} (pid {proc.pid}); goal: ping lateness p99 < {GOAL_MS:.0f} ms")
    print("all times in ms")
    print(f"{'viewers':>8} {'pings':>7} {'late p50':>9} {'late p99':>9} {'late max':>9} "
          f"{'rtt p50':>8} {'rtt p99':>8}")
    try:
        for n in (int(c) for c in args.counts.split(",")):
            if time.monotonic() - began + args.seconds > args.budget:
                print("budget spent; stopping")
                break
            late, rtt = asyncio.run(trial(url, n, args.seconds))
            p99 = percentile(late, 99)
            print(f"{n:>8} {len(late):>7} {percentile(late, 50):>9.1f} {p99:>9.1f} "
                  f"{max(late, default=math.nan):>9.1f} {percentile(rtt, 50):>8.1f} "
                  f"{percentile(rtt, 99):>8.1f}", flush=True)
            if not p99 < GOAL_MS:
                break
            best = n
    finally:
        proc.terminate()
        proc.wait(10)
    print(f"largest N with ping lateness p99 < {GOAL_MS:.0f} ms: {best} (goal 1,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
