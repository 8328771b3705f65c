"""Simulated viewers at real cadence in one process, against Locust users doing the same.

Each trial runs in a fresh process pinned to one core (the load generator), with the
backend in another process pinned to the other core, so both sides get the same share of
a core and the backend's cost is not counted as theirs:

* ``engine``: N viewers on the load engine (``inspector.load``): each starts a session,
  sends play, then pings every 10 s of wall time (starts staggered over one interval).
* ``locust``: N Locust ``FastHttpUser`` users (Locust's own, gevent-patched process)
  making the same requests on the same grid: the peer baseline.
* ``aiohttp``: N bare aiohttp coroutines on one asyncio loop making the same requests on
  the same grid (a task sleeping per viewer, pools of 8 viewers as the engine's): the floor
  of the HTTP stack the engine is built on, so the ratio against Locust can be read as
  "the stack" and "what the engine adds" (``--floor`` adds it; not a goal of its own).

A ping's lateness is the time from its due instant to the moment its request goes on the
wire. Per trial: viewers started (an overloaded side may not start them all within the
trial, which still ends on time), lateness p50/p99/max, pings late (> 100 ms) and shed
(engine only: it refuses to queue pings it can no longer send in time), CPU ms per
request over the whole trial and in steady state (from 1 s after the last viewer started
to the end: pings only, the start-up of each viewer left out; both sides measured over
the same window), CPU per viewer per minute, and RSS per viewer. Then the ratios side by
side and the largest N each side held under p99 < 100 ms.

    python bench/concurrent_viewers.py [--quick] [--counts 1000,2000,3000] [--seconds 30]
                                       [--repeat R] [--server bare|serve] [--floor]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_MS = 100.0
INTERVAL = 10.0  # the spec's content ping cadence (§6.1)
SETTLE = 1.0  # after the ramp, before the steady mark: the last starts are answered
HERE = Path(__file__).resolve().parent
SCENARIO = """\
name: bench-viewer
description: start, play, then pings at real cadence until the trial ends
media: {media.id: bench, media.length: 86400, media.contentType: vod}
options: {endAt: %(end)s}
steps:
  - {at: 0, do: sessionStart}
  - {at: 0, do: play}
"""


# The sessionStart params Locust's users and the floor's viewers send (the engine's come
# from its profile and the scenario's media).
START_PARAMS = {"analytics.reportSuite": "bench", "media.id": "bench", "media.length": 86400,
                "media.contentType": "vod", "media.playerName": "bench",
                "media.channel": "bench", "media.name": "bench",
                "analytics.trackingServer": "x.sc.omtrdc.net",
                "visitor.marketingCloudOrgId": "ABC@AdobeOrg"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _pin(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {cpu % (os.cpu_count() or 1)})


def _usage() -> tuple[float, float]:
    """(CPU seconds so far, RSS in KiB now)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    with open("/proc/self/statm") as f:
        rss_pages = int(f.read().split()[1])
    return ru.ru_utime + ru.ru_stime, rss_pages * os.sysconf("SC_PAGE_SIZE") / 1024


def _result(lateness: list[float], requests: int, viewers: int, cpu: float, seconds: float,
            rss_kib: float, started: int, *, steady: tuple[float, int] = (math.nan, 0),
            **extra: Any) -> dict[str, Any]:
    """``steady``: (CPU seconds, requests) from the steady mark to the end (pings only)."""
    hosted = max(started, 1)  # per viewer: of those that did start
    return {"viewers": viewers, "started": started, "pings": len(lateness),
            "steady_cpu_ms_per_request": steady[0] * 1000 / max(steady[1], 1),
            "requests": requests,
            "p50": percentile(lateness, 50), "p99": percentile(lateness, 99),
            "max": max(lateness, default=math.nan),
            "late": sum(x > GOAL_MS for x in lateness),
            "cpu_ms_per_request": cpu * 1000 / max(requests, 1),
            "cpu_ms_per_viewer_min": cpu * 1000 / hosted / (seconds / 60),
            "rss_kib_per_viewer": rss_kib / hosted, **extra}


# -- the engine's side (a child process) ---------------------------------------------------

