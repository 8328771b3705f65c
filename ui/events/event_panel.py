"""The events area: grouped event buttons above the composer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QScrollArea, QSplitter, QVBoxLayout, QWidget

from ..controller import Controller
from .composer import Composer
from .event_buttons import EventButtons

__all__ = ["EventPanel"]


class EventPanel(QWidget):
    """A click sends at once with the player's defaults, unless "Edit before sending" is on."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.buttons = EventButtons()
        self.edit_first = QCheckBox("Edit before sending", objectName="edit-before-send")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.edit_first.setToolTip("When on, an event button opens the event in the composer "
                                   "below instead of sending it at once.")
        self.composer = Composer(controller)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.buttons)
        top_layout.addWidget(self.edit_first)
        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="events-splitter")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        scroll = QScrollArea(widgetResizable=True, objectName="event-buttons-scroll")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(top)
        scroll.setMinimumHeight(120)  # the window still fits 1280x720 (test_window_layout)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.composer)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.buttons.clicked.connect(self.on_event_clicked)

    def on_event_clicked(self, event_type: str) -> None:
        if self.edit_first.isChecked():
            self.composer.load_event(event_type)
            self.composer.setFocus()
        else:
            self.controller.send_event(event_type)
