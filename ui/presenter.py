"""Presenter mode (View → Presenter mode, Ctrl+Alt+P, or ``media-inspector --presenter``).

Large type, the presenter strip on top (headline metrics always visible, a narration line,
the colour legend), replays at 10× by default. Every control keeps its keyboard shortcut;
Ctrl+Alt+P turns the mode off again and gives back the fonts and speeds it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QMenu, QTableView

from .presenter_strip import PresenterStrip

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["PresenterMode", "PRESENTER_SHORTCUT", "PRESENTER_SPEED", "PRESENTER_POINTS"]

PRESENTER_SHORTCUT = "Ctrl+Alt+P"  # F5 would shadow the standard Refresh key
PRESENTER_SPEED = 10.0  # replays at 10×: a 90 s timeline plays in 9 s
PRESENTER_POINTS = 14  # the window's type in presenter mode (9 pt normally)


class PresenterMode(QObject):
    """Turns a :class:`MainWindow` into a projector-friendly view and back."""

    toggled = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.strip = PresenterStrip()
        self.strip.hide()
        self.action = QAction("Presenter mode", window, checkable=True,  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                              objectName="presenter-action")
        self.action.setShortcut(QKeySequence(PRESENTER_SHORTCUT))
        self.action.setStatusTip("Large type, what Adobe sees after each event, the headline "
                                 "metrics always visible; replays at 10×")
        self.action.toggled.connect(self.set_on)
        self._sheet: str | None = None  # the window's own style sheet while on
        self._sizes: tuple[list[int], list[int]] | None = None  # the splitters' before
        self._replay_speed: int | None = None
        window.controller.changed.connect(self.refresh)
        self._install()

    @property
    def on(self) -> bool:
        return self._sheet is not None

    def _install(self) -> None:
        """The strip on top of the window, the toggle on its View menu and on the window
        itself (so the shortcut works with the menus shut)."""
        w = self.window
        layout = w.column.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, self.strip)
        w.addAction(self.action)
        menu = next((a.menu() for a in w.menuBar().actions() if a.text() == "&View"), None)
        if isinstance(menu, QMenu):
            menu.addSeparator()
            menu.addAction(self.action)

    def set_on(self, on: bool) -> None:
        """Enter or leave presenter mode."""
        if on == self.on:
            return
        w = self.window
        if on:
            self._sheet = w.styleSheet()
            # A window-wide style sheet, not setFont: the app's style sheet stops font
            # propagation; the strip's labels keep their own sizes (their sheets win).
            # The timeline paints its own small labels in a fixed height: keep them legible.
            w.setStyleSheet(f"{self._sheet}\nQWidget {{ font-size: {PRESENTER_POINTS}pt; }}"
                            "\n#timeline { font-size: 10pt; }")
            self._set_replay_speed(PRESENTER_SPEED)
            self._make_room()
        else:
            w.setStyleSheet(self._sheet or "")
            self._sheet = None
            self._restore_replay_speed()
            self._give_room_back()
        self.strip.setVisible(on)
        w.legend.setVisible(not on)  # the strip has its own, larger legend
        self.action.setChecked(on)
        self.refresh()
        self.toggled.emit(on)

    def _make_room(self) -> None:
        """Wider event buttons, and the whole log, for the larger type."""
        w = self.window
        self._sizes = (w.main_splitter.sizes(), w.log_splitter.sizes())
        total = sum(self._sizes[0])
        w.main_splitter.setSizes([min(640, total // 3), total - min(640, total // 3)])
        # The detail pane folds away (its handle drags it back): the room sees the log.
        w.log_splitter.setSizes([sum(self._sizes[1]), 0])
        self._scale_log_columns(PRESENTER_POINTS / 9)

    def _scale_log_columns(self, factor: float) -> None:
        table = self.window.findChild(QTableView, "log")
        if table is not None:
            for column in range(table.model().columnCount() - 1):  # the last one stretches
                table.setColumnWidth(column, round(table.columnWidth(column) * factor))

    def _give_room_back(self) -> None:
        self._scale_log_columns(9 / PRESENTER_POINTS)
        if self._sizes is not None:
            self.window.main_splitter.setSizes(self._sizes[0])
            self.window.log_splitter.setSizes(self._sizes[1])
            self._sizes = None

    def _set_replay_speed(self, factor: float) -> None:
        combo = self.window.scenarios.panel.speed
        index = combo.findData(factor)
        if index >= 0:
            self._replay_speed = combo.currentIndex()
            combo.setCurrentIndex(index)

    def _restore_replay_speed(self) -> None:
        if self._replay_speed is not None:
            self.window.scenarios.panel.speed.setCurrentIndex(self._replay_speed)
            self._replay_speed = None

    def refresh(self) -> None:
        """Show the session's figures and the latest note (only while on)."""
        if not self.on:
            return
        report = self.window.controller.session.report
        self.strip.cards.show_metrics(report.to_dict()["metrics"])
        self.strip.show_notes(report.notes)

