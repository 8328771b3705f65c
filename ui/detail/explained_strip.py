"""The "Explained" strip: a 400's fields, each with the schema rule it broke (issue 17);
a click selects that field in the request body."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from inspector.explain400 import Explained

__all__ = ["ExplainedStrip"]


class ExplainedStrip(QFrame):
    """One button per explained field; ``field_clicked(field)``. Hidden when there is none."""

    field_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explained-strip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.items: list[Explained] = []
        self.buttons: list[QPushButton] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 4)
        self._layout.setSpacing(2)
        self.title = QLabel(objectName="explained-title")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self._layout.addWidget(self.title)
        self.hide()

    def show_items(self, items: list[Explained], status: int | None = None) -> None:
        for button in self.buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self.items, self.buttons = list(items), []
        self.title.setText(f"<b>Explained ({status or 400})</b>: the fields the answer names "
                           "and the rule of our catalogue's schema each broke (click to select)")
        for item in self.items:
            alias = f" ({item.classic})" if item.classic and item.classic != item.field else ""
            button = QPushButton(f"{item.field}{alias} → {item.rule}",  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                                 objectName=f"explained:{item.field}", flat=True)
            button.setToolTip(f"The target said: {item.message}")
            button.setStyleSheet("text-align: left")
            button.clicked.connect(lambda _=False, f=item.field: self.field_clicked.emit(f))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(self.items))
