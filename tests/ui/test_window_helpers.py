"""The window's helpers built alone from the few widgets they take (no MainWindow)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Iterator

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QLineEdit, QMainWindow, QPushButton, QStackedWidget,
                               QTabWidget, QToolButton, QWidget)
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from inspector.runstore import RunInfo, StoredRun
from tests.inspector._export_samples import sample_exchanges
from ui import file_dialogs
from ui.banner import Banner
from ui.controller import Controller
from ui.export_menu import ExportMenu
from ui.menus import ScenarioItems, ViewTargets, WindowMenus
from ui.past_run_view import PastRunView
from ui.read_only_mode import ReadOnlyMode
from ui.scenarios.recording_saver import RecordingSaver

from conftest import run


def _stored_run() -> StoredRun:
    info = RunInfo(7, "timeline-1", 1767225600.0, 1767225660.0, "finished", 4, {})
    return StoredRun(info, sample_exchanges(), {"completed": True})


@pytest.fixture
def controller(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> Iterator[Controller]:
    """A controller that never sends: nothing here starts a session."""
    c = Controller(Profile(), embedded_url="http://127.0.0.1:9")
    yield c
    run(qtbot, c.aclose())


def test_read_only_mode_swaps_the_page_and_switches_the_live_controls(qtbot: QtBot) -> None:
    stack, live, past, banner = QStackedWidget(), QWidget(), PastRunView(), Banner("ro")
    send, transport = QPushButton("send"), QWidget()
    for widget in (live, past):
        stack.addWidget(widget)
    host = QWidget()
    qtbot.addWidget(host)
    for widget in (stack, banner, send, transport):
        widget.setParent(host)
    host.show()
    mode = ReadOnlyMode(stack, live, past, banner, disabled=(send, transport),
                        hidden=(transport,))
    seen: list[bool] = []
    mode.live_changed.connect(seen.append)

    mode.open(_stored_run())
    assert mode.active and mode.shown_run() is past.run and past.model.rowCount() == 4
    assert not send.isEnabled() and not transport.isVisible()
    assert banner.isVisible() and "#7 timeline-1" in banner.label.text()
    assert banner.action.isVisible() and banner.findChild(QToolButton, "ro-close").isHidden()
    banner.action.click()  # Back to live
    assert not mode.active and mode.shown_run() is None and stack.currentWidget() is live
    assert send.isEnabled() and transport.isVisible() and not banner.isVisible()
    assert seen == [False, True]


def test_export_menu_writes_the_run_on_show_and_says_when_there_is_nothing(
        qtbot: QtBot, controller: Controller, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    shown: list[StoredRun | None] = [None]
    menu = ExportMenu(parent, settings, controller, shown_run=lambda: shown[0],
                      outcomes=lambda: [])
    messages: list[tuple[str, str]] = []
    statuses: list[str] = []
    menu.message.connect(lambda text, kind: messages.append((text, kind)))
    menu.status.connect(lambda text, _ms: statuses.append(text))
    target = tmp_path / "run.har"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)

    menu.actions["har"].trigger()  # the live log is empty
    assert messages == [("Nothing to export yet: the log is empty.", "warning")]
    assert not target.exists()
    shown[0] = _stored_run()
    menu.actions["har"].trigger()
    har = json.loads(target.read_text())["log"]
    assert len(har["entries"]) == 4 and "run #7 timeline-1" in har["comment"]
    assert statuses == [f"Exported 4 exchanges to {target}"]
    assert [a.objectName() for a in menu.menu_actions()] == [
        "export-har", "export-json", "export-junit", "export-curl", "export-evidence",
        "export-redact"]


def test_menus_follow_read_only_mode_and_ask_the_window_for_back_to_live(
        qtbot: QtBot, controller: Controller, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    timeline, tabs, report = QWidget(window), QTabWidget(window), QWidget()
    tabs.addTab(report, "Report")
    saver = RecordingSaver(window, Banner("rec", window), tmp_path)
    menus = WindowMenus(
        window, window.menuBar(), controller, send_event=lambda name: None,
        view=ViewTargets(timeline, QWidget(window), tabs, report, QCheckBox(window),
                         QLineEdit(window)),
        scenarios=ScenarioItems(QAction("Record", window), lambda: None, saver,
                                lambda menu, toolbar: None),
        export_actions=[])
    window.show()
    asked: list[bool] = []
    menus.back_to_live_requested.connect(lambda: asked.append(True))
    sends = [a for a in _leaves(menus.session_menu.actions()) if a.text() == "play"]
    assert len(sends) == 1 and sends[0].isEnabled()

    menus.set_live(False)
    assert not sends[0].isEnabled() and not timeline.isVisible()
    assert not any(a.isEnabled() for a in _leaves(menus.session_menu.actions()))
    menus.back_to_live_action.trigger()
    assert asked == [True]
    menus.timeline_action.setChecked(False)  # hidden by the user while read-only
    menus.set_live(True)
    assert sends[0].isEnabled() and not menus.back_to_live_action.isEnabled()
    assert not timeline.isVisible()  # stays as the View menu says


def _leaves(actions: list[QAction]) -> list[QAction]:
    found: list[QAction] = []
    for action in actions:
        sub = action.menu()
        found.extend(_leaves(sub.actions()) if sub is not None else [action])
    return found
