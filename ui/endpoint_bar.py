"""The endpoint bar: which target, its connection state and the last status code."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from inspector.exchange import Exchange, ExchangeState
from inspector.profile import Profile

__all__ = ["EndpointBar"]


class EndpointBar(QWidget):
    """``profile_chosen(name)`` and ``settings_requested``; shows connection and last status."""

    profile_chosen = Signal(str)
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(objectName="endpoint")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.combo.setMinimumWidth(220)
        self.combo.setToolTip("Target: the embedded backend or a saved profile")
        self.url = QLabel(objectName="endpoint-url")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.url.setProperty("role", "muted")
        self.state = QLabel("● idle", objectName="connection-state")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.last_status = QLabel("last status —", objectName="last-status")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        edit = QPushButton("Settings…", objectName="endpoint-settings")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        edit.clicked.connect(self.settings_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(QLabel("Target"))
        layout.addWidget(self.combo)
        layout.addWidget(edit)
        layout.addWidget(self.url, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.last_status)
        self.combo.activated.connect(lambda _: self.profile_chosen.emit(self.combo.currentText()))

    def set_profiles(self, profiles: list[Profile], current: str) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems([p.name for p in profiles])
        self.combo.setCurrentText(current)
        self.combo.blockSignals(False)

    def set_url(self, url: str, embedded: bool) -> None:
        self.url.setText(f"{url}  (embedded backend)" if embedded else url)

    def show_exchange(self, exchange: Exchange) -> None:
        """Update the connection state and last status from the newest answered exchange."""
        if exchange.state is ExchangeState.DONE and exchange.status is not None:
            ok = exchange.status < 500
            self._state("connected" if ok else "server error", "ok" if ok else "error")
            self.last_status.setText(f"last status {exchange.status}")
        elif exchange.state is ExchangeState.FAILED:
            kind = exchange.error_kind.value if exchange.error_kind else "error"
            self._state(f"unreachable ({kind})", "error")
            self.last_status.setText("last status —")

    def reset(self) -> None:
        self._state("idle", "idle")
        self.last_status.setText("last status —")

    def _state(self, text: str, kind: str) -> None:
        self.state.setText(f"● {text}")
        self.state.setProperty("kind", kind)
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
