"""The report panel as a product manager reads it: big numbers, the server beside them,
ignored-ad time called out, one plain line per event that changed Adobe's count."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from inspector.report import SessionReport
from tests.inspector.server.adobe_timelines import TIMELINE_1, timeline
from ui.main_window import MainWindow
from ui.metric_cards import MetricCards
from ui.timeline.legend import LEGEND, TimelineLegend

from helpers import answered, click


def _metrics(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    report = SessionReport()
    for body in bodies:
        report.add(body)
    return report.to_dict()["metrics"]


def test_an_ad_outside_a_break_shows_in_big_numbers_callout_and_lines(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.bottom_tabs.setCurrentWidget(window.report)
    panel = window.report
    for count, name in enumerate(["start-session", "event:play", "event:adStart",
                                  "event:adComplete"], 1):
        click(window, name)
        qtbot.waitUntil(lambda n=count: answered(window, n), timeout=5000)
    def lines() -> list[str]:
        return [panel.notes.item(i).text() for i in range(panel.notes.count())]

    qtbot.waitUntil(lambda: any("adComplete" in line for line in lines()), timeout=5000)
    assert panel.cards.cards["content_starts"].value.text() == "1"
    assert panel.cards.cards["ad_starts"].value.text() == "0"  # Adobe ignores the lone ad
    assert "Session open: Adobe has reported the media start only" in panel.status.text()
    assert panel.cards.cards["media_starts"].value.text() == "1"
    assert any("adStart: Adobe ignores this ad: no ad start" in line for line in lines())
    panel.refresh_server()  # the embedded backend's report: the same figures, no highlight
    qtbot.waitUntil(lambda: panel.cards.cards["media_starts"].server.text() != "",
                    timeout=5000)
    assert panel.cards.cards["media_starts"].server.text() == "server agrees"
    assert panel.table.item(0, 2).text() == "1"  # media starts, server column


def test_ignored_ad_time_is_called_out(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.bottom_tabs.setCurrentWidget(window.report)
    for count, name in enumerate(["start-session", "event:play", "event:adStart"], 1):
        click(window, name)
        qtbot.waitUntil(lambda n=count: answered(window, n), timeout=5000)
    window.controller.warp(12)  # 12 s of the lone ad: counted as main content
    click(window, "event:adComplete")
    qtbot.waitUntil(lambda: answered(window, 4), timeout=5000)
    qtbot.waitUntil(lambda: window.report.ignored.isVisible(), timeout=5000)
    assert "s of ads counted as main content" in window.report.ignored.text()


def test_cards_highlight_where_the_server_disagrees(qtbot: QtBot) -> None:
    bodies = timeline(TIMELINE_1)
    ours, theirs = _metrics(bodies), _metrics(bodies[:-1])  # the server lacks sessionComplete
    cards = MetricCards()
    qtbot.addWidget(cards)
    cards.show_metrics(ours, theirs)
    complete = cards.cards["content_completes"]
    assert complete.value.text() == "1" and complete.server.text() == "server: 0"
    assert complete.property("differs") is True
    assert cards.cards["ad_starts"].property("differs") is False
    assert "a.media.complete" in complete.toolTip() and "close call" in complete.toolTip()


def test_the_timeline_legend_names_every_colour(qtbot: QtBot, window: MainWindow) -> None:
    assert isinstance(window.legend, TimelineLegend) and window.legend.isVisible()
    text = window.legend.text()
    assert all(meaning in text for _, meaning in LEGEND)
    assert "counted as main content" in text


def test_the_legend_goes_with_the_timeline(window: MainWindow) -> None:
    window.timeline_action.setChecked(False)
    assert not window.timeline.isVisible() and not window.legend.isVisible()
    window.timeline_action.setChecked(True)
    assert window.legend.isVisible()
