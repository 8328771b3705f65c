"""What ``media-inspector listen`` adds to a call: through the proxy vs direct.

A bare aiohttp stand-in (``_server.py``) is the upstream, in its own process; the proxy is
the real command (``media-inspector listen --upstream URL``, its per-call lines sent to
/dev/null, its run store in a scratch file as by default) in another. One httpx client
sends the same ping bodies one at a time, direct and through the proxy, in rounds whose
order rotates; each call is timed. The sceptic's baseline is the direct call; a bare
forwarder (``_forwarder.py``: aiohttp in and out, nothing recorded) shows how much of the
difference any extra hop costs on this machine. Calls go back to back, so the advisor's
work on one call (run after its answer is written) can delay the next: a worst case next to
a player's one call a second or so. Goal (issue 14): a few milliseconds per call at most.

    python bench/listen_overhead.py [--events 500] [--rounds 8] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from inspector.protocol.bodies import encode_body, sample_body

_JSON = {"Content-Type": "application/json"}


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


async def _calls(client: httpx.AsyncClient, base: str, bodies: list[bytes]) -> list[float]:
    start = await client.post(f"{base}/api/v1/sessions", headers=_JSON,
                              content=encode_body(sample_body("sessionStart")))
    events = f"{base}{start.headers['Location']}/events"
    times = []
    for body in bodies:
        began = time.perf_counter()
        response = await client.post(events, content=body, headers=_JSON)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 204, response.status_code
    return times


async def _measure(paths: list[str], events: int,
                   rounds: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per path: every call's ms, and per round the median added to the first path's."""
    bodies = [encode_body(sample_body("ping", ts=1767225601000 + i * 10_000, playhead=i * 10))
              for i in range(events)]
    by_path: dict[str, list[float]] = {p: [] for p in paths}
    added: dict[str, list[float]] = {p: [] for p in paths}
    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        for base in paths:
            await _calls(client, base, bodies[:50])  # warm up every path
        for i in range(rounds):
            medians = {}
            for base in paths[i % len(paths):] + paths[:i % len(paths)]:  # rotate the order
                times = await _calls(client, base, bodies)
                by_path[base] += times
                medians[base] = statistics.median(times)
            for base in paths:
                added[base].append(medians[base] - medians[paths[0]])
    return by_path, added


def _spawn(args: list[str], pattern: str, stream: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, *args], text=True,
                               stdout=subprocess.PIPE if stream == "out" else subprocess.DEVNULL,
                               stderr=subprocess.PIPE if stream == "err" else None)
    pipe = process.stdout if stream == "out" else process.stderr
    assert pipe is not None
    found = re.search(pattern, pipe.readline())
    if found is None:
        process.kill()
        raise SystemExit(f"{args[0]} did not start")
    return process, found.group(1)


def _row(name: str, times: list[float]) -> str:
    return (f"{name:15} min {min(times):6.2f}  p50 {_percentile(times, 50):6.2f}  "
            f"p90 {_percentile(times, 90):6.2f}  p99 {_percentile(times, 99):6.2f}  "
            f"max {max(times):7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500, help="calls per side per round")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="100 calls x 4 rounds")
    args = parser.parse_args()
    events, rounds = (100, 4) if args.quick else (args.events, args.rounds)
    upstream, direct = _spawn([str(Path(__file__).with_name("_server.py"))],
                              r"(http://\S+)", "out")
    started = [upstream]
    scratch = tempfile.mkdtemp(prefix="listen-bench-")  # the run store, as by default
    try:
        forwarder, bare = _spawn([str(Path(__file__).with_name("_forwarder.py")), direct],
                                 r"(http://\S+)", "out")
        started.append(forwarder)
        proxy, proxied = _spawn(["-m", "inspector", "listen", "--upstream", direct,
                                 "--port", "0", "--store", str(Path(scratch) / "runs.db")],
                                r"listening on (http://\S+) -> ", "err")
        started.append(proxy)
        times, added = asyncio.run(_measure([direct, bare, proxied], events, rounds))
    finally:
        for process in started:
            process.terminate()
            process.wait(10)
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"calls per path: {len(times[direct])} ({rounds} rounds of {events}, order rotated)")
    names = {direct: "direct", bare: "bare forwarder", proxied: "through listen"}
    for base, name in names.items():
        print(_row(name, times[base]))
    for base in (bare, proxied):
        ratio = statistics.median(times[base]) / statistics.median(times[direct])
        extra = added[base]
        print(f"{names[base]:15} ratio of medians to direct {ratio:.2f}; added ms per call "
              f"(median per round): median {statistics.median(extra):.2f}, min "
              f"{min(extra):.2f}, max {max(extra):.2f}")
    own = [p - b for p, b in zip(added[proxied], added[bare], strict=True)]
    print(f"listen's own cost over a bare hop: median {statistics.median(own):.2f} ms, min "
          f"{min(own):.2f}, max {max(own):.2f}  (goal: a few ms per call in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
