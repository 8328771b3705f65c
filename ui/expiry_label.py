"""Status-bar label that warns before the backend's 10- and 30-minute expiries (spec §6.2)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from inspector.findings import Finding, Severity

__all__ = ["ExpiryLabel"]

_COLOURS = {Severity.ERROR: "#c0392b", Severity.WARNING: "#b9770e", Severity.INFO: "#566573"}


class ExpiryLabel(QLabel):
    """Polls ``findings()`` once a second; hidden while the session is in no danger."""

    def __init__(self, findings: Callable[[], list[Finding]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="expiry")
        self._findings = findings
        self._timer = QTimer(self, interval=1000, timeout=self.refresh)
        self._timer.start()
        self.hide()

    def refresh(self) -> None:
        found = self._findings()
        if not found:
            self.hide()
            return
        worst = max(found, key=lambda f: f.severity.rank)
        short = worst.message.split(":", 1)[0]
        self.setText(f"⏱ {short}")
        self.setToolTip("\n\n".join(f"{f.code}: {f.message}" for f in found))
        self.setStyleSheet(f"color: {_COLOURS[worst.severity]}; font-weight: bold;")
        self.show()
