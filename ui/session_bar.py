"""The session bar: start, end, new session, and the sid shown large and copyable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QToolButton, QWidget)

from inspector.protocol.catalogue import EVENTS

__all__ = ["SessionBar"]

_KEYS = {event.name: event.shortcut for event in EVENTS}


class SessionBar(QWidget):
    """``start_clicked``, ``end_clicked``, ``new_clicked(resume)``."""

    start_clicked = Signal()
    end_clicked = Signal()
    new_clicked = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = QPushButton("Start session", objectName="start-session")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.start.setToolTip("Send sessionStart with the profile's parameters "
                              f"({_KEYS['sessionStart']})")
        self.end = QPushButton("End session", objectName="end-session")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.end.setToolTip("Send sessionEnd: the backend closes the session "
                            f"({_KEYS['sessionEnd']})")
        self.new = QPushButton("New session", objectName="new-session")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.new.setToolTip("Start a replacement session; re-sends open player states")
        self.resume = QCheckBox("media.resume", objectName="new-session-resume")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.resume.setToolTip("Mark the new session as resuming the previous one")
        self.sid = QLabel("no session", objectName="sid")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.sid.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sid.setProperty("role", "sid")
        self.sid.setToolTip("The session id the server issued in the Location header")
        # A 64-character sid in a large font is ~700 px: let it be clipped in a narrow window
        # (Copy and the tooltip still give all of it) rather than force the window off-screen.
        self.sid.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.sid.setMinimumWidth(160)
        self.copy = QToolButton(objectName="copy-sid", text="Copy")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.copy.setToolTip("Copy the sid to the clipboard")
        self.api = QLabel("", objectName="api-version")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.api.setProperty("role", "muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for widget in (self.start, self.end, self.new, self.resume):
            layout.addWidget(widget)
        layout.addSpacing(16)
        caption = QLabel("sid")
        caption.setProperty("role", "muted")
        layout.addWidget(caption)
        layout.addWidget(self.sid, 1)
        layout.addWidget(self.copy)
        layout.addWidget(self.api)
        self.start.clicked.connect(self.start_clicked.emit)
        self.end.clicked.connect(self.end_clicked.emit)
        self.new.clicked.connect(lambda: self.new_clicked.emit(self.resume.isChecked()))
        self.copy.clicked.connect(self.copy_sid)
        self.show_sid(None, None, "no session")

    def show_sid(self, sid: str | None, api_version: str | None, state: str) -> None:
        """Show the current sid, or the session's state when there is none."""
        self.sid.setText(sid or state)
        self.sid.setToolTip(f"sid {sid}: the session id the server issued in the Location "
                            "header" if sid else "No session yet")
        self.sid.setEnabled(bool(sid))
        self.copy.setEnabled(bool(sid))
        self.api.setText(f"API {api_version}" if api_version else "")

    def copy_sid(self) -> None:
        text = self.sid.text()
        if self.sid.isEnabled() and text:
            QGuiApplication.clipboard().setText(text)
