"""The Report tab for a captured session (issue 14): while the window listens it shows the
player's session (the selected row's, else the newest), not the window's own; an opened
capture gets a Report tab of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from inspector.capture.har import read_har
from inspector.capture.judge import judge_capture
from inspector.client import MediaCollectionClient
from inspector.metrics import format_value
from inspector.protocol.bodies import sample_body
from inspector.report import SessionReport
from ui import file_dialogs
from ui.main_window import MainWindow

from helpers import answered, click

CAPTURES = Path(__file__).resolve().parents[1] / "inspector" / "captures"
_PLAY = ("sessionStart", "play", "adBreakStart", "adStart", "adComplete", "adBreakComplete")


def _bodies(first_ts: int, playhead: float) -> list[dict[str, Any]]:
    return [sample_body(name, ts=first_ts + 1000 * i, playhead=playhead + i)
            for i, name in enumerate(_PLAY)]


async def _player(url: str, bodies: list[dict[str, Any]]) -> str | None:
    """A real player's calls through the proxy, one after another; its sid."""
    client = MediaCollectionClient(url, retries=0)
    try:
        channel, started = await client.start_session(bodies[0])
        for body in bodies[1:]:
            await channel.send(body)
        return started.sid
    finally:
        await client.aclose()


def _expected(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    report = SessionReport()
    for body in bodies:
        report.add(body)
    return report.to_dict()["metrics"]


def test_listening_the_report_tab_shows_the_players_session(qtbot: QtBot,
                                                            window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.bottom_tabs.setCurrentWidget(window.report)
    panel = window.report
    assert not panel.source.isVisible()  # the window's own session, as before
    window.endpoint_bar.listen_port.setValue(0)
    click(window, "listen")
    qtbot.waitUntil(lambda: window.listen.url is not None, timeout=10000)
    assert window.listen.url is not None
    qtbot.waitUntil(lambda: "nothing captured yet" in panel.source.text(), timeout=5000)

    bodies = _bodies(1767225600000, 0)
    task = asyncio.ensure_future(_player(window.listen.url, bodies))
    qtbot.waitUntil(task.done, timeout=10000)
    sid = task.result()
    assert sid and window.controller.session.sid is None  # the window itself sent nothing
    qtbot.waitUntil(lambda: answered(window, len(bodies)), timeout=5000)
    expected = _expected(bodies)
    ads = format_value("ad_starts", expected["ad_starts"])
    assert ads != format_value("ad_starts", None)  # the window's own session shows no ad
    qtbot.waitUntil(lambda: panel.cards.cards["ad_starts"].value.text() == ads, timeout=5000)
    assert "captured from the player" in panel.source.text() and sid in panel.source.text()
    (captured,) = window.listen.log.analyzer.sessions.values()
    counts = captured.finding_counts()
    assert counts and all(f"{code} ×{n}" in panel.findings.text() for code, n in counts.items())
    for key in ("media_starts", "content_starts", "ad_breaks"):
        if key in panel.cards.cards:
            assert panel.cards.cards[key].value.text() == format_value(key, expected[key])
    # upstream is the embedded backend: its report for the captured sid sits beside ours
    panel.refresh_server()
    qtbot.waitUntil(lambda: panel.cards.cards["ad_starts"].server.text() != "", timeout=5000)
    assert panel.cards.cards["ad_starts"].server.text() == "server agrees"

    # a second player: the newest is shown; selecting a row of the first shows the first
    second = [sample_body("sessionStart", ts=1767225700000),
              sample_body("adStart", ts=1767225701000)]
    task2 = asyncio.ensure_future(_player(window.listen.url, second))
    qtbot.waitUntil(task2.done, timeout=10000)
    sid2 = task2.result()
    assert sid2
    qtbot.waitUntil(lambda: sid2 in panel.source.text(), timeout=5000)
    assert "AD_OUTSIDE_BREAK ×1" in panel.findings.text()
    assert "of 2 sessions" in panel.source.text()
    window.log.table.selectRow(1)  # the first player's play
    qtbot.waitUntil(lambda: sid in panel.source.text(), timeout=5000)
    assert "the selected row's" in panel.source.text()

    click(window, "listen")  # stop: the window's own session again
    qtbot.waitUntil(lambda: not window.listen.listening, timeout=10000)
    assert not panel.source.isVisible()


def test_an_opened_capture_has_a_report_tab_of_its_sessions(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    path = CAPTURES / "chrome-devtools.har"
    expected = list(judge_capture(read_har(path)).analyzer.sessions.values())[-1]
    monkeypatch.setattr(file_dialogs, "ask_open_path", lambda *a: path)
    window.menus.capture_opener.open_file()
    tabs = window.past_run.tabs
    panel = window.capture_report.panel
    assert tabs.indexOf(panel) >= 0 and tabs.tabText(tabs.indexOf(panel)) == "Report"
    tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: "chrome-devtools.har" in panel.source.text(), timeout=5000)
    assert str(expected.sid) in panel.source.text()
    assert "AD_OUTSIDE_BREAK" in panel.findings.text()
    ours = expected.report.to_dict()["metrics"]
    assert panel.cards.cards["ad_starts"].value.text() == format_value("ad_starts",
                                                                        ours["ad_starts"])
    window.back_to_live()
    assert tabs.indexOf(panel) < 0  # a past run of the window's own has no such tab
