"""A non-modal banner across the window: a message, an optional action, a close button."""

from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

__all__ = ["Banner"]


class Banner(QFrame):
    """Hidden until :meth:`show_message`; ``kind`` picks the style (warning or error)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("role", "banner")
        self.label = QLabel(wordWrap=True, objectName=f"{object_name}-text")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.label.setOpenExternalLinks(True)  # findings link to Adobe's page for the rule
        self.action = QPushButton(objectName=f"{object_name}-action")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.action.hide()
        self._close = close = QToolButton(text="✕", objectName=f"{object_name}-close")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.hide()

    def show_message(self, html: str, kind: str = "warning", action: str = "",
                     callback: Callable[[], None] | None = None) -> None:
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(html)
        self._callback = callback
        self.action.setVisible(bool(action))
        self.action.setText(action)
        self.show()

    def set_closable(self, on: bool) -> None:
        """Show or hide the close button (a banner that is the only way out keeps it hidden)."""
        self._close.setVisible(on)

    def _act(self) -> None:
        self.hide()
        if self._callback is not None:
            self._callback()
