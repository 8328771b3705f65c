"""Transport controls: play, pause, buffer, speed and the auto-ping switch."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from inspector.protocol.catalogue import event

from ..events.event_buttons import tooltip_for

__all__ = ["Transport", "SPEEDS"]

SPEEDS = (1.0, 2.0, 10.0, 60.0)


class Transport(QWidget):
    """``event_requested(type)``, ``speed_changed(factor)``, ``auto_ping_toggled(on)``,
    ``zoom_toggled(on)``."""

    event_requested = Signal(str)
    speed_changed = Signal(float)
    auto_ping_toggled = Signal(bool)
    zoom_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for name, label in (("play", "▶ Play"), ("pauseStart", "❚❚ Pause"),
                            ("bufferStart", "Buffer")):
            button = QPushButton(label, objectName=f"transport:{name}")
            button.setToolTip(tooltip_for(event(name)))
            button.clicked.connect(lambda _=False, n=name: self.event_requested.emit(n))
            layout.addWidget(button)
        layout.addSpacing(12)
        layout.addWidget(QLabel("Speed"))
        self.speed = QComboBox(objectName="speed")
        for factor in SPEEDS:
            self.speed.addItem(f"{factor:g}×", factor)
        self.speed.currentIndexChanged.connect(
            lambda _: self.speed_changed.emit(float(self.speed.currentData())))
        layout.addWidget(self.speed)
        self.auto_ping = QCheckBox("Auto pings", objectName="auto-ping", checked=True)
        self.auto_ping.setToolTip("Send pings on the spec's cadence: every 10 s in content, "
                                  "every 1 s while an ad is open (§6.1).")
        self.auto_ping.toggled.connect(self.auto_ping_toggled.emit)
        layout.addWidget(self.auto_ping)
        self.zoom = QCheckBox("Zoom to activity", objectName="timeline-zoom", checked=True)
        self.zoom.setToolTip("Scale the timeline to what has happened so far instead of the "
                             "whole content length")
        self.zoom.toggled.connect(self.zoom_toggled.emit)
        layout.addWidget(self.zoom)
        layout.addStretch(1)
        self.state = QLabel(objectName="player-state")
        layout.addWidget(self.state)

    def set_speed(self, factor: float) -> None:
        index = self.speed.findData(factor)
        if index >= 0:
            self.speed.setCurrentIndex(index)
