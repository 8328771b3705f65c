"""The window's menu bar (File, Session, View, Help) and the scenario toolbar."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QAbstractButton, QMenu, QMenuBar, QMessageBox, QTabWidget,
                               QToolBar, QWidget)

from inspector import __version__
from inspector.logfile import log_path
from inspector.protocol.catalogue import EVENTS, GROUPS

from .capture_opener import CaptureOpener
from .controller import Controller
from .scenarios.recording_saver import RecordingSaver
from .shortcuts import BareKeyGuard, shortcut_rows

__all__ = ["ScenarioItems", "ViewTargets", "WindowMenus", "add_action"]

Shortcut = str | QKeySequence | QKeySequence.StandardKey
_EVENT_KEYS = {event.name: event.shortcut for event in EVENTS}


def add_action(menu: QMenu, title: str, slot: Callable[..., object],
               shortcut: Shortcut | None = None, tip: str = "") -> QAction:
    """Add ``title`` to ``menu``, triggering ``slot``, with an optional shortcut and tip."""
    action = menu.addAction(title)
    action.triggered.connect(slot)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    return action


@dataclass(frozen=True)
class ViewTargets:
    """What the View menu shows, hides and focuses."""

    timeline: QWidget
    events: QWidget
    tabs: QTabWidget  # detail and report
    report: QWidget  # a page of ``tabs``
    follow: QAbstractButton  # the log's "follow tail" toggle
    search: QWidget  # the log filter


@dataclass(frozen=True)
class ScenarioItems:
    """What the scenario docks put on the menus and the toolbar."""

    record: QAction
    open_file: Callable[[], None]
    saver: RecordingSaver
    add_to: Callable[[QMenu, QToolBar], None]  # the dock toggles onto a menu and the toolbar


def _actions_of(menu: QMenu) -> list[QAction]:
    """Every action of ``menu`` and its submenus, the submenus' own entries left out."""
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        found.extend(_actions_of(sub) if isinstance(sub, QMenu) else [action])
    return found


