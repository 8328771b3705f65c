"""The endpoint bar: which target, its connection state and the last status code, and the
Listen controls (upstream and port) for a real player."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSizePolicy, QSpinBox, QWidget)

from inspector.exchange import Exchange, ExchangeState
from inspector.profile import Profile

from .profiles import DIALECT_LABELS

__all__ = ["EndpointBar"]


class EndpointBar(QWidget):
    """``profile_chosen(name)``, ``dialect_chosen(dialect, datastream id)``,
    ``settings_requested``, ``listen_requested(upstream, port)`` and ``stop_listening``;
    shows connection and last status."""

    profile_chosen = Signal(str)
    dialect_chosen = Signal(str, str)
    settings_requested = Signal()
    listen_requested = Signal(str, int)
    stop_listening = Signal()

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
        self._dialect_controls(layout)
        layout.addWidget(self.url, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.last_status)
        self.combo.activated.connect(lambda _: self.profile_chosen.emit(self.combo.currentText()))
        self._target_text = ""
        self._listen_controls(layout)

    def _dialect_controls(self, layout: QHBoxLayout) -> None:
        """Which wire format the profile speaks (spec §9), and Edge's datastream id."""
        self.dialect = QComboBox(objectName="endpoint-dialect")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        for value, label in DIALECT_LABELS.items():
            self.dialect.addItem(label, value)
        self.dialect.setToolTip("The API this profile speaks: /api/v1 (classic) or "
                                "/ee/va/v1/{event} (Media Edge, spec §9); kept in the profile")
        self.datastream = QLineEdit(objectName="endpoint-datastream")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.datastream.setPlaceholderText("datastream id (configId)")
        self.datastream.setToolTip("Media Edge: the datastream id sent as ?configId= "
                                   "(Data Collection → Datastreams); Enter applies it")
        self.datastream.setMinimumWidth(140)
        self.dialect.activated.connect(lambda _: self._dialect_changed())
        self.datastream.returnPressed.connect(self._dialect_changed)
        layout.addWidget(self.dialect)
        layout.addWidget(self.datastream)

    def _dialect_changed(self) -> None:
        value = str(self.dialect.currentData())
        self.datastream.setVisible(value == "edge")
        self.dialect_chosen.emit(value, self.datastream.text().strip())

    def set_dialect(self, dialect: str, datastream_id: str) -> None:
        """Show the profile's dialect and datastream id (no signal)."""
        self.dialect.blockSignals(True)
        self.dialect.setCurrentIndex(max(self.dialect.findData(dialect), 0))
        self.dialect.blockSignals(False)
        self.datastream.setText(datastream_id)
        self.datastream.setCursorPosition(0)  # the id's start shows in a narrow field
        self.datastream.setVisible(dialect == "edge")

    def _listen_controls(self, layout: QHBoxLayout) -> None:
        self.listen_upstream = QLineEdit(objectName="listen-upstream")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.listen_upstream.setPlaceholderText("upstream (empty: this target)")
        self.listen_upstream.setToolTip("Where the player's calls go on to, e.g. "
                                        "https://<company>.hb-api.omtrdc.net")
        self.listen_host = QComboBox(objectName="listen-host")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.listen_host.setEditable(True)
        self.listen_host.addItems(["127.0.0.1", "0.0.0.0", "::1"])
        self.listen_host.setMinimumContentsLength(9)
        self.listen_host.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.listen_host.setToolTip("Address the proxy binds: 127.0.0.1 (this machine only) "
                                    "or beyond loopback, e.g. 0.0.0.0 for a device on the "
                                    "LAN (a warning says what that opens)")
        self.listen_port = QSpinBox(objectName="listen-port")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.listen_port.setRange(0, 65535)
        self.listen_port.setValue(8080)
        self.listen_port.setToolTip("Port for the player (0: any free one)")
        self.listen_button = QPushButton("Listen", objectName="listen")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.listen_button.setCheckable(True)
        self.listen_button.setToolTip("Proxy a real player's calls and lint them live")
        self.listen_button.clicked.connect(self._on_listen_clicked)
        layout.addWidget(self.listen_upstream)
        layout.addWidget(self.listen_host)
        layout.addWidget(self.listen_port)
        layout.addWidget(self.listen_button)
        # The URL gives way (clipped; its full text is the tooltip) so these controls never
        # make the window wider than before.
        self.url.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def _on_listen_clicked(self, checked: bool) -> None:
        if checked:
            self.listen_requested.emit(self.listen_upstream.text(), self.listen_port.value())
        else:
            self.stop_listening.emit()

    @property
    def host(self) -> str:
        """The address the Listen proxy is to bind (127.0.0.1 when left empty)."""
        return self.listen_host.currentText().strip() or "127.0.0.1"

    def set_listening(self, where: str | None) -> None:
        """Show the proxy's address while listening; None when it stopped (or failed)."""
        self.listen_button.setChecked(where is not None)
        self.listen_button.setText("Stop listening" if where else "Listen")
        self.listen_upstream.setEnabled(where is None)
        self.listen_port.setEnabled(where is None)
        self.listen_host.setEnabled(where is None)
        if where:
            self._target_text = self.url.text()
            self.url.setText(f"listening on {where}")
            self.url.setToolTip(self.url.text())
        elif self.url.text().startswith("listening on "):
            self.url.setText(self._target_text)
            self.url.setToolTip(self._target_text)

    def show_listen_summary(self, text: str) -> None:
        """The newest captured session's findings and metrics, in the URL's tooltip."""
        self.url.setToolTip(f"{self.url.text()}\n{text}")

    def set_profiles(self, profiles: list[Profile], current: str) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems([p.name for p in profiles])
        self.combo.setCurrentText(current)
        self.combo.blockSignals(False)

    def set_url(self, url: str, embedded: bool) -> None:
        self.url.setText(f"{url}  (embedded backend)" if embedded else url)
        self.url.setToolTip(self.url.text())

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
