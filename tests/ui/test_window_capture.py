"""File → Open capture…: a HAR judged by the core and shown read-only like a past run."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui import file_dialogs
from ui.main_window import MainWindow

from helpers import EVENT

CAPTURES = Path(__file__).resolve().parents[1] / "inspector" / "captures"


def _open(window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(file_dialogs, "ask_open_path", lambda *a: path)
    action = next(a for a in window.menuBar().actions()[0].menu().actions()  # type: ignore[union-attr]
                  if a.text() == "Open capture…")
    action.trigger()


def test_open_capture_shows_its_calls_findings_and_report_read_only(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    _open(window, monkeypatch, CAPTURES / "chrome-devtools.har")
    assert window.read_only
    model = window.past_run.model
    events = [model.index(r, EVENT).data() for r in range(model.rowCount())]
    assert events[:4] == ["sessionStart", "play", "ping", "adStart"] and len(events) == 8
    shown = window.past_run.run
    assert shown is not None and shown.info.status == "captured"
    ad = shown.exchanges[3]
    assert [f.code for f in ad.findings] == ["AD_OUTSIDE_BREAK"]
    assert "AD_OUTSIDE_BREAK" in window.past_run.report.text()
    assert "chrome-devtools.har" in window.readonly_banner.label.text()


def test_a_file_that_is_not_a_capture_gets_one_line_and_changes_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "notes.har"
    bad.write_text("hello")
    _open(window, monkeypatch, bad)
    assert not window.read_only
    text = window.info_banner.label.text()
    assert window.info_banner.isVisible() and "notes.har" in text and "not JSON" in text
