"""Events per second through our backend against a bare aiohttp 204 handler, each server in
its own process, driven by ``wrk`` (another process) at concurrency 1, 16 and 128.

Four servers (``bench/_server.py``): ``bare`` (the floor the goal names), ``lean`` (the
same answering with a ``web.StreamResponse``, as our short path does: a stricter floor,
shown beside it), ``embedded`` (validation, reorder window, as the window runs it) and
``serve`` (plus its access log, to a file).
Rounds interleave the servers; each figure is min / median / max over rounds, and each
ratio is taken within a round (same moment, same machine load), then summarised.

    apt-get install wrk                 # Debian's wrk; without it: --python-load
    python bench/server_throughput.py [--quick] [--rounds 5] [--seconds 5]
    python bench/server_throughput.py --loop-lag   # also: cost to the caller's loop

``--python-load`` uses a separate Python process with aiohttp instead of wrk (slower: it
can be the bottleneck, which flatters our server; wrk is the honest floor).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from inspector.protocol.bodies import sample_body  # noqa: E402

T0_MS = 1767225600000
KINDS = ("bare", "lean", "embedded", "serve")
GOAL = 0.7  # issue 12: >= 0.7x a bare aiohttp handler

# wrk script: POST a ping with a ts 1 ms later each time to {path}, as a player would.
_LUA = """
local n = 0
local body = [[{body}]]
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, "{path}", nil, string.format(body, {ts0} + n * 1000 + {tid}))
end
"""


class Server:
    """One ``bench/_server.py`` process; ``url`` once it listens."""

    def __init__(self, kind: str, log_dir: Path) -> None:
        log = open(log_dir / f"{kind}.log", "w")  # the access log goes to a file
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        self.process = subprocess.Popen([sys.executable, str(HERE / "_server.py"), kind],
                                        stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url:
            sys.exit(f"the {kind} server did not start")

    def new_session(self) -> str:
        """Start a session; return its events path."""
        import urllib.request
        request = urllib.request.Request(
            f"{self.url}/api/v1/sessions", headers={"Content-Type": "application/json"},
            data=json.dumps(sample_body("sessionStart", T0_MS)).encode())
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request) as answer:
            return f"{answer.headers['Location']}/events"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _wrk(server: Server, connections: int, seconds: float, tmp: Path) -> float:
    path = server.new_session()
    body = json.dumps(sample_body("ping", 0, 1.5)).replace('"ts": 0', '"ts": %d')
    script = tmp / "ping.lua"
    script.write_text(_LUA.format(body=body, path=path, ts0=T0_MS, tid=0))
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", str(script),
                          server.url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        sys.exit(f"{server.url}: some answers were not 2xx:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def _python_load(server: Server, connections: int, seconds: float, tmp: Path) -> float:
    """Fallback load generator: aiohttp in another process, ``connections`` workers."""
    path = server.new_session()
    code = f"""
import asyncio, json, time, aiohttp, sys
async def main():
    body = {json.dumps(json.dumps(sample_body("ping", 0, 1.5)))}
    n = [0]; done = [0]; end = time.perf_counter() + {seconds}
    conn = aiohttp.TCPConnector(limit={connections})
    async with aiohttp.ClientSession("{server.url}", connector=conn) as http:
        async def worker():
            while time.perf_counter() < end:
                n[0] += 1
                data = body.replace('"ts": 0', '"ts": %d' % ({T0_MS} + n[0] * 1000))
                async with http.post("{path}", data=data,
                                     headers={{"Content-Type": "application/json"}}) as r:
                    await r.read()
                    assert r.status == 204, r.status
                done[0] += 1
        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range({connections})))
        print(done[0] / (time.perf_counter() - began))
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return float(out.strip())


def _spread(values: list[float], fmt: str = "{:.0f}") -> str:
    return "/".join(fmt.format(v) for v in (min(values), statistics.median(values),
                                            max(values)))


def throughput(args: argparse.Namespace) -> None:
    load = _python_load if args.python_load or not shutil.which("wrk") else _wrk
    if load is _python_load and not args.python_load:
        print("wrk not found (apt-get install wrk): using a Python load generator")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        servers = {kind: Server(kind, tmp) for kind in KINDS}
        try:
            for server in servers.values():
                load(server, 16, 1, tmp)  # warm up
            print(f"load: {'wrk -t1' if load is _wrk else 'python aiohttp'}, "
                  f"{args.seconds:g} s per run, {args.rounds} rounds; events/s "
                  "min/median/max; ratios to bare (and to lean) within each round")
            for connections in args.concurrency:
                rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
                for r in range(args.rounds):
                    order = KINDS if r % 2 == 0 else KINDS[::-1]
                    for kind in order:
                        rates[kind].append(load(servers[kind], connections, args.seconds, tmp))
                _report(connections, rates)
        finally:
            for server in servers.values():
                server.stop()


def _report(connections: int, rates: dict[str, list[float]]) -> None:
    print(f"concurrency {connections:>3}: bare {_spread(rates['bare'])}  lean "
          f"{_spread(rates['lean'])}")
    for kind in ("embedded", "serve"):
        ratios = [ours / bare for ours, bare in zip(rates[kind], rates["bare"], strict=True)]
        lean = [ours / floor for ours, floor in zip(rates[kind], rates["lean"], strict=True)]
        print(f"                 {kind:8} {_spread(rates[kind])}  ratio "
              f"{_spread(ratios, '{:.2f}')}  (goal >= {GOAL})  to lean "
              f"{_spread(lean, '{:.2f}')}")


async def _ticker(stop: asyncio.Event, lags: list[float]) -> None:
    """Record how late a 5 ms timer fires on this loop until ``stop``."""
    while not stop.is_set():
        planned = time.perf_counter() + 0.005
        await asyncio.sleep(0.005)
        lags.append((time.perf_counter() - planned) * 1000)


async def _loop_lag(events: int) -> None:
    """Worst and p99 lag of a 5 ms ticker on this loop while a burst hits a server on this
    loop or on its own thread (why EmbeddedServer has a thread)."""
    import httpx
    from aiohttp import web

    from inspector.server import EmbeddedServer, create_app
    from inspector.server.runner import BackendRunner

    async with httpx.AsyncClient(trust_env=False) as http:
        for label in ("same loop", "own thread"):
            if label == "own thread":
                server = EmbeddedServer()
                url = await server.astart()
            else:
                runner = BackendRunner(create_app(), access_log=None)
                await runner.setup()
                await web.TCPSite(runner, "127.0.0.1", 0).start()
                url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            stop = asyncio.Event()
            lags: list[float] = []
            tick = asyncio.create_task(_ticker(stop, lags))
            start = await http.post(f"{url}/api/v1/sessions",
                                    json=sample_body("sessionStart", T0_MS))
            target = f"{url}{start.headers['location']}/events"
            for n in range(1, events + 1):
                await http.post(target, json=sample_body("ping", T0_MS + n, n / 1000))
            stop.set()
            await tick
            lags.sort()
            print(f"caller-loop lag, server on {label:10}: {events} events: worst "
                  f"{lags[-1]:6.1f} ms, p99 {lags[int(len(lags) * 0.99)]:5.1f} ms")
            if label == "own thread":
                await server.astop()
            else:
                await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 2 s")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 128])
    parser.add_argument("--python-load", action="store_true",
                        help="load from a Python aiohttp process instead of wrk")
    parser.add_argument("--loop-lag", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 3, 2
    throughput(args)
    if args.loop_lag:
        asyncio.run(_loop_lag(1000))


if __name__ == "__main__":
    main()
