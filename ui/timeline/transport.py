"""Transport controls: play, pause, buffer, speed and the auto-ping switch."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from inspector.protocol.catalogue import event

from ..events.event_buttons import tooltip_for

__all__ = ["Transport", "SPEEDS"]

SPEEDS = (1.0, 2.0, 10.0, 60.0)
_TIP = "Simulated time runs this many times faster than the wall clock"
_REPLAY_TIP = "The replay's speed (set in the Scenarios panel); yours comes back when it ends"


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
            button = QPushButton(label, objectName=f"transport:{name}")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
            button.setToolTip(tooltip_for(event(name)))
            button.clicked.connect(lambda _=False, n=name: self.event_requested.emit(n))
            layout.addWidget(button)
        layout.addSpacing(12)
        layout.addWidget(QLabel("Speed"))
        self.speed = QComboBox(objectName="speed", toolTip=_TIP)  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        for factor in SPEEDS:
            self.speed.addItem(f"{factor:g}×", factor)
        self._chosen: int | None = None  # the user's speed while a replay shows its own
        self.speed.currentIndexChanged.connect(
            lambda _: self.speed_changed.emit(float(self.speed.currentData())))
        layout.addWidget(self.speed)
        self.auto_ping = QCheckBox("Auto pings", objectName="auto-ping", checked=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.auto_ping.setToolTip("Send pings on the spec's cadence: every 10 s in content, "
                                  "every 1 s while an ad is open (§6.1).")
        self.auto_ping.toggled.connect(self.auto_ping_toggled.emit)
        layout.addWidget(self.auto_ping)
        self.zoom = QCheckBox("Zoom to activity", objectName="timeline-zoom", checked=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.zoom.setToolTip("Scale the timeline to what has happened so far instead of the "
                             "whole content length")
        self.zoom.toggled.connect(self.zoom_toggled.emit)
        layout.addWidget(self.zoom)
        layout.addStretch(1)
        self.state = QLabel(objectName="player-state")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        layout.addWidget(self.state)

    def set_speed(self, factor: float) -> None:
        index = self.speed.findData(factor)
        if index >= 0:
            self.speed.setCurrentIndex(index)

    def show_replay_speed(self, factor: float | None) -> None:
        """Show a replay's speed (None: "max") until :meth:`end_replay`; nothing is emitted."""
        if self._chosen is None:
            self._chosen = self.speed.currentIndex()
        label = "max" if factor is None else f"{factor:g}×"
        index = self.speed.findText(label)
        self.speed.blockSignals(True)
        if index < 0:  # a speed the transport does not offer: shown for the replay only
            self.speed.addItem(label, factor)
            index = self.speed.count() - 1
        self.speed.setCurrentIndex(index)
        self.speed.blockSignals(False)
        self.speed.setEnabled(False)
        self.speed.setToolTip(_REPLAY_TIP)

    def end_replay(self) -> float:
        """Show the user's speed again (returned), as it was before the replay."""
        self.speed.blockSignals(True)
        while self.speed.count() > len(SPEEDS):
            self.speed.removeItem(self.speed.count() - 1)
        if self._chosen is not None:
            self.speed.setCurrentIndex(self._chosen)
            self._chosen = None
        self.speed.blockSignals(False)
        self.speed.setEnabled(True)
        self.speed.setToolTip(_TIP)
        return float(self.speed.currentData())
