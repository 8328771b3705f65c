"""Standard keys keep their meaning; event shortcuts fire only where they shadow nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from inspector.protocol.catalogue import EVENTS
from ui.main_window import MainWindow

from helpers import answered, click, rows

# The window's actions that *are* a standard key, and which one.
_MEANT = {"Open scenario…": QKeySequence.StandardKey.Open,
          "Settings…": QKeySequence.StandardKey.Preferences,
          "Quit": QKeySequence.StandardKey.Quit,
          "Focus log filter": QKeySequence.StandardKey.Find,
          "New session": QKeySequence.StandardKey.New}


def _standard_keys() -> dict[str, list[str]]:
    taken: dict[str, list[str]] = {}
    for key in QKeySequence.StandardKey:
        for binding in QKeySequence.keyBindings(key):
            taken.setdefault(binding.toString(), []).append(key.name)
    return taken


def _active(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_no_shortcut_of_the_window_shadows_a_standard_key(window: MainWindow) -> None:
    taken = _standard_keys()
    shadows = []
    for action in window.findChildren(QAction):
        for seq in action.shortcuts():
            key, title = seq.toString(), action.text().replace("&", "")
            meant = _MEANT.get(title)
            if key in taken and not (meant and seq in QKeySequence.keyBindings(meant)):
                shadows.append(f"{title}: {key} is {taken[key]}")
    assert not shadows


def test_ctrl_a_in_the_log_selects_every_row_and_sends_nothing(
        qtbot: QtBot, window: MainWindow) -> None:
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    _active(qtbot, window)
    table = window.findChild(QTableView, "log")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=5000)
    QTest.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(table.selectionModel().selectedRows()) == table.model().rowCount() == 2
    assert [event for event, _ in rows(window)] == ["sessionStart", "play"]


def test_space_ticks_a_focused_checkbox_and_plays_elsewhere(
        qtbot: QtBot, window: MainWindow) -> None:
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1), timeout=10000)
    _active(qtbot, window)
    auto_ping = window.findChild(QCheckBox, "auto-ping")
    was = auto_ping.isChecked()
    auto_ping.setFocus()
    qtbot.waitUntil(auto_ping.hasFocus, timeout=5000)
    QTest.keyClick(auto_ping, Qt.Key.Key_Space)
    assert auto_ping.isChecked() is not was
    assert [event for event, _ in rows(window)] == ["sessionStart"]

    window.timeline.setFocus()
    qtbot.waitUntil(window.timeline.hasFocus, timeout=5000)
    QTest.keyClick(window.timeline, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    assert [event for event, _ in rows(window)] == ["sessionStart", "play"]


def test_help_lists_every_shortcut_and_the_readme_every_event_key(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    window.menus.show_shortcuts()
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    for event in (e for e in EVENTS if e.shortcut):
        assert f"<code>{event.shortcut}</code>" in shown[0]
        assert f"`{event.shortcut}` {event.name}" in readme
    for action in window.findChildren(QAction):
        if not action.shortcut().isEmpty() and action.isVisible() and action.text() \
                and action.shortcutContext() is not Qt.ShortcutContext.WidgetShortcut:
            assert f"<code>{action.shortcut().toString()}</code>" in shown[0], action.text()
