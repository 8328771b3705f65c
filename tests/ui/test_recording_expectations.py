"""Recordings that assert: clicked in the window, saved with expectations, replayed headless."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QFileDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from inspector.commands.summary import format_outcome
from inspector.runner import run_scenario
from inspector.scenario import load_scenario, parse_scenario
from inspector.server import EmbeddedServer
from ui import file_dialogs
from ui.main_window import MainWindow
from ui.scenarios.expectations_dialog import ExpectationsDialog

from conftest import run
from helpers import answered, click, rows

CLICKS = ["start-session", "event:play", "event:adStart", "event:play", "end-session"]


def _expectations_dialog(qtbot: QtBot, window: MainWindow) -> ExpectationsDialog:
    saver = window.scenarios.saver
    qtbot.waitUntil(lambda: saver.dialog is not None and saver.dialog.isVisible(), timeout=5000)
    assert saver.dialog is not None
    return saver.dialog


def _seek_by_clicking(qtbot: QtBot, window: MainWindow, fractions: list[float]) -> None:
    """Drop the timeline's playhead at each fraction of its width (press, release)."""
    timeline = window.timeline
    for f in fractions:
        at = QPoint(int(timeline.width() * f), timeline.height() // 2)
        qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=at)
        qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=at)


def _record_ad_outside_break(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.scenarios.record_action.trigger()
    for count, name in enumerate(CLICKS, 1):
        click(window, name)
        qtbot.waitUntil(lambda n=count: answered(window, n), timeout=5000)
        if name == "event:play" and count == 2:
            _seek_by_clicking(qtbot, window, [0.3, 0.5, 0.7])  # nothing sent in between
    window.scenarios.record_action.trigger()  # stop: the expectations dialog opens


def _replay(qtbot: QtBot, path: Path) -> str:
    with EmbeddedServer() as backend:
        outcome = run(qtbot, run_scenario(load_scenario(path), backend.base_url,
                                          follow=backend.follow), timeout=20000)
    return format_outcome(outcome)


def test_a_recording_with_an_ad_outside_a_break_expects_it_when_replayed(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "saved" / "ad.yaml"
    asked: list[str] = []
    monkeypatch.setattr(file_dialogs, "ask_save_path",
                        lambda _w, _t, suggested, _f: asked.append(suggested) or target)
    _record_ad_outside_break(qtbot, window)
    sid = window.controller.session.sid
    assert sid
    dialog = _expectations_dialog(qtbot, window)
    assert dialog.recording_name().startswith(f"Demo episode · {sid[:8]} · ")
    present = dialog.row_of("present", "AD_OUTSIDE_BREAK")
    assert present >= 0 and dialog.checked(present)
    dialog.set_checked(dialog.row_of("absent", "PLAYHEAD_PAST_LENGTH"), False)
    spin = dialog.table.cellWidget(dialog.row_of("report", "time.content"), 2)
    assert isinstance(spin, QDoubleSpinBox)
    spin.setValue(1.25)
    dialog.name.setText("ad outside a break, clicked")
    qtbot.mouseClick(dialog.findChild(QPushButton, "expectations-save"),
                     Qt.MouseButton.LeftButton)

    assert asked == ["ad-outside-a-break-clicked.yaml"]  # named after the session, not "recorded"
    data = yaml.safe_load(target.read_text())
    assert data["name"] == "ad outside a break, clicked"
    assert [s["do"] for s in data["steps"]].count("seek") == 1  # three clicks, one seek
    want = data["expect"]
    assert "AD_OUTSIDE_BREAK" in want["findings"]["present"]
    assert "PLAYHEAD_PAST_LENGTH" not in want["findings"]["absent"]
    assert "EVENT_AFTER_SESSION_END" in want["findings"]["absent"]
    assert want["statuses"]["adStart"] == 204 and want["statuses"]["sessionStart"] == 201
    assert want["report"]["ads.started"] == 0
    assert want["report"]["time.content"]["tolerance"] == 1.25

    panel = window.scenarios.panel  # in the list at once, selected, ready to replay
    assert window.scenarios.dock.isVisible()
    assert panel.list.currentItem().data(256) == str(target)
    assert panel.list.currentItem().text() == "ad outside a break, clicked (ad.yaml)"
    assert not window.save_recording.isEnabled()

    passed = _replay(qtbot, target)
    assert passed.startswith("PASS "), passed
    met = re.search(r"expectations: (\d+) of (\d+) met", passed)
    assert met and met.group(1) == met.group(2) and int(met.group(2)) > 10, passed

    data["steps"] = [s for s in data["steps"] if s.get("do") != "adStart"]
    without = tmp_path / "without-ad.yaml"
    without.write_text(yaml.safe_dump(data, sort_keys=False))
    parse_scenario(without.read_text(), str(without))  # still a valid file
    failed = _replay(qtbot, without)
    assert failed.startswith("FAIL "), failed
    assert "FAIL finding AD_OUTSIDE_BREAK appears" in failed


def test_cancelling_the_expectations_keeps_the_recording_and_its_edits(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "later.yaml"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    _record_ad_outside_break(qtbot, window)
    _expectations_dialog(qtbot, window).reject()
    banner = window.recording_banner
    assert banner.isVisible() and "not saved" in banner.label.text()
    assert not target.exists() and window.save_recording.isEnabled()
    recovery = window.scenarios.saver.recovery
    assert recovery is not None  # the recovery copy already asserts what was observed
    assert "AD_OUTSIDE_BREAK" in load_scenario(recovery).expect.present

    banner.action.click()
    dialog = _expectations_dialog(qtbot, window)
    dialog.set_all(False)
    dialog.set_checked(dialog.row_of("present", "AD_OUTSIDE_BREAK"), True)
    assert dialog.summary.text() == f"1 of {dialog.table.rowCount()} kept"
    dialog.accept()
    saved = load_scenario(target)
    assert saved.expect.present == ("AD_OUTSIDE_BREAK",)
    assert not saved.expect.absent and not saved.expect.statuses and not saved.expect.report
    assert not banner.isVisible()


def test_an_empty_name_cannot_be_saved(qtbot: QtBot) -> None:
    dialog = ExpectationsDialog("x", [])
    qtbot.addWidget(dialog)
    save = dialog.findChild(QPushButton, "expectations-save")
    dialog.name.setText("  ")
    assert not save.isEnabled()
    dialog.name.setText("mine")
    assert save.isEnabled()


def _answer_file_dialog(choose: Path, seen: list[str]) -> None:
    """When the next file dialog opens: note the folder it starts in, then choose a file."""
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog.directory().absolutePath())
        dialog.selectFile(str(choose))
        dialog.accept()
    QTimer.singleShot(0, answer)


def test_file_dialogs_start_in_the_last_folder_used_for_their_purpose(
        qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    file_dialogs.use_settings(settings)
    parent = QWidget()
    qtbot.addWidget(parent)
    scenarios, hars = tmp_path / "scenarios", tmp_path / "hars"
    scenarios.mkdir()
    hars.mkdir()
    (scenarios / "a.yaml").write_text("name: a\n")
    seen: list[str] = []
    yaml_filter, har_filter = "Scenario files (*.yaml *.yml)", "HAR (*.har)"
    try:
        _answer_file_dialog(scenarios / "a.yaml", seen)
        assert file_dialogs.ask_open_path(parent, "Open", yaml_filter) == scenarios / "a.yaml"
        _answer_file_dialog(hars / "run.har", seen)
        assert file_dialogs.ask_save_path(parent, "Save", "run.har", har_filter) == \
            hars / "run.har"
        _answer_file_dialog(scenarios / "b.yaml", seen)  # saving a scenario: its folder
        assert file_dialogs.ask_save_path(parent, "Save", "b.yaml", yaml_filter) == \
            scenarios / "b.yaml"
        _answer_file_dialog(hars / "again.har", seen)
        file_dialogs.ask_save_path(parent, "Save", "again.har", har_filter)
        assert seen[2:] == [str(scenarios), str(hars)]
        assert settings.value("dialogs/yaml") == str(scenarios)  # kept for the next start
        assert settings.value("dialogs/har") == str(hars)
    finally:
        file_dialogs.use_settings(None)


def test_a_recording_at_60x_with_auto_pings_replays_green(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "fast.yaml"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    speed = window.transport.speed
    speed.setCurrentIndex(speed.findText("60×"))
    window.scenarios.record_action.trigger()
    click(window, "start-session")
    click(window, "event:play")
    pings = lambda: sum(e == "ping" and s.isdigit() for e, s in rows(window))  # noqa: E731
    qtbot.waitUntil(lambda: pings() >= 2, timeout=20000)  # 20 s of content at 60×
    click(window, "event:pauseStart")
    click(window, "event:play")
    qtbot.waitUntil(lambda: pings() >= 3, timeout=20000)
    click(window, "end-session")
    qtbot.waitUntil(lambda: answered(window, len(rows(window))), timeout=5000)
    window.scenarios.record_action.trigger()
    _expectations_dialog(qtbot, window).accept()
    scenario = load_scenario(target)
    assert scenario.options.auto_pings and "ping" in scenario.expect.statuses
    assert "ping" not in [s.do for s in scenario.steps]  # a replay sends its own
    passed = _replay(qtbot, target)
    assert passed.startswith("PASS "), passed


def test_stopping_a_recording_that_sent_nothing_says_so_and_asks_nothing(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: None)
    window.scenarios.record_action.trigger()
    window.scenarios.record_action.trigger()
    assert window.scenarios.saver.dialog is None and window.scenarios.saver.pending is None
    assert window.info_banner.isVisible()
    assert "Nothing was recorded" in window.info_banner.label.text()