class WindowMenus(QObject):
    """Fills ``bar`` and builds :attr:`toolbar` (for the window to place).

    Session items drive ``controller``; event items go through ``send_event`` (which knows
    "Edit before sending"). What only the window can do is asked for with
    ``settings_requested`` and ``back_to_live_requested``. ``parent`` owns the message
    boxes, and Quit closes it.
    """

    settings_requested = Signal()
    back_to_live_requested = Signal()
    migration_requested = Signal()  # View → Migration view… (spec §9)

    def __init__(self, parent: QWidget, bar: QMenuBar, controller: Controller, *,
                 send_event: Callable[[str], None], view: ViewTargets,
                 scenarios: ScenarioItems, export_actions: Sequence[QAction]) -> None:
        super().__init__(parent)
        self._parent, self._controller, self._view = parent, controller, view
        self._bar = bar
        BareKeyGuard(self)
        self._send_event = send_event
        self.toolbar = QToolBar("Scenarios", parent)
        self.toolbar.setObjectName("scenario-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.file_menu = bar.addMenu("&File")  # the window adds its own items (Compare…)
        self._file_menu(self.file_menu, scenarios, export_actions)
        self.session_menu = bar.addMenu("&Session")
        self._session_menu(self.session_menu, scenarios.record)
        self._view_menu(bar.addMenu("&View"), scenarios)
        help_menu = self.help_menu = bar.addMenu("&Help")
        add_action(help_menu, "Keyboard shortcuts", self.show_shortcuts)
        add_action(help_menu, "Open log file", self.open_log_file)
        add_action(help_menu, "About Media Inspector", self.about)

    def _file_menu(self, menu: QMenu, scenarios: ScenarioItems,
                   export_actions: Sequence[QAction]) -> None:
        add_action(menu, "Settings…", self.settings_requested.emit,
                   QKeySequence.StandardKey.Preferences)
        menu.addSeparator()
        add_action(menu, "Open scenario…", scenarios.open_file, QKeySequence.StandardKey.Open)
        self.capture_opener = CaptureOpener(self._parent)  # the window shows what it opens
        self.open_capture_action = add_action(menu, "Open capture…",
                                              self.capture_opener.open_file)
        self.save_recording = add_action(menu, "Save recording…", scenarios.saver.save)
        self.save_recording.setEnabled(False)
        scenarios.saver.pending_changed.connect(self.save_recording.setEnabled)
        menu.addSeparator()
        menu.addActions(list(export_actions))
        menu.addSeparator()
        add_action(menu, "Quit", self._parent.close, QKeySequence.StandardKey.Quit)

    def _session_menu(self, session: QMenu, record: QAction) -> None:
        c = self._controller
        session.addAction(record)
        session.addSeparator()
        add_action(session, "Start session", c.start_session, _EVENT_KEYS["sessionStart"])
        add_action(session, "End session", self._end_session, _EVENT_KEYS["sessionEnd"])
        add_action(session, "New session", lambda: c.new_session(False), "Ctrl+N")
        add_action(session, "New session (media.resume)", lambda: c.new_session(True),
                   "Ctrl+Shift+N")
        session.addSeparator()
        add_action(session, "Send unsent events on a new session", c.send_unsent)
        add_action(session, "Discard unsent events", c.discard_unsent)
        session.addSeparator()
        self._event_menus(session)

    def _event_menus(self, session: QMenu) -> None:
        for group in GROUPS:
            menu = session.addMenu(group)
            for event in (e for e in EVENTS if e.group == group):
                if event.name in ("sessionStart", "sessionEnd"):
                    action = menu.addAction(event.name)
                    action.setShortcut(QKeySequence(event.shortcut))
                    action.triggered.connect(self._controller.start_session
                                             if event.name == "sessionStart"
                                             else self._end_session)
                    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                    continue  # their window shortcuts live on the Session menu items
                add_action(menu, event.name,
                           lambda _=False, n=event.name: self._send_event(n),
                           event.shortcut or None, event.description)

    def _end_session(self) -> None:
        self._controller.send_event("sessionEnd")

    def _view_menu(self, menu: QMenu, scenarios: ScenarioItems) -> None:
        v = self._view
        for title, widget in (("Timeline", v.timeline), ("Events panel", v.events),
                              ("Detail and report", v.tabs)):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(widget.setVisible)
            if widget is v.timeline:
                self.timeline_action = action
        menu.addSeparator()
        scenarios.add_to(menu, self.toolbar)
        self.back_to_live_action = add_action(menu, "Back to live",
                                              self.back_to_live_requested.emit)
        self.back_to_live_action.setEnabled(False)
        menu.addSeparator()
        self._follow_action(menu)
        add_action(menu, "Show report", lambda: v.tabs.setCurrentWidget(v.report),
                   "Ctrl+Shift+R")
        add_action(menu, "Focus log filter", v.search.setFocus, QKeySequence.StandardKey.Find)
        add_action(menu, "Migration view…", self.migration_requested.emit,
                   tip="A session's classic calls beside their Media Edge equivalents (§9)")

    def _follow_action(self, menu: QMenu) -> None:
        follow = menu.addAction("Follow tail")
        follow.setCheckable(True)
        follow.setChecked(True)
        follow.toggled.connect(self._view.follow.setChecked)
        self._view.follow.toggled.connect(follow.setChecked)

    def set_live(self, on: bool) -> None:
        """Follow read-only mode: off while a past run shows, so nothing can be sent."""
        self._view.timeline.setVisible(on and self.timeline_action.isChecked())
        self.back_to_live_action.setEnabled(not on)
        for action in _actions_of(self.session_menu):  # their shortcuts would still send
            action.setEnabled(on)

    def show_shortcuts(self) -> None:
        """Every shortcut of the window, where it lives, in a message box."""
        rows = "".join(f"<tr><td><code>{key}</code></td><td>{what}</td><td>{where}</td></tr>"
                       for where, what, key in shortcut_rows(self._parent, self._bar))
        note = ("<p>Space, P and B act as a player's keys except where the focused control "
                "uses the key itself (a checkbox, a list, a text field).</p>")
        QMessageBox.information(self._parent, "Keyboard shortcuts",
                                f"<table>{rows}</table>{note}")

    def open_log_file(self) -> None:
        """The app's log file in the desktop's viewer, or where it would be if none yet."""
        path = log_path()
        if not path.exists():
            QMessageBox.information(self._parent, "Log file",
                                    f"Nothing has been logged yet. The log file will be:<br>"
                                    f"<code>{html.escape(str(path))}</code>")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def about(self) -> None:
        """What Media Inspector is, in a message box."""
        QMessageBox.about(self._parent, "About Media Inspector",
                          f"<b>Media Inspector</b> {__version__}<br>Simulates a media "
                          "player against Adobe's Media Collection API and shows every "
                          "request, response, sid and sequence warning.<br>MIT licence.")
