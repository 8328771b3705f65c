"""Scenarios in the window: record clicks into YAML, replay it and a built-in at max speed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from inspector.scenario import load_scenario, resolve
from ui import file_dialogs
from ui.main_window import MainWindow

from helpers import answered, click, rows

CLICKS = ["start-session", "event:play", "event:pauseStart", "event:play", "end-session"]
EVENTS = ["sessionStart", "play", "pauseStart", "play", "sessionEnd"]


def _record_clicks(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.scenarios.record_action.trigger()
    assert window.scenarios.panel.record.isChecked()
    for count, name in enumerate(CLICKS, 1):
        click(window, name)
        qtbot.waitUntil(lambda n=count: answered(window, n), timeout=5000)


def _accept_expectations(qtbot: QtBot, window: MainWindow) -> None:
    """The expectations dialog opens when recording stops: keep its defaults, Save."""
    saver = window.scenarios.saver
    qtbot.waitUntil(lambda: saver.dialog is not None and saver.dialog.isVisible(), timeout=5000)
    assert saver.dialog is not None
    saver.dialog.accept()


def _replay(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.scenarios.panel
    panel.speed.setCurrentIndex(panel.speed.findText("max"))
    click(window, "scenario-replay")
    qtbot.waitUntil(lambda: not panel.stop.isEnabled() and panel.replay.isEnabled()
                    and bool(window.scenarios.outcomes), timeout=10000)


def test_recorded_clicks_save_as_yaml_that_replays_to_the_same_events(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "mine" / "clicked.yaml"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    _record_clicks(qtbot, window)
    window.scenarios.record_action.trigger()  # stop: the save dialog answers `target`
    assert not window.scenarios.panel.record.isChecked()
    _accept_expectations(qtbot, window)
    scenario = load_scenario(target)
    assert [s.event_type for s in scenario.steps] == EVENTS
    assert not window.recording_banner.isVisible()

    monkeypatch.setattr(file_dialogs, "ask_open_path", lambda *a: target)
    window.scenarios.open_file()
    assert window.scenarios.dock.isVisible()
    before = len(rows(window))
    _replay(qtbot, window)
    qtbot.waitUntil(lambda: answered(window, before + len(EVENTS)), timeout=5000)
    replayed = rows(window)[before:]
    assert [e for e, _ in replayed] == EVENTS
    assert [s for _, s in replayed] == ["201", "204", "204", "204", "204"]
    outcome = window.scenarios.outcomes[-1]  # replayed in the window, it asserts there too
    assert outcome.ok and len(outcome.expectations) > 10, outcome.failures


def test_a_cancelled_save_keeps_the_recording_and_offers_it_again(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: None)
    _record_clicks(qtbot, window)
    window.scenarios.record_action.trigger()
    _accept_expectations(qtbot, window)  # then the file dialog is cancelled
    banner = window.recording_banner
    assert banner.isVisible() and "not saved" in banner.label.text()
    assert window.save_recording.isEnabled()
    recovery = window.scenarios.saver.recovery
    assert recovery is not None and recovery.is_file()
    assert [s.event_type for s in load_scenario(recovery).steps] == EVENTS

    target = tmp_path / "later.yaml"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    banner.action.click()
    _accept_expectations(qtbot, window)
    assert [s.event_type for s in load_scenario(target).steps] == EVENTS
    assert not banner.isVisible() and not window.save_recording.isEnabled()


@pytest.mark.parametrize(("name", "banner"), [("ad-outside-break", "ad_banner"),
                                              ("abandoned-session-expires", "gone_banner")])
def test_replaying_a_builtin_fills_the_log_and_meets_its_expectations(
        qtbot: QtBot, window: MainWindow, name: str, banner: str) -> None:
    scenario = load_scenario(resolve(name))
    panel = window.scenarios.panel
    window.scenarios.dock.show()
    panel.list.setCurrentItem(panel.list.findItems(name, Qt.MatchFlag.MatchExactly)[0])
    _replay(qtbot, window)
    qtbot.waitUntil(lambda: answered(window, len(rows(window))), timeout=5000)
    sent = [e for e, _ in rows(window) if e != "ping" or not scenario.options.auto_pings]
    assert sent == [s.event_type for s in scenario.steps]
    outcome = window.scenarios.outcomes[-1]
    assert outcome.name == name and outcome.ok, outcome.failures
    assert getattr(window, banner).isVisible()  # the demo shows what a user would see
    assert window.controller.clock.speed == 1.0  # the transport's speed again after the replay


def test_the_transport_shows_the_replays_speed_while_it_runs(
        qtbot: QtBot, window: MainWindow) -> None:
    panel, speed = window.scenarios.panel, window.transport.speed
    speed.setCurrentIndex(speed.findText("2×"))
    assert window.controller.clock.speed == 2.0
    during: list[tuple[str, bool, float | None]] = []
    panel.replay_started.connect(  # after the window's own slot
        lambda *_: during.append((speed.currentText(), speed.isEnabled(),
                                 window.controller.clock.speed)))
    panel.list.setCurrentItem(panel.list.findItems("ad-outside-break",
                                                   Qt.MatchFlag.MatchExactly)[0])
    _replay(qtbot, window)
    assert during == [("max", False, None)]
    assert (speed.currentText(), speed.isEnabled()) == ("2×", True)
    assert window.controller.clock.speed == 2.0  # the user's speed again after the replay


def test_opening_a_bad_scenario_file_says_where_and_adds_nothing(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsteps:\n  - {at: 0, do: sessionStrat}\n")
    monkeypatch.setattr(file_dialogs, "ask_open_path", lambda *a: bad)
    count = window.scenarios.panel.list.count()
    window.scenarios.open_file()
    assert window.scenarios.panel.list.count() == count
    text = window.info_banner.label.text()
    assert window.info_banner.isVisible() and "bad.yaml:3" in text and "sessionStart" in text
