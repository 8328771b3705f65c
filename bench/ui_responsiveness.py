"""UI responsiveness under load: event-loop stalls while the log grows past 100,000 rows.

Offscreen window against the embedded backend; the player runs at 60x with auto pings,
plus a burst of events at 200/s for 30 s; the store is prefilled so the log passes 100,000
rows. A 5 ms QTimer heartbeat measures how late the Qt/asyncio loop gets to it.
Goal: p99 stall <= 17 ms, max <= 50 ms.

    QT_QPA_PLATFORM=offscreen python bench/ui_responsiveness.py [--seconds 30] [--rate 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from inspector.exchange import Exchange, ExchangeState  # noqa: E402
from inspector.server import EmbeddedServer  # noqa: E402
from ui.app import build_window  # noqa: E402

BURST_EVENTS = ("bitrateChange", "play", "stateStart", "stateEnd", "error", "play")


def prefill(store: object, count: int) -> None:
    """Synthetic answered exchanges so the log starts large."""
    t0 = time.time() - count
    for i in range(count):
        body = json.dumps({"eventType": "ping", "playerTime": {"playhead": i, "ts": i}})
        store.record(Exchange(seq=-count + i, method="POST", url="http://prefill/",  # type: ignore[attr-defined]
                              event_type="ping", request_body=body.encode(),
                              state=ExchangeState.DONE, status=204, playhead=float(i), ts=i,
                              queued_at=t0 + i, duration_ms=1.0))


class Heartbeat:
    """A 5 ms precise timer; records how late each tick is."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms / 1000
        self.stalls: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer(interval=interval_ms)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.stalls.append(max(0.0, now - self._last - self.interval) * 1000)
        self._last = now


async def burst(window: object, seconds: float, rate: float) -> int:
    controller = window.controller  # type: ignore[attr-defined]
    sent, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        due = int(elapsed * rate) + 1
        while sent < due:
            controller.send_event(BURST_EVENTS[sent % len(BURST_EVENTS)])
            sent += 1
        await asyncio.sleep(0.005)
    return sent


async def main(args: argparse.Namespace) -> int:
    with EmbeddedServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(os.path.join(tmp, "bench.ini"), QSettings.Format.IniFormat)
        window = build_window(settings, server.base_url,
                              runs_path=os.path.join(tmp, "runs.sqlite3"))
        window.resize(1440, 900)
        window.show()
        prefill(window.controller.store, args.prefill)
        window.model.flush()
        await asyncio.sleep(0.3)
        window.transport.set_speed(60.0)
        window.controller.start_session()
        beat = Heartbeat()
        beat.start()
        t0 = time.perf_counter()
        sent = await burst(window, args.seconds, args.rate)
        wall = time.perf_counter() - t0
        await asyncio.sleep(1.0)  # let the last answers land
        beat.timer.stop()
        rows = window.model.rowCount()
        stalls = sorted(beat.stalls)
        p99 = stalls[int(len(stalls) * 0.99) - 1]
        print(f"burst: {sent} events in {wall:.1f} s ({sent / wall:.0f}/s) at 60x with auto "
              f"pings; log rows {rows:,} (prefilled {args.prefill:,})")
        print(f"heartbeat 5 ms: {len(stalls)} ticks; stall median {statistics.median(stalls):.2f} "
              f"ms, p99 {p99:.2f} ms, max {stalls[-1]:.2f} ms "
              f"(goal p99 <= 17 ms, max <= 50 ms)")
        window.close()
        await window.controller.aclose()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--prefill", type=int, default=100_000)
    ns = parser.parse_args()
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        sys.exit(loop.run_until_complete(main(ns)))