def child_engine(url: str, viewers: int, seconds: float,
                 slot_ms: float | None = None) -> dict[str, Any]:
    import asyncio

    from inspector.load.engine import ViewerEngine
    from inspector.scenarios.loader import load_scenario

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-viewer.yaml"
        path.write_text(SCENARIO % {"end": 10 * (seconds + INTERVAL)})  # stopped sooner
        scenario = load_scenario(path)

    async def trial() -> dict[str, Any]:
        cpu0, rss0 = _usage()
        requests = 0

        def count(*_: object) -> None:
            nonlocal requests
            requests += 1

        slot = None if slot_ms is None else slot_ms / 1000
        async with ViewerEngine(url, late_ms=GOAL_MS, slot=slot) as engine:
            engine.exchanged = count
            began = time.monotonic()
            stop = began + seconds + INTERVAL
            started = 0
            for i in range(viewers):  # staggered over one ping interval, as audiences start
                await asyncio.sleep(max(0.0, began + INTERVAL * i / viewers - time.monotonic()))
                if time.monotonic() > stop:
                    break  # overloaded: the trial still ends on time, with fewer viewers
                engine.spawn(scenario)
                started += 1
            await asyncio.sleep(max(0.0, began + INTERVAL + SETTLE - time.monotonic()))
            mark, at_mark = _usage()[0], requests
            await asyncio.sleep(max(0.0, stop - time.monotonic()))
            cpu1, rss1 = _usage()
            await engine.stop()
            totals = engine.health.totals()
        return _result(list(engine.health.lateness_ms), requests, viewers, cpu1 - cpu0,
                       seconds + INTERVAL, rss1 - rss0, steady=(cpu1 - mark, requests - at_mark),
                       shed=totals["shed_pings"],
                       started=started, loop_lag_ms=engine.schedule.worst_lag * 1000)

    return asyncio.run(trial())


# -- Locust's side (a child process, gevent-patched as Locust always is) --------------------

def child_locust(url: str, viewers: int, seconds: float) -> dict[str, Any]:
    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment

    lateness: list[float] = []
    requests = [0]
    began = time.time()
    stop_at = began + seconds + INTERVAL
    body = json.dumps

    class Viewer(FastHttpUser):
        host = url
        wait_time = constant(0)

        def on_start(self) -> None:
            self.ts = int(time.time() * 1000)
            start = {"playerTime": {"playhead": 0, "ts": self.ts}, "eventType": "sessionStart",
                     "params": START_PARAMS}
            r = self.client.post("/api/v1/sessions", data=body(start),
                                 headers={"Content-Type": "application/json"})
            requests[0] += 1
            self.events_path = (r.headers.get("Location") or "/api/v1/sessions/x") + "/events"
            self._event("play", self.ts)
            self.due = self.ts / 1000 + INTERVAL

        def _event(self, kind: str, ts: int) -> None:
            self.client.post(self.events_path, data=body({"playerTime": {
                "playhead": 0, "ts": ts}, "eventType": kind}),
                headers={"Content-Type": "application/json"})
            requests[0] += 1

        @task
        def ping(self) -> None:
            gevent.sleep(max(0.0, self.due - time.time()))
            if self.due > stop_at:
                gevent.sleep(3600)
            lateness.append((time.time() - self.due) * 1000)
            self._event("ping", int(self.due * 1000))
            self.due += INTERVAL

    cpu0, rss0 = _usage()
    env = Environment(user_classes=[Viewer])
    runner = env.create_local_runner()
    runner.start(viewers, spawn_rate=viewers / INTERVAL)
    gevent.sleep(max(0.0, began + INTERVAL + SETTLE - time.time()))
    mark, at_mark = _usage()[0], requests[0]
    gevent.sleep(max(0.0, stop_at - time.time()))
    cpu1, rss1 = _usage()
    started = runner.user_count
    runner.quit()
    return _result(lateness, requests[0], viewers, cpu1 - cpu0, seconds + INTERVAL,
                   rss1 - rss0, steady=(cpu1 - mark, requests[0] - at_mark), shed=0,
                   started=started, loop_lag_ms=math.nan)


# -- the floor: bare aiohttp on the same loop (a child process) ---------------------------

