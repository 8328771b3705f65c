"""The report panel: what Analytics will count, from our side and (embedded) the server's."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from .controller import Controller
from .detail.json_view import JsonView

__all__ = ["ReportPanel"]


def _column(title: str, view: JsonView) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(f"<b>{title}</b>")
    layout.addWidget(label)
    layout.addWidget(view, 1)
    return box


class ReportPanel(QWidget):
    """Client-side report on the left; the embedded server's report on the right."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report")
        self.controller = controller
        self.client_view = JsonView()
        self.client_view.setObjectName("report-client")
        self.server_view = JsonView()
        self.server_view.setObjectName("report-server")
        self.refresh_button = QPushButton("Refresh server report", objectName="report-refresh")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.refresh_button.clicked.connect(self.refresh_server)
        splitter = QSplitter()
        splitter.addWidget(_column("What we sent will count as (client)", self.client_view))
        splitter.addWidget(_column("Server's report (/_inspector/sessions/{sid})",
                                   self.server_view))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._auto = QTimer(self, interval=2000)
        self._auto.timeout.connect(self._auto_refresh)
        self._auto.start()
        controller.changed.connect(self.refresh_client)
        self.refresh_client()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_client()

    def refresh_client(self) -> None:
        if not self.isVisible():
            return  # refreshed when shown: a hidden panel costs nothing during a burst
        report = self.controller.session.report
        data: Any = report.to_dict() if hasattr(report, "to_dict") else {}
        self._set(self.client_view, json.dumps(data, indent=2, default=str))

    def _auto_refresh(self) -> None:
        if self.isVisible() and self.controller.uses_embedded and self.controller.session.sid:
            self.refresh_server()

    def refresh_server(self) -> None:
        sid = self.controller.session.sid
        if not sid:
            self._set(self.server_view, "No session yet: start one to see the server's report.")
            return
        self.controller.tasks.start("server-report", self._fetch(sid))

    async def _fetch(self, sid: str) -> None:
        result = await self.controller.fetch_server_report(sid)
        text = result if isinstance(result, str) else json.dumps(result, indent=2, default=str)
        self._set(self.server_view, text)

    @staticmethod
    def _set(view: JsonView, text: str) -> None:
        view.set_text(text)
