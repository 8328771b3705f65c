"""One button per event type of the catalogue, grouped as the catalogue groups them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QPushButton, QVBoxLayout, QWidget

from inspector.protocol.catalogue import EVENTS, GROUPS, EventType

__all__ = ["EventButtons", "tooltip_for"]

_COLUMNS = 3


def tooltip_for(event: EventType) -> str:
    """The catalogue's description, with the keyboard shortcut when there is one."""
    shortcut = f"  ({event.shortcut})" if event.shortcut else ""
    return f"<b>{event.name}</b>{shortcut}<br>{event.description}"


class EventButtons(QWidget):
    """``clicked(event_type)`` when a button is pressed; objectName ``event:<eventType>``."""

    clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for group in GROUPS:
            layout.addWidget(self._group(group))
        layout.addStretch(1)

    def _group(self, group: str) -> QGroupBox:
        box = QGroupBox(group)
        grid = QGridLayout(box)
        grid.setContentsMargins(6, 4, 6, 6)
        grid.setSpacing(4)
        members = [e for e in EVENTS if e.group == group]
        for i, event in enumerate(members):
            button = QPushButton(event.name, objectName=f"event:{event.name}")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
            button.setToolTip(tooltip_for(event))
            # A click leaves the focus where it was, so Space and P stay the player's keys.
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, name=event.name: self.clicked.emit(name))
            self.buttons[event.name] = button
            grid.addWidget(button, i // _COLUMNS, i % _COLUMNS)
        return box
