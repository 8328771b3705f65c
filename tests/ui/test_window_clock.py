"""One clock in the window: warps reach the backend, views draw simulated time, sessions
start at the wall clock, and every session state shows at once."""

from __future__ import annotations

import asyncio
import json
import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from inspector.timeline import SpanKind
from ui.main_window import MainWindow

from conftest import close, make_window
from helpers import answered, click, rows
from test_window_errors import _dead_port


def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None, f"no action {name!r}"
    return action


def test_a_time_warp_click_gets_the_backends_410_and_the_gone_banner(
        qtbot: QtBot, window: MainWindow) -> None:
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    window.expiry_label.refresh()
    assert window.expiry_label.isVisible() and "idle expiry in" in window.expiry_label.text()
    _action(window, "warp:+10 min").trigger()  # idle: the player is silent, then pings
    qtbot.waitUntil(lambda: window.gone_banner.isVisible(), timeout=5000)
    ping = next(e for e in reversed(window.controller.store) if e.event_type == "ping")
    assert ping.status == 410  # the embedded backend itself closed it: its clock moved too
    assert "SESSION_IDLE_EXPIRY" in {f.code for f in ping.findings}  # and the advisor agrees


def test_warp_as_a_paused_player_meets_the_30_minute_stall_expiry(
        qtbot: QtBot, window: MainWindow) -> None:
    click(window, "start-session")
    click(window, "event:play")
    click(window, "event:pauseStart")
    qtbot.waitUntil(lambda: answered(window, 3), timeout=5000)
    _action(window, "warp-as-player").setChecked(True)
    _action(window, "warp:+30 min").trigger()  # its pings land on the grid, just short of 30
    _action(window, "warp:+1 min").trigger()
    qtbot.waitUntil(lambda: window.gone_banner.isVisible(), timeout=10000)
    pings = [e for e in window.controller.store if e.event_type == "ping"]
    first_gone = next(i for i, e in enumerate(pings) if e.status == 410)
    assert first_gone >= 179 and {e.status for e in pings[:first_gone]} == {204}
    # The advisor judges by ts and the backend by when each call arrived, so under load they
    # may part by one ping at the 30-minute mark, never more.
    flagged = [i for i, e in enumerate(pings)
               if any(f.code == "PLAYHEAD_STALL_EXPIRY" and f.severity.value == "error"
                      for f in e.findings)]
    assert flagged and first_gone - 1 <= flagged[0] <= first_gone
    assert {e.playhead for e in pings} == {pings[0].playhead}  # paused: the playhead holds


def test_the_timeline_draws_an_open_pause_at_10x_at_its_simulated_length(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.set_speed(10.0)
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:play")
    click(window, "event:pauseStart")
    qtbot.waitUntil(lambda: answered(window, 3), timeout=5000)
    clock = window.controller.clock
    clock.advance(57)  # 57 simulated seconds of pause, none on the wall
    pause = window.timeline.timeline.of(SpanKind.PAUSE)[-1]
    assert pause.open and pause.t0 is not None
    # At 10x the clock flows on while we look: the drawn length is the session clock's now
    # minus the pause's ts, read between two looks at that clock (never the wall's).
    before = clock.now() * 1000
    held = window.timeline.held_length(pause)
    after = clock.now() * 1000
    assert held >= 57
    assert (before - pause.t0) / 1000 - 0.001 <= held <= (after - pause.t0) / 1000 + 0.001


def test_after_60x_then_1x_a_new_session_starts_at_the_wall_clock(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.set_speed(60.0)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1), timeout=5000)
    window.controller.clock.advance(180)  # three wall seconds' worth at 60x
    assert window.controller.clock.ahead() >= 179
    window.transport.set_speed(1.0)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    started = [e for e in window.controller.store if e.event_type == "sessionStart"][-1]
    ts = json.loads(started.request_body)["playerTime"]["ts"]
    assert abs(ts - time.time() * 1000) < 1000


def test_replaying_live_across_midnight_in_the_window_meets_every_expectation(
        qtbot: QtBot, window: MainWindow) -> None:
    panel = window.scenarios.panel
    panel.list.setCurrentItem(panel.list.findItems("live-across-midnight",
                                                   Qt.MatchFlag.MatchExactly)[0])
    panel.speed.setCurrentIndex(panel.speed.findText("max"))
    click(window, "scenario-replay")
    qtbot.waitUntil(lambda: bool(window.scenarios.outcomes), timeout=10000)
    outcome = window.scenarios.outcomes[-1]
    assert outcome.ok, [str(e) for e in outcome.failures]
    assert rows(window)[0][0] == "sessionStart"


def test_the_sid_label_says_the_start_failed_in_the_same_loop_turn(
        qtbot: QtBot, qloop: asyncio.AbstractEventLoop, settings: object) -> None:
    window = make_window(qtbot, settings, f"http://127.0.0.1:{_dead_port()}", embedded=False)
    label = window.findChild(QLabel, "sid")
    seen: list[str] = []

    def on_exchange(exchange: object) -> None:  # runs after the session's own observer
        if getattr(exchange, "state", None) is not None and exchange.state.value == "failed":
            qloop.call_soon(lambda: seen.append(label.text()))  # one loop turn later

    window.controller.client.exchanged.connect(on_exchange)
    try:
        click(window, "start-session")
        assert label.text() == "waiting for the server…"
        qtbot.waitUntil(lambda: bool(seen), timeout=8000)
        assert seen[0] == "start failed"
    finally:
        close(qtbot, window)
