"""Run store appends against a bare ``executemany`` in WAL, side by side in one run.

Every round writes N completed exchanges to a fresh store file three ways, in turn:

- ``bare``: the sceptic's floor: one ``executemany`` of the same rows (already serialised)
  into the same table, one transaction, same WAL and ``synchronous=NORMAL``;
- ``bare+json``: the same, serialising each exchange (``exchange_to_dict`` + ``json.dumps``)
  inside the timed part, which the store cannot skip;
- ``burst``: ``RunRecorder.record`` for N exchanges that complete in one loop tick (many
  players), then the tick's flush: what ``run --players`` and the window do;
- ``trickle``: one exchange completing per loop tick (one player), so one commit each:
  the price of never losing a completed exchange to kill -9.

Prints min/median/max per exchange and the ratios to ``bare``. Goal (issue 12): burst
<= 3x bare.

    python bench/runstore_append.py [--exchanges 2000] [--rounds 15] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from inspector.exchange import Exchange, ExchangeState
from inspector.export.records import exchange_to_dict
from inspector.protocol.bodies import encode_body, sample_body
from inspector.runstore import _SCHEMA, _UPSERT, RunStore

SID = "c" * 64


def _exchanges(n: int) -> list[Exchange]:
    url = f"http://127.0.0.1:8080/api/v1/sessions/{SID}/events"
    headers = [("Content-Type", "application/json"), ("Accept", "*/*")]
    answer = [("Access-Control-Allow-Origin", "*"), ("Content-Length", "0")]
    return [Exchange(seq=i + 1, method="POST", url=url, event_type="ping",
                     request_body=encode_body(sample_body("ping", ts=1767225600000 + i,
                                                          playhead=i)),
                     request_headers=headers, state=ExchangeState.DONE, status=204,
                     response_headers=answer, sid=SID, queued_at=1767225600.0 + i,
                     started_at=1767225600.0 + i, duration_ms=1.5) for i in range(n)]


def _bare_db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO runs (name, started_at) VALUES ('bare', 0)")
    db.commit()
    return db


def _rows(exchanges: list[Exchange]) -> list[tuple[object, ...]]:
    return [(1, 0, e.seq, e.channel, e.event_type, e.status, time.time(),
             json.dumps(exchange_to_dict(e), ensure_ascii=False)) for e in exchanges]


def bare(path: Path, exchanges: list[Exchange], serialise: bool) -> float:
    db = _bare_db(path)
    rows = None if serialise else _rows(exchanges)
    began = time.perf_counter()
    with db:
        db.executemany(_UPSERT, rows if rows is not None else _rows(exchanges))
    took = time.perf_counter() - began
    db.close()
    return took


def ours(path: Path, exchanges: list[Exchange], per_tick: int) -> float:
    async def main() -> float:
        store = RunStore(path)
        recorder = store.begin_run("bench")
        began = time.perf_counter()
        for i, exchange in enumerate(exchanges, 1):
            recorder.record(exchange)
            if i % per_tick == 0:
                await asyncio.sleep(0)  # the tick ends: its queued flush runs
        await asyncio.sleep(0)
        took = time.perf_counter() - began
        store.close()
        return took
    return asyncio.run(main())


def _line(name: str, times: list[float], n: int, floor: float) -> str:
    us = [t / n * 1e6 for t in times]
    med = statistics.median(us)
    return (f"{name:10} µs/exchange min {min(us):7.2f}  median {med:7.2f}  max {max(us):7.2f}"
            f"   ratio (median) {med / floor:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exchanges", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="500 exchanges, 5 rounds")
    args = parser.parse_args()
    n, rounds = (500, 5) if args.quick else (args.exchanges, args.rounds)
    exchanges = _exchanges(n)
    ways: dict[str, Callable[[Path], float]] = {
        "bare": lambda p: bare(p, exchanges, serialise=False),
        "bare+json": lambda p: bare(p, exchanges, serialise=True),
        "burst": lambda p: ours(p, exchanges, per_tick=n),
        "trickle": lambda p: ours(p, exchanges, per_tick=1),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for name, way in ways.items():  # interleaved, so load on the machine hits all
                times[name].append(way(Path(tmp) / f"{name}-{r}.sqlite3"))
    floor = statistics.median(times["bare"]) / n * 1e6
    print(f"{n} exchanges x {rounds} rounds, WAL, synchronous=NORMAL")
    for name in ways:
        print(_line(name, times[name], n, floor))
    print("goal: burst <= 3x bare")


if __name__ == "__main__":
    main()
