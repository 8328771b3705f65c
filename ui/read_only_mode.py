"""Read-only mode: a past run replaces the live log; nothing can be sent until Back to live."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from inspector.runstore import StoredRun

from .banner import Banner
from .past_run_view import PastRunView

__all__ = ["ReadOnlyMode"]


class ReadOnlyMode(QObject):
    """Switches ``stack`` between its ``live`` page and ``past_run`` (the live session goes on).

    ``live_changed(bool)`` says which one shows (True: live), so the owners of other
    controls (the menus) can follow.
    """

    live_changed = Signal(bool)

    def __init__(self, stack: QStackedWidget, live: QWidget, past_run: PastRunView,
                 banner: Banner, *, disabled: Sequence[QWidget] = (),
                 hidden: Sequence[QWidget] = (), parent: QObject | None = None) -> None:
        """``disabled`` and ``hidden`` are the live controls that read-only mode switches."""
        super().__init__(parent)
        self._stack, self._live, self.past_run, self.banner = stack, live, past_run, banner
        self._disabled, self._hidden = tuple(disabled), tuple(hidden)
        banner.set_closable(False)  # its Back to live is the only way out of a past run

    @property
    def active(self) -> bool:
        return self._stack.currentWidget() is self.past_run

    def shown_run(self) -> StoredRun | None:
        """The past run on show, or None while the live log is."""
        return self.past_run.run if self.active else None

    def open(self, run: StoredRun) -> None:
        """Show ``run`` with a banner that says it is read-only and leads back to live."""
        info = run.info
        self.past_run.show_run(run)
        self._stack.setCurrentWidget(self.past_run)
        self._live_controls(False)
        when = datetime.fromtimestamp(info.started_at).strftime("%Y-%m-%d %H:%M:%S")
        self.banner.show_message(
            f"<b>Read-only: run from {when}</b> — #{info.id} {html.escape(info.name)}, "
            f"{len(run.exchanges):,} exchanges, {info.status}. Nothing can be sent from here; "
            "the live session goes on behind it.", kind="warning", action="Back to live",
            callback=self.back)

    def back(self) -> None:
        """Leave the past run and show the live log again."""
        self._stack.setCurrentWidget(self._live)
        self.banner.hide()
        self._live_controls(True)

    def _live_controls(self, on: bool) -> None:
        for widget in self._disabled:
            widget.setEnabled(on)
        for widget in self._hidden:
            widget.setVisible(on)
        self.live_changed.emit(on)
