"""Time warp: jump the session ahead to see the backend's 10- and 30-minute expiries now.

The jump moves the one session clock, so the player, the advisor, the timeline and (when it
is the target) the embedded backend all see it; a 410 follows from the backend itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QToolBar, QToolButton, QWidget

from .controller import Controller

__all__ = ["TimeWarp", "WARPS"]

# (label, seconds, shortcut): Ctrl+Alt+digit shadows no standard key.
WARPS = (("+1 min", 60, "Ctrl+Alt+1"), ("+10 min", 600, "Ctrl+Alt+2"),
         ("+30 min", 1800, "Ctrl+Alt+3"))
_CUSTOM_SHORTCUT = "Ctrl+Alt+0"


class TimeWarp(QObject):
    """The warp actions (a menu and a toolbar button); ``parent`` hosts the custom dialog."""

    def __init__(self, controller: Controller, parent: QWidget) -> None:
        super().__init__(parent)
        self._controller, self._parent = controller, parent
        self.menu = QMenu("Time &warp", parent)
        self.menu.setObjectName("time-warp-menu")
        self.as_player = QAction("Warp as the player would (send its pings)", self)
        self.as_player.setCheckable(True)
        self.as_player.setObjectName("warp-as-player")
        self.as_player.setToolTip(
            "Off: the player is silent during the jump, as a frozen app would be (10-minute "
            "idle expiry). On: its pings are sent at their instants, the playhead moving only "
            "while content plays (a paused player meets the 30-minute expiry).")
        self.actions: list[QAction] = []
        for label, seconds, keys in WARPS:
            self._add(label, keys, lambda _=False, s=seconds: self.warp(s))
        self.menu.addSeparator()
        self._add("Custom…", _CUSTOM_SHORTCUT, lambda _=False: self.ask())
        self.menu.addSeparator()
        self.menu.addAction(self.as_player)

    def _add(self, label: str, keys: str, slot: object) -> None:
        action = QAction(f"Jump {label}" if label.startswith("+") else label, self)
        action.setObjectName(f"warp:{label}")
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"Move the session's simulated time ahead ({keys})")
        action.triggered.connect(slot)
        self.menu.addAction(action)
        self.actions.append(action)

    def add_to(self, menu: QMenu, toolbar: QToolBar) -> None:
        """Put the warp submenu on ``menu`` and a drop-down button on ``toolbar``."""
        menu.addMenu(self.menu)
        button = QToolButton()
        button.setObjectName("warp-button")
        button.setText("Warp ahead")
        button.setToolTip("Jump ahead in simulated time to see the backend's expiries")
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        toolbar.addWidget(button)

    def warp(self, seconds: float) -> None:
        self._controller.warp(seconds, as_player=self.as_player.isChecked())

    def ask(self) -> None:
        minutes, ok = QInputDialog.getDouble(self._parent, "Time warp",
                                             "Jump ahead by (minutes):", 5.0, 0.01, 1440.0, 2)
        if ok:
            self.warp(minutes * 60)
