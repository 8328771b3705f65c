"""The window's menu bar (File, Session, View, Help) and the scenario toolbar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar

from inspector.protocol.catalogue import EVENTS, GROUPS

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["WindowMenus", "add_action"]


def add_action(menu: QMenu, title: str, slot: object, shortcut: object = None,
               tip: str = "") -> QAction:
    """Add ``title`` to ``menu``, triggering ``slot``, with an optional shortcut and tip."""
    action = menu.addAction(title)
    action.triggered.connect(slot)  # type: ignore[arg-type]
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))  # type: ignore[arg-type]
    if tip:
        action.setStatusTip(tip)
    return action


def _actions_of(menu: QMenu) -> list[QAction]:
    """Every action of ``menu`` and its submenus, the submenus' own entries left out."""
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        found.extend(_actions_of(sub) if isinstance(sub, QMenu) else [action])
    return found


class WindowMenus(QObject):
    """Builds ``window``'s menus; keeps the actions other parts of the window switch."""

    def __init__(self, window: MainWindow, export_actions: Sequence[QAction]) -> None:
        super().__init__(window)
        self.window = window
        self._export_actions = list(export_actions)
        bar = window.menuBar()
        self._file_menu(bar.addMenu("&File"))
        self.session_menu = bar.addMenu("&Session")
        self._session_menu(self.session_menu)
        self._view_menu(bar.addMenu("&View"))
        help_menu = bar.addMenu("&Help")
        add_action(help_menu, "Keyboard shortcuts", self.show_shortcuts)
        add_action(help_menu, "About Media Inspector", self.about)

    def _file_menu(self, menu: QMenu) -> None:
        w = self.window
        add_action(menu, "Settings…", w.open_settings, QKeySequence.StandardKey.Preferences)
        menu.addSeparator()
        add_action(menu, "Open scenario…", w.scenarios.open_file, QKeySequence.StandardKey.Open)
        self.save_recording = add_action(menu, "Save recording…", w.scenarios.saver.save)
        self.save_recording.setEnabled(False)
        w.scenarios.saver.pending_changed.connect(self.save_recording.setEnabled)
        menu.addSeparator()
        menu.addActions(self._export_actions)
        menu.addSeparator()
        add_action(menu, "Quit", w.close, QKeySequence.StandardKey.Quit)

    def _session_menu(self, session: QMenu) -> None:
        w, c = self.window, self.window.controller
        session.addAction(w.scenarios.record_action)
        session.addSeparator()
        add_action(session, "Start session", c.start_session, "Ctrl+Shift+S")
        add_action(session, "End session", w.end_session, "Ctrl+Shift+E")
        add_action(session, "New session", lambda: c.new_session(False), "Ctrl+N")
        add_action(session, "New session (media.resume)", lambda: c.new_session(True),
                   "Ctrl+Shift+N")
        session.addSeparator()
        add_action(session, "Send unsent events on a new session", c.send_unsent)
        add_action(session, "Discard unsent events", c.discard_unsent)
        session.addSeparator()
        self._event_menus(session)

    def _event_menus(self, session: QMenu) -> None:
        w = self.window
        for group in GROUPS:
            menu = session.addMenu(group)
            for event in (e for e in EVENTS if e.group == group):
                if event.name in ("sessionStart", "sessionEnd"):
                    menu.addAction(event.name).setShortcut(QKeySequence(event.shortcut))
                    menu.actions()[-1].triggered.connect(
                        w.controller.start_session if event.name == "sessionStart"
                        else w.end_session)
                    menu.actions()[-1].setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                    continue  # their window shortcuts live on the Session menu items
                add_action(menu, event.name,
                           lambda _=False, n=event.name: w.events.on_event_clicked(n),
                           event.shortcut or None, event.description)

    def _view_menu(self, menu: QMenu) -> None:
        w = self.window
        for title, widget in (("Timeline", w.timeline), ("Events panel", w.events),
                              ("Detail and report", w.bottom_tabs)):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(widget.setVisible)
            if widget is w.timeline:
                self.timeline_action = action
        menu.addSeparator()
        toolbar = QToolBar("Scenarios", w, objectName="scenario-toolbar", movable=False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        w.scenarios.add_to(menu, toolbar)
        self.back_to_live_action = add_action(menu, "Back to live", w.back_to_live)
        self.back_to_live_action.setEnabled(False)
        menu.addSeparator()
        self._follow_action(menu)
        add_action(menu, "Show report", lambda: w.bottom_tabs.setCurrentWidget(w.report),
                   "Ctrl+Shift+R")
        add_action(menu, "Focus log filter", w.log.search.setFocus,
                   QKeySequence.StandardKey.Find)

    def _follow_action(self, menu: QMenu) -> None:
        follow = menu.addAction("Follow tail")
        follow.setCheckable(True)
        follow.setChecked(True)
        follow.toggled.connect(self.window.log.follow.setChecked)
        self.window.log.follow.toggled.connect(follow.setChecked)

    def set_live(self, on: bool) -> None:
        """Follow read-only mode: off while a past run shows, so nothing can be sent."""
        self.window.timeline.setVisible(on and self.timeline_action.isChecked())
        self.back_to_live_action.setEnabled(not on)
        for action in _actions_of(self.session_menu):  # their shortcuts would still send
            action.setEnabled(on)

    def show_shortcuts(self) -> None:
        """The event shortcuts, in a message box."""
        rows = "".join(f"<tr><td><code>{e.shortcut}</code></td><td>{e.name}</td></tr>"
                       for e in EVENTS if e.shortcut)
        QMessageBox.information(self.window, "Keyboard shortcuts", f"<table>{rows}</table>")

    def about(self) -> None:
        """What Media Inspector is, in a message box."""
        QMessageBox.about(self.window, "About Media Inspector",
                          "<b>Media Inspector</b><br>Simulates a media player against Adobe's "
                          "Media Collection API and shows every request, response, sid and "
                          "sequence warning.")
