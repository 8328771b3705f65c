"""The window against the real embedded backend: sid, a scripted run, warnings."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from inspector.client import parse_location
from inspector.server import EmbeddedServer
from ui.log.model import COLUMNS
from ui.main_window import MainWindow

from helpers import answered, click, rows

FINDINGS = COLUMNS.index("Findings")


def test_start_session_shows_the_sid_the_server_issued(
        qtbot: QtBot, window: MainWindow, server: EmbeddedServer) -> None:
    click(window, "start-session")
    sid_label = window.findChild(QLabel, "sid")
    qtbot.waitUntil(lambda: len(sid_label.text()) == 64, timeout=5000)
    start = window.controller.store[0]
    assert parse_location(start.response_header("Location")) == ("v1", sid_label.text())
    assert server.call(lambda st: st.sessions.lookup(sid_label.text()) is not None)
    assert sid_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_preroll_play_midroll_end_rows_and_statuses(qtbot: QtBot, window: MainWindow) -> None:
    script = ["start-session", "event:adBreakStart", "event:adStart", "event:adComplete",
              "event:adBreakComplete", "event:play", "event:adBreakStart", "event:adStart",
              "event:adComplete", "event:adBreakComplete", "end-session"]
    window.transport.auto_ping.setChecked(False)  # only the clicked events in the log
    for name in script:
        click(window, name)
    qtbot.waitUntil(lambda: answered(window, len(script)), timeout=10000)
    got = rows(window)
    assert [e for e, _ in got] == ["sessionStart", "adBreakStart", "adStart", "adComplete",
                                   "adBreakComplete", "play", "adBreakStart", "adStart",
                                   "adComplete", "adBreakComplete", "sessionEnd"]
    assert [s for _, s in got] == ["201"] + ["204"] * 10
    findings = [window.model.index(r, FINDINGS).data() for r in range(len(got))]
    assert "AD_OUTSIDE_BREAK" not in " ".join(findings)


def test_ad_outside_break_warns_in_row_counter_and_banner(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:play")
    click(window, "event:adStart")
    qtbot.waitUntil(lambda: answered(window, 3), timeout=5000)
    assert "AD_OUTSIDE_BREAK" in window.model.index(2, FINDINGS).data()
    # AD_OUTSIDE_BREAK is an ERROR finding: counted as an error, and the banner says error.
    assert (window.problems.errors, window.problems.warnings) == (1, 0)
    assert window.problems.text() == "1 error · 0 warnings"
    assert window.problems.property("kind") == "error"
    banner = window.ad_banner
    assert banner.isVisible() and banner.property("kind") == "error"
    assert "counted as main content" in banner.label.text()
    assert "AdobeDocs/media-analytics.en" in banner.label.text()  # Adobe's page, not our spec
    window.log.select_source_row(2)
    qtbot.waitUntil(lambda: window.detail.exchange is not None, timeout=5000)
    assert "mc-api-ref/mc-api-event-types.md" in window.detail.findings.toHtml()
    click(window, "start-session")  # a new session: the old session's banner goes
    qtbot.waitUntil(lambda: answered(window, 4), timeout=5000)
    assert not banner.isVisible()


def test_idle_session_warns_before_the_10_minute_expiry(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    window.controller.set_auto_ping(False)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1))
    expiry = window.expiry_label
    expiry.refresh()
    assert expiry.isVisible() and "SESSION_IDLE_EXPIRY" not in expiry.toolTip()
    assert "idle expiry in 9:5" in expiry.text() or "idle expiry in 10:00" in expiry.text()
    window.controller.clock.advance(9 * 60 + 30)  # silent for 9.5 minutes
    qtbot.waitUntil(lambda: "SESSION_IDLE_EXPIRY" in expiry.toolTip(), timeout=3000)
    assert "no event" in expiry.text() and "idle expiry in 0:" in expiry.text()
    click(window, "event:play")  # an event resets the idle clock
    qtbot.waitUntil(lambda: answered(window, 2))
    expiry.refresh()
    assert "SESSION_IDLE_EXPIRY" not in expiry.toolTip()


def test_a_400_shows_its_message_first_and_the_headers_one_tab_away(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1), timeout=5000)
    body = window.controller.preview("ping")
    body["params"] = {"media.id": "x"}  # a ping with params: our backend answers 400 (I6)
    assert window.controller.send_raw(json.dumps(body)) is None
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    window.log.select_source_row(1)
    qtbot.waitUntil(lambda: window.detail.exchange is not None
                    and window.detail.exchange.status == 400, timeout=5000)
    lines = window.detail.response.text().splitlines()
    assert lines[0] == "HTTP 400" and "message" in "\n".join(lines[1:4])
    assert "content-type" not in window.detail.response.text().lower()
    headers = window.detail.headers.text()
    assert "Request headers" in headers and "content-type" in headers.lower()
