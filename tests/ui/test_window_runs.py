"""Run store in the window: autosave as it happens, past runs reopened read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from inspector.runstore import RunStore
from ui import file_dialogs
from ui.main_window import MainWindow
from ui.scenarios import RunList

from conftest import run as run_on_loop
from helpers import EVENT, STATUS, answered, click, rows

CLICKS = ["start-session", "event:play", "event:adStart", "end-session"]


def _past_rows(window: MainWindow) -> list[tuple[str, str]]:
    model = window.past_run.model
    return [(model.index(r, EVENT).data(), model.index(r, STATUS).data())
            for r in range(model.rowCount())]


def test_each_exchange_is_in_the_run_store_as_soon_as_it_is_answered(
        qtbot: QtBot, window: MainWindow, runs_path: Path) -> None:
    window.transport.auto_ping.setChecked(False)
    # The store commits an answered exchange before the code awaiting it resumes (one
    # transaction per loop tick); the window's row may show before or after that.
    async def started() -> None:
        await window.controller.session.start()

    run_on_loop(qtbot, started())
    with RunStore(runs_path, read_only=True) as reader:  # another process's view of the file
        (run,) = reader.list_runs()
        assert (run.status, run.exchanges) == ("running", 1)
        assert reader.open_run(run.id).exchanges[0].status == 201
    qtbot.waitUntil(lambda: answered(window, 1), timeout=5000)


def test_past_runs_lists_a_finished_run_and_reopens_it_read_only(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window.transport.auto_ping.setChecked(False)
    for count, name in enumerate(CLICKS, 1):
        click(window, name)
        qtbot.waitUntil(lambda n=count: answered(window, n), timeout=5000)
    live = rows(window)
    click(window, "new-session")  # the first session's run is finished here
    qtbot.waitUntil(lambda: answered(window, len(CLICKS) + 1), timeout=5000)

    window.scenarios.runs_dock.toggleViewAction().trigger()
    runs = window.scenarios.runs
    assert runs is not None and window.scenarios.runs_dock.isVisible()
    qtbot.waitUntil(lambda: runs.list.count() == 2, timeout=3000)
    first = runs.list.item(1)  # newest first
    assert "finished" in first.text() and f"{len(CLICKS)} exchanges" in first.text()
    runs.list.itemDoubleClicked.emit(first)

    assert window.read_only
    assert _past_rows(window) == live
    banner = window.readonly_banner
    assert banner.isVisible() and "Read-only: run from" in banner.label.text()
    assert not window.findChild(QPushButton, "event:play").isEnabled()
    assert not window.session_bar.start.isEnabled()
    assert window.past_run.report.text() and '"completed"' in window.past_run.report.text()
    window.past_run.log.table.selectRow(2)
    detail = window.past_run.detail
    assert detail.exchange is not None and detail.exchange.event_type == "adStart"
    assert "AD_OUTSIDE_BREAK" in detail.findings.toPlainText()
    assert detail.buttons["curl"].isEnabled() and not detail.buttons["resend"].isEnabled()
    har = tmp_path / "past.har"  # File → Export writes the run being shown
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: har)
    window.exports.actions["har"].trigger()
    entries = json.loads(har.read_text())["log"]["entries"]
    assert [e["response"]["status"] for e in entries] == [int(s) for _, s in live]

    banner.action.click()  # back to live
    assert not window.read_only and not banner.isVisible()
    assert window.findChild(QPushButton, "event:play").isEnabled()
    assert rows(window)[:len(live)] == live


def _two_runs(qtbot: QtBot, window: MainWindow) -> RunList:
    """A finished run (one sessionStart) and the live one, listed in the Runs dock."""
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1), timeout=5000)
    click(window, "new-session")  # the first session's run is finished here
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    runs = window.scenarios.runs
    assert runs is not None
    window.scenarios.runs_dock.show()
    qtbot.waitUntil(lambda: runs.list.count() == 2, timeout=3000)
    return runs


def test_deleting_a_past_run_keeps_the_live_run_recording(
        qtbot: QtBot, window: MainWindow, runs_path: Path) -> None:
    runs = _two_runs(qtbot, window)
    runs.confirm = lambda parent, text: True

    runs.delete_run(runs.list.item(0))  # the live run: refused
    assert runs.list.count() == 2 and "still being recorded" in window.info_banner.label.text()
    runs.delete_run(runs.list.item(1))
    assert runs.list.count() == 1 and "deleted" in window.statusBar().currentMessage()

    async def play() -> None:  # autosave goes on into the live run; awaited, it is stored
        await window.controller.session.send("play")

    run_on_loop(qtbot, play())
    assert not window.controller.autosave.failed  # type: ignore[union-attr]
    with RunStore(runs_path, read_only=True) as reader:
        (live,) = reader.list_runs()
        assert [e.event_type for e in reader.open_run(live.id).exchanges] == ["sessionStart",
                                                                                "play"]


def test_deleting_the_past_run_on_show_goes_back_to_live(
        qtbot: QtBot, window: MainWindow) -> None:
    runs = _two_runs(qtbot, window)
    runs.list.itemDoubleClicked.emit(runs.list.item(1))
    assert window.read_only
    runs.confirm = lambda parent, text: True
    runs.delete_run(runs.list.item(1))  # the one on show: it is gone, so is its view
    assert runs.list.count() == 1
    assert not window.read_only and not window.readonly_banner.isVisible()
    assert window.findChild(QPushButton, "event:play").isEnabled()