def child_aiohttp(url: str, viewers: int, seconds: float) -> dict[str, Any]:
    import asyncio

    import aiohttp

    async def trial() -> dict[str, Any]:
        cpu0, rss0 = _usage()
        lateness: list[float] = []
        requests = 0
        began = time.monotonic()
        stop = began + seconds + INTERVAL
        pools: list[aiohttp.ClientSession] = []
        json_type = {"Content-Type": "application/json"}

        async def post(pool: aiohttp.ClientSession, path: str, body: dict[str, Any]) -> str:
            nonlocal requests
            async with pool.post(url + path, data=json.dumps(body), headers=json_type) as r:
                await r.read()
                requests += 1
                return r.headers.get("Location") or "/api/v1/sessions/x"

        async def viewer(pool: aiohttp.ClientSession) -> None:
            ts = int(time.time() * 1000)
            events = await post(pool, "/api/v1/sessions", {
                "playerTime": {"playhead": 0, "ts": ts}, "eventType": "sessionStart",
                "params": START_PARAMS}) + "/events"
            await post(pool, events, {"playerTime": {"playhead": 0, "ts": ts},
                                      "eventType": "play"})
            due = time.time() + INTERVAL
            while time.monotonic() < stop:
                await asyncio.sleep(max(0.0, due - time.time()))
                if time.monotonic() >= stop:
                    break
                lateness.append((time.time() - due) * 1000)
                await post(pool, events, {"playerTime": {"playhead": 0,
                                                         "ts": int(due * 1000)},
                                          "eventType": "ping"})
                due += INTERVAL

        tasks = []
        for i in range(viewers):  # staggered over one interval, as the other sides
            await asyncio.sleep(max(0.0, began + INTERVAL * i / viewers - time.monotonic()))
            if time.monotonic() > stop:
                break
            if i % 8 == 0:
                pools.append(aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=16)))
            tasks.append(asyncio.create_task(viewer(pools[-1])))
        await asyncio.sleep(max(0.0, began + INTERVAL + SETTLE - time.monotonic()))
        mark, at_mark = _usage()[0], requests
        await asyncio.sleep(max(0.0, stop - time.monotonic()))
        cpu1, rss1 = _usage()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for pool in pools:
            await pool.close()
        return _result(lateness, requests, viewers, cpu1 - cpu0, seconds + INTERVAL,
                       rss1 - rss0, steady=(cpu1 - mark, requests - at_mark), shed=0,
                       started=len(tasks), loop_lag_ms=math.nan)

    return asyncio.run(trial())


# -- the parent --------------------------------------------------------------------------

def start_server(kind: str) -> tuple[subprocess.Popen[str], str]:
    cmd = ([sys.executable, str(HERE / "_server.py")] if kind == "bare" else
           [sys.executable, "-m", "inspector", "serve", "--port", "0"])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            preexec_fn=lambda: _pin(1))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"the backend did not start: {line!r}")
    url = line.strip().split()[-1]
    return proc, url.removesuffix("/api/v1")


