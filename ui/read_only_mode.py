"""Read-only mode: a past run replaces the live log; nothing can be sent until Back to live."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from inspector.runstore import StoredRun

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["ReadOnlyMode"]


def _actions_of(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        found.extend(_actions_of(sub) if isinstance(sub, QMenu) else [action])
    return found


class ReadOnlyMode(QObject):
    """Switches ``window`` between its live log and a past run (the live session goes on)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @property
    def active(self) -> bool:
        return self.window.log_stack.currentWidget() is self.window.past_run

    def open(self, run: StoredRun) -> None:
        """Show ``run`` with a banner that says it is read-only and leads back to live."""
        w, info = self.window, run.info
        w.past_run.show_run(run)
        w.log_stack.setCurrentWidget(w.past_run)
        self._live_controls(False)
        when = datetime.fromtimestamp(info.started_at).strftime("%Y-%m-%d %H:%M:%S")
        w.readonly_banner.show_message(
            f"<b>Read-only: run from {when}</b> — #{info.id} {html.escape(info.name)}, "
            f"{len(run.exchanges):,} exchanges, {info.status}. Nothing can be sent from here; "
            "the live session goes on behind it.", kind="warning", action="Back to live",
            callback=self.back)

    def back(self) -> None:
        """Leave the past run and show the live log again."""
        w = self.window
        w.log_stack.setCurrentWidget(w.log_splitter)
        w.readonly_banner.hide()
        self._live_controls(True)

    def _live_controls(self, on: bool) -> None:
        w = self.window
        for widget in (w.events, w.session_bar, w.endpoint_bar, w.transport):
            widget.setEnabled(on)
        w.transport.setVisible(on)
        w.timeline.setVisible(on and w.timeline_action.isChecked())
        w.back_to_live_action.setEnabled(not on)
        for action in _actions_of(w.session_menu):  # their shortcuts would still send
            action.setEnabled(on)
