"""The window's menus: the Help actions and the Session menu's shortcuts."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from ui.main_window import MainWindow


def _action(window: MainWindow, menu: str, title: str) -> Any:
    bar = next(a.menu() for a in window.menuBar().actions() if a.text() == menu)
    return next(a for a in bar.actions() if a.text() == title)


def test_help_actions_open_their_message_boxes(window: MainWindow,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[Any, str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[:3]))
    monkeypatch.setattr(QMessageBox, "about", lambda *a: shown.append(a[:3]))
    _action(window, "&Help", "Keyboard shortcuts").trigger()
    _action(window, "&Help", "About Media Inspector").trigger()
    assert [(parent, title) for parent, title, _ in shown] == [
        (window, "Keyboard shortcuts"), (window, "About Media Inspector")]
    assert "<code>Space</code></td><td>play" in shown[0][2]


def test_session_menu_keeps_its_shortcuts_and_the_window_its_actions(
        window: MainWindow) -> None:
    assert _action(window, "&Session", "Start session").shortcut().toString() == "Ctrl+Shift+O"
    assert _action(window, "&Session", "End session").shortcut().toString() == "Ctrl+Shift+E"
    assert window.session_menu is window.menus.session_menu
    assert not window.save_recording.isEnabled() and not window.back_to_live_action.isEnabled()
    assert window.timeline_action.isChecked()


def test_open_log_file_says_where_it_will_be_before_anything_is_logged(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("MEDIA_INSPECTOR_LOG_DIR", str(tmp_path / "logs"))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    _action(window, "&Help", "Open log file").trigger()
    assert str(tmp_path / "logs" / "media-inspector.log") in shown[0]