def run_child(side: str, url: str, viewers: int, seconds: float,
              slot_ms: float | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if side == "engine":
        env["LOCUST_SKIP_MONKEY_PATCH"] = "1"
    slot = "default" if slot_ms is None else str(slot_ms)
    done = subprocess.run([sys.executable, __file__, "--child", side, url, str(viewers),
                           str(seconds), slot], capture_output=True, text=True, env=env,
                          timeout=seconds * 4 + 120)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{side} trial failed:\n{done.stderr[-2000:]}")
    return dict(json.loads(lines[-1]))


def _row(side: str, r: dict[str, Any]) -> str:
    return (f"{side:>7} {r['viewers']:>7} {r['started']:>7} {r['pings']:>6} "
            f"{r['p50']:>8.1f} {r['p99']:>8.1f} {r['max']:>8.1f} {r['late']:>5} {r['shed']:>5} "
            f"{r['cpu_ms_per_request']:>8.3f} {r['steady_cpu_ms_per_request']:>8.3f} "
            f"{r['cpu_ms_per_viewer_min']:>9.2f} {r['rss_kib_per_viewer']:>8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", default="1000,2000,3000")
    parser.add_argument("--seconds", type=float, default=30.0,
                        help="steady time after the last viewer started (default 30)")
    parser.add_argument("--quick", action="store_true", help="300,600 viewers, 12 s, 2 rounds")
    parser.add_argument("--server", choices=("bare", "serve"), default="bare",
                        help="bare aiohttp stand-in (default: keeps the backend's cost "
                             "out of both sides) or `media-inspector serve`")
    parser.add_argument("--repeat", type=int, help="rounds of every N (default 1; "
                                                    "--quick: 2)")
    parser.add_argument("--floor", action="store_true",
                        help="also run bare aiohttp viewers (the engine's HTTP stack alone)")
    parser.add_argument("--slot-ms", type=float,
                        help="the engine's schedule grid in ms (default: the engine's own, "
                             "inspector.load.engine.SLOT; 0: every wake-up on its own)")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        side, url, n, secs, slot = args.child
        _pin(0)
        if side == "engine":
            result = child_engine(url, int(n), float(secs),
                                  None if slot == "default" else float(slot))
        else:
            result = {"locust": child_locust, "aiohttp": child_aiohttp}[side](
                url, int(n), float(secs))
        print(json.dumps(result), flush=True)
        return 0
    counts = [300, 600] if args.quick else [int(c) for c in args.counts.split(",")]
    seconds = 12.0 if args.quick else args.seconds
    args.repeat = args.repeat or (2 if args.quick else 1)
    proc, url = start_server(args.server)
    print(f"backend ({args.server}) {url}, pinned to CPU 1; load generators pinned to CPU 0")
    # Imported here, past the children: Locust's child must import gevent before httpx/ssl.
    from inspector.load.engine import SLOT

    slot = SLOT * 1000 if args.slot_ms is None else args.slot_ms
    print(f"each trial: starts over {INTERVAL:g} s, then {seconds:g} s of pings every "
          f"{INTERVAL:g} s; lateness in ms, goal p99 < {GOAL_MS:g}; the engine's wake-ups "
          f"share firings on a {slot:g} ms grid (--slot-ms), which adds up to that to its "
          "lateness")
    print(f"{'side':>7} {'viewers':>7} {'started':>7} {'pings':>6} {'late p50':>8} "
          f"{'late p99':>8} {'late max':>8} {'late':>5} {'shed':>5} {'cpu ms/rq':>8} "
          f"{'steady':>8} "
          f"{'cpu ms/v/m':>9} {'KiB/v':>8}")
    pairs: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = {n: [] for n in counts}
    floors: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]] = {n: [] for n in counts}
    try:
        for round_ in range(args.repeat):  # the sides alternate: same machine state
            for n in counts:
                e, lo = (run_child(side, url, n, seconds, args.slot_ms)
                         for side in ("engine", "locust"))
                pairs[n].append((e, lo))
                print(_row("engine", e) + f"   round {round_ + 1}", flush=True)
                print(_row("locust", lo), flush=True)
                if args.floor:
                    floor = run_child("aiohttp", url, n, seconds)
                    floors[n].append((floor, lo))
                    print(_row("aiohttp", floor), flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
    _ratios(pairs)
    if args.floor:
        _floor_ratios(pairs, floors)
    return 0


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    return (f"{ordered[0]:.2f}/{statistics.median(ordered):.2f}/{ordered[-1]:.2f}"
            if len(ordered) > 1 else f"{ordered[0]:.2f}")


def _ratios(pairs: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]]) -> None:
    print()
    print("engine / Locust at the same N and request rate (min/median/max over rounds):")
    held: dict[str, int] = {"engine": 0, "locust": 0}
    for n, trials in pairs.items():
        cpu = [e["cpu_ms_per_request"] / lo["cpu_ms_per_request"] for e, lo in trials]
        steady = [e["steady_cpu_ms_per_request"] / lo["steady_cpu_ms_per_request"]
                  for e, lo in trials]
        rss = [e["rss_kib_per_viewer"] / max(lo["rss_kib_per_viewer"], 1e-9)
               for e, lo in trials]
        p99 = {side: sorted(t[i]["p99"] for t in trials)
               for i, side in enumerate(("engine", "locust"))}
        print(f"  N={n:>5}: CPU per request {_spread(cpu)}x over the whole trial, "
              f"{_spread(steady)}x in steady state (goal <= 2x); RSS per viewer "
              f"{_spread(rss)}x; p99 lateness engine {_spread(p99['engine'])} ms, Locust "
              f"{_spread(p99['locust'])} ms; late/shed engine "
              f"{sum(e['late'] for e, _ in trials)}/{sum(e['shed'] for e, _ in trials)}, "
              f"Locust late {sum(lo['late'] for _, lo in trials)}")
        for i, side in enumerate(("engine", "locust")):
            median = statistics.median(p99[side])
            if median < GOAL_MS and all(t[i]["started"] == n for t in trials):
                held[side] = max(held[side], n)
    print(f"largest N with median p99 < {GOAL_MS:g} ms: engine {held['engine']}, Locust "
          f"{held['locust']} (goals: engine >= 2000 and >= Locust's)")


def _floor_ratios(pairs: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]],
                  floors: dict[int, list[tuple[dict[str, Any], dict[str, Any]]]]) -> None:
    print("CPU per request, split at the floor (bare aiohttp on one asyncio loop):")
    for n, trials in floors.items():
        stack = [f["cpu_ms_per_request"] / lo["cpu_ms_per_request"] for f, lo in trials]
        ours = [e["cpu_ms_per_request"] / f["cpu_ms_per_request"]
                for (e, _), (f, _) in zip(pairs[n], trials, strict=True)]
        steady = [f["steady_cpu_ms_per_request"] / lo["steady_cpu_ms_per_request"]
                  for f, lo in trials]
        print(f"  N={n:>5}: aiohttp / Locust {_spread(stack)}x (steady {_spread(steady)}x); "
              f"engine / aiohttp {_spread(ours)}x")


if __name__ == "__main__":
    sys.exit(main())
