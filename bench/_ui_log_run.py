"""The log-size run of bench/ui_responsiveness.py: memory, filters, stalls, trims."""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

import qasync
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from _log_rows import plain_match, realistic
from inspector.profile import Profile
from inspector.store import ExchangeStore
from ui.app import open_run_store
from ui.controller import Controller
from ui.main_window import MainWindow
from ui.theme import apply_theme

BURST_EVENTS = ("bitrateChange", "play", "stateStart", "stateEnd", "error", "play")


class Heartbeat:
    """A 1 ms precise timer: each sample is (when, how late the tick was in ms)."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []
        self._last = time.perf_counter()
        self.timer = QTimer(interval=1)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append((now, max(0.0, (now - self._last) * 1000 - 1.0)))
        self._last = now

    def between(self, start: float, end: float) -> list[float]:
        return [gap for t, gap in self.samples if start <= t <= end]

    def around(self, instant: float) -> float:
        """The stall of the tick gap that contains ``instant``."""
        later = [(t, gap) for t, gap in self.samples if t >= instant]
        return later[0][1] if later else 0.0


def _stats(gaps: list[float]) -> dict[str, float]:
    ordered = sorted(gaps) or [0.0]
    return {"ticks": len(gaps), "p50": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], "max": ordered[-1]}


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def _filtered(window: MainWindow, action: Callable[[], None]) -> float:
    proxy = window.log.proxy
    done = asyncio.get_running_loop().create_future()

    def finish() -> None:
        if not done.done():
            done.set_result(time.perf_counter())

    proxy.filtered.connect(finish)
    start = time.perf_counter()
    action()
    end = await done
    proxy.filtered.disconnect(finish)
    return start, end  # type: ignore[return-value]


async def _filters(window: MainWindow, beat: Heartbeat) -> dict[str, Any]:
    log = window.log

    def text(value: str) -> Callable[[], None]:
        return lambda: (log.search.setText(value), log._apply_query())  # no debounce wait

    def event(value: str) -> Callable[[], None]:
        return lambda: log.event_filter.setCurrentIndex(log.event_filter.findData(value))

    cases = {"text 'ad_outside'": (text("ad_outside"), text("")),
             "first keystroke 'a'": (text("a"), text("")),
             "clear the text filter": (text(""), text("ad_outside")),
             "event type adStart": (event("adStart"), event("")),
             "clear the event type": (event(""), event("adStart")),
             "With warnings": (lambda: log.warnings_only.setChecked(True),
                               lambda: log.warnings_only.setChecked(False))}
    out: dict[str, Any] = {}
    for name, (act, undo) in cases.items():
        ms, stall = [], []
        for _ in range(3):
            if name.startswith("clear"):
                await _filtered(window, undo)  # something to clear
            start, end = await _filtered(window, act)
            await asyncio.sleep(0.05)  # the tick after the filter closes its gap
            ms.append((end - start) * 1000)
            stall.append(max(beat.between(start, end + 0.05), default=0.0))
            if not name.startswith("clear"):
                await _filtered(window, undo)
        out[name] = {"ms": ms, "stall": stall}
    return out


def _plain(rows: int) -> list[float]:
    sample = [realistic(i) for i in range(min(rows, 100_000))]
    reps = max(1, rows // len(sample))
    out = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(reps):  # 1M rows: the same 100k exchanges ten times over
            plain_match(sample, "ad_outside")
        out.append((time.perf_counter() - start) * 1000)
    return out


async def _burst(window: MainWindow, seconds: float, rate: float) -> int:
    controller = window.controller
    sent, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        if sent < int(elapsed * rate) + 1:
            controller.send_event(BURST_EVENTS[sent % len(BURST_EVENTS)])
            sent += 1
            await asyncio.sleep(0)  # one event per loop turn, as clicks and timers come
        else:
            await asyncio.sleep(0.002)
    return sent


async def _main(rows: int, seconds: float, idle: float, rate: float) -> dict[str, Any]:
    # The backend runs in a process of its own (bench/_server.py), so the stalls measured
    # are the window's, not a backend's sharing its loop or its GIL.
    server = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__),
                                                            "_server.py")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        return await _measure(server.stdout.readline().strip(), rows, seconds, idle, rate)
    finally:
        server.kill()
        server.wait()


async def _measure(url: str, rows: int, seconds: float, idle: float,
                   rate: float) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = ExchangeStore(limit=rows)
        gc.collect()
        before, start = _rss(), time.perf_counter()
        t0 = time.time() - rows
        for i in range(rows):
            store.record(realistic(i, t0))
        result["prefill_us"] = (time.perf_counter() - start) / rows * 1e6
        gc.collect()
        after = _rss()
        result["bytes_per_row"], result["rss_mb"] = (after - before) / rows, after / 2**20
        settings = QSettings(os.path.join(tmp, "bench.ini"), QSettings.Format.IniFormat)
        controller = Controller(Profile(name="bench", base_url=url), embedded_url=None,
                                runs=open_run_store(settings, os.path.join(tmp, "runs.sqlite3")),
                                store=store)
        window = MainWindow(controller, settings)
        window.resize(1440, 900)
        window.show()
        await asyncio.sleep(0.5)
        result["plain_ms"] = _plain(rows)
        beat = Heartbeat()
        beat.start()
        t_idle = time.perf_counter()
        await asyncio.sleep(idle)
        result["idle"] = _stats(beat.between(t_idle, time.perf_counter()))
        result["filters"] = await _filters(window, beat)
        window.transport.set_speed(60.0)
        controller.start_session()
        window.log.hide()  # the sceptic's baseline: the same burst with the log hidden
        result["hidden"] = await _phase(window, beat, seconds, rate)
        window.log.show()
        await asyncio.sleep(0.5)  # showing it lays out and paints the log once: not the burst
        trims: list[float] = []
        store.trimmed.connect(lambda _n: trims.append(time.perf_counter()))
        result["burst"] = await _phase(window, beat, seconds, rate)
        result["trims"] = {"count": len(trims), "rows": max(1, rows // 100),
                           "stall": max((beat.around(t) for t in trims), default=0.0)}
        beat.timer.stop()
        window.close()
        await controller.aclose()
    return result


async def _phase(window: MainWindow, beat: Heartbeat, seconds: float,
                 rate: float) -> dict[str, Any]:
    start = time.perf_counter()
    sent = await _burst(window, seconds, rate)
    wall = time.perf_counter() - start
    await asyncio.sleep(1.0)  # the last answers land
    stats: dict[str, Any] = _stats(beat.between(start, time.perf_counter()))
    stats["note"] = (f"; {sent} events at {sent / wall:.0f}/s, "
                     f"log {len(window.controller.store):,}")
    return stats


def run_log(rows: int, seconds: float, idle: float, rate: float) -> dict[str, Any]:
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        return loop.run_until_complete(_main(rows, seconds, idle, rate))
