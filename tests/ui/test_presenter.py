"""Presenter mode: Ctrl+Alt+P (or View → Presenter mode, or --presenter) gives large type, the
headline metrics always visible, a narration line per event, a legend, replays at 10×."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from inspector.cli import build_parser
from ui.main_window import MainWindow

from helpers import answered, click

KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def test_its_key_turns_presenter_mode_on_and_off_and_gives_everything_back(
        qtbot: QtBot, window: MainWindow) -> None:
    speed = window.scenarios.panel.speed
    before_font, before_speed = window.events.font().pointSizeF(), speed.currentText()
    qtbot.keyClick(window, Qt.Key.Key_P, KEYS)
    presenter = window.presenter
    assert presenter.on and presenter.strip.isVisible()
    assert presenter.strip.window() is window  # on top of the window's column, not apart
    assert window.events.font().pointSizeF() > before_font  # the whole window, not the strip
    assert speed.currentText() == "10×"  # replays at 10× by default
    assert not window.legend.isVisible() and presenter.strip.legend.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_P, KEYS)
    assert not presenter.on and not presenter.strip.isVisible() and window.legend.isVisible()
    assert (window.events.font().pointSizeF(), speed.currentText()) == (before_font, before_speed)


def test_the_view_menu_offers_it(window: MainWindow) -> None:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert isinstance(view, QMenu)
    assert window.presenter.action in view.actions()
    assert window.presenter.action.shortcut().toString() == "Ctrl+Alt+P"


def test_the_narration_says_what_adobe_sees_after_each_event(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.presenter.set_on(True)
    strip = window.presenter.strip
    assert strip.narration.text().startswith("Start a session")
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1), timeout=5000)
    qtbot.waitUntil(lambda: strip.narration.text().startswith("sessionStart: Media start"),
                    timeout=5000)
    assert strip.cards.cards["media_starts"].value.text() == "1"
    click(window, "event:adStart")  # no break open: Adobe ignores it
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    qtbot.waitUntil(lambda: "Adobe ignores this ad" in strip.narration.text(), timeout=5000)
    assert strip.earlier.text().startswith("before: sessionStart: Media start")
    assert strip.cards.cards["ad_starts"].value.text() == "0"


def test_the_command_line_flag_exists() -> None:
    assert build_parser().parse_args(["--presenter"]).presenter is True
    assert build_parser().parse_args([]).presenter is False
