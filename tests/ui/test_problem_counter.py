"""The status bar counts what went wrong as the log says it: errors and warnings, each call once."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Finding, Severity
from ui.banner import Banner
from ui.problem_counter import ProblemCounter
from ui.theme import style_sheet


def _exchange(seq: int, *findings: Severity) -> Exchange:
    return Exchange(seq=seq, method="POST", url="http://127.0.0.1/api/v1/sessions/x/events",
                    event_type="play", request_body=b"{}",
                    findings=[Finding(f"CODE_{s.value}", s, "m") for s in findings])


def _answer(exchange: Exchange, status: int | None) -> Exchange:
    exchange.state = ExchangeState.DONE if status else ExchangeState.FAILED
    exchange.status = status
    return exchange


def test_failures_and_5xx_are_errors_each_call_counted_once(qtbot: QtBot) -> None:
    counter = ProblemCounter()
    qtbot.addWidget(counter)
    calls = [_exchange(1), _exchange(2, Severity.WARNING), _exchange(3, Severity.ERROR),
             _exchange(4), _exchange(5, Severity.WARNING), _exchange(6, Severity.INFO)]
    counter.added(calls)
    assert (counter.errors, counter.warnings) == (1, 2)
    # 1: refused (DNS or connect); 2: 500 with a warning (now one error); 3: 503 (already an
    # error); 4: 204; 5: 204 with its warning; 6: 404.
    answers = [_answer(calls[0], None), _answer(calls[1], 500), _answer(calls[2], 503),
               _answer(calls[3], 204), _answer(calls[4], 204), _answer(calls[5], 404)]
    counter.changed(answers)
    counter.changed(answers)  # a row that changes again (resent, re-rendered) counts once
    assert (counter.errors, counter.warnings) == (4, 1)
    assert counter.text() == "4 errors · 1 warning"
    assert counter.property("kind") == "error"


def test_banners_follow_the_dark_scheme(qtbot: QtBot) -> None:
    """The style sheet of each scheme (the offscreen platform cannot switch the system's)."""
    app = QApplication.instance()
    banner = Banner("test-banner")
    qtbot.addWidget(banner)
    banner.resize(400, 60)

    def background() -> float:
        banner.show_message("<b>An ad outside a break</b>", kind="error")
        return banner.grab().toImage().pixelColor(200, 3).lightnessF()

    try:
        app.setStyleSheet(style_sheet(dark=False))
        light = background()
        app.setStyleSheet(style_sheet(dark=True))
        dark = background()
    finally:
        app.setStyleSheet("")
    assert light > 0.8 and dark < 0.4
