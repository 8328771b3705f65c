"""Status-bar label: a countdown to the backend's 10- and 30-minute expiries (spec §6.2),
in the session's simulated time, turning into a warning as one nears."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from inspector.findings import Finding, Severity

__all__ = ["ExpiryLabel", "format_left"]

_COLOURS = {Severity.ERROR: "#c0392b", Severity.WARNING: "#b9770e", Severity.INFO: "#566573"}
_NAMES = {"idle": "idle expiry", "stall": "playhead-stall expiry"}


def format_left(seconds: float) -> str:
    """``9:42`` for a countdown; ``now`` once it has run out."""
    if seconds <= 0:
        return "now"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


class ExpiryLabel(QLabel):
    """Polls the session four times a second; hidden while no session is open."""

    def __init__(self, findings: Callable[[], list[Finding]],
                 countdown: Callable[[], dict[str, float]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expiry")
        self._findings, self._countdown = findings, countdown
        self._timer = QTimer(self)
        self._timer.setInterval(250)  # at 60x a second is a simulated minute
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.hide()

    def refresh(self) -> None:
        left = self._countdown()
        if not left:
            self.hide()
            return
        text = " · ".join(f"{_NAMES[k]} in {format_left(v)}" for k, v in sorted(left.items()))
        found = self._findings()
        tip = ("The backend closes a session after 10 minutes without events and after 30 "
               "minutes with the playhead unmoved (spec §6.2); time here is the session's "
               "simulated time.")
        if found:
            worst = max(found, key=lambda f: f.severity.rank)
            text = f"{worst.message.split(':', 1)[0]} · {text}"
            tip = "\n\n".join(f"{f.code}: {f.message}" for f in found)
            self.setStyleSheet(f"color: {_COLOURS[worst.severity]}; font-weight: bold;")
        else:
            self.setStyleSheet("")
            self.setProperty("role", "muted")
        self.setText(text)
        self.setToolTip(tip)
        self.show()
