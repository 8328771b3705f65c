"""The report panel: what Adobe will count (spec §10), readable by anyone in the room.

Big numbers for the headline metrics (ours, with the embedded server's beside them), every
metric with its Analytics and CJA names, ad time counted as main content called out, one
plain line per event that changed what Adobe counts, and the raw reports underneath.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QShowEvent
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QPushButton,
                               QScrollArea, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from inspector.metrics import METRICS, Reported, format_value
from inspector.narration import Note
from inspector.report import SessionReport

from .captured_report import CapturedSessions
from .controller import Controller
from .detail.json_view import JsonView, titled
from .metric_cards import MetricCards, differs
from .theme import colors

__all__ = ["ReportPanel", "status_text", "ignored_ads_text", "note_lines"]

CHAOS_SOURCE = ("Chaos lab on: <b>Ours</b> is the session the player meant, in the order it "
                "meant it; <b>Server</b> is what the embedded backend made of the delivery. "
                "Meant vs seen, call by call: the Chaos lab's button.")
_COLUMNS = ("Metric", "Ours", "Server", "Analytics", "CJA (xdm.mediaReporting.)", "Reported")


def status_text(report: Mapping[str, Any]) -> str:
    """When Adobe shows these figures, for the session's state (spec §10)."""
    closed = report.get("closed")
    if not report.get("starts", {}).get("media"):
        return "No session yet: start one to see what Adobe will count."
    if closed:
        return (f"Session closed ({closed.get('reason')}): Adobe has now reported all of "
                "these (spec §10).")
    return ("Session open: Adobe has reported the media start only; everything else appears "
            "at the close call (sessionEnd or a timeout), spec §10.")


def ignored_ads_text(report: Mapping[str, Any]) -> str:
    """The call-out for ad time counted as main content, or "" when there is none."""
    seconds = report.get("time", {}).get("content_from_ignored_ads") or 0
    if seconds <= 0:
        return ""
    return (f"<b>{round(seconds):d} s of ads counted as main content.</b> Ads sent outside an "
            "ad break get no ad start, and their time goes to content time spent "
            "(spec §3.1 rule 2).")


def note_lines(notes: list[Note], only_counting: bool = True) -> list[str]:
    """``t+12 s  adStart: sentence`` for each note (those that changed Adobe's count)."""
    first = next((n.ts for n in notes if n.ts is not None), None)
    lines = []
    for n in notes:
        if only_counting and not n.counts:
            continue
        at = f"t+{(n.ts - first) / 1000:.0f} s" if n.ts is not None and first else "t?"
        lines.append(f"{at}  {n.event_type}: {n.text}")
    return lines


class ReportPanel(QWidget):
    """Headline metrics, every metric (client vs server), what changed, the raw reports.

    It shows the window's own session, or a captured one (:meth:`show_captured`) while the
    window listens to a player or shows an opened capture.
    """

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report")
        self.controller = controller
        self._server_report: Mapping[str, Any] | None = None
        self._captured: CapturedSessions | None = None
        self._meant: tuple[tuple[int, ...], SessionReport] | None = None
        self.source = QLabel(objectName="report-source")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.source.setWordWrap(True)
        self.findings = QLabel(objectName="report-findings")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.findings.setWordWrap(True)
        self.source.hide()
        self.findings.hide()
        self.status = QLabel(objectName="report-status")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.cards = MetricCards()
        self.ignored = QLabel(objectName="report-ignored-ads")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.ignored.setWordWrap(True)
        self.table = self._build_table()
        self.notes = QListWidget(objectName="report-notes")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.notes.setWordWrap(True)
        self.client_view = JsonView()
        self.client_view.setObjectName("report-client")
        self.server_view = JsonView()
        self.server_view.setObjectName("report-server")
        self.refresh_button = QPushButton("Refresh server report", objectName="report-refresh")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.refresh_button.clicked.connect(self.refresh_server)
        self._build_layout()
        self._auto = QTimer(self, interval=2000)
        self._auto.timeout.connect(self._auto_refresh)
        self._auto.start()
        self._soon = QTimer(self, singleShot=True, interval=50)  # a burst of captured calls
        self._soon.timeout.connect(self.refresh_client)
        controller.changed.connect(self.refresh_client)
        self.refresh_client()

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(len(METRICS), len(_COLUMNS), objectName="report-metrics")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        table.setHorizontalHeaderLabels(list(_COLUMNS))
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, m in enumerate(METRICS):
            when = "at start" if m.reported is Reported.START else "at close"
            for col, text in ((0, m.name), (3, m.analytics or "— (ours)"),
                              (4, m.cja or "—"), (5, when)):
                table.setItem(row, col, QTableWidgetItem(text))
            for col in (1, 2):
                table.setItem(row, col, QTableWidgetItem(""))
        table.resizeColumnsToContents()
        return table

    def _build_layout(self) -> None:
        raw = QSplitter()
        raw.addWidget(titled("What we sent will count as (client)", self.client_view))
        raw.addWidget(titled("Server's report (/_inspector/sessions/{sid})", self.server_view))
        raw_box = QWidget()
        raw_layout = QVBoxLayout(raw_box)
        raw_layout.setContentsMargins(0, 0, 0, 0)
        raw_layout.addWidget(raw, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.refresh_button)
        raw_layout.addLayout(bottom)
        self.tabs = QTabWidget(objectName="report-tabs", documentMode=True)  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.tabs.addTab(self.table, "All metrics")
        self.tabs.addTab(self.notes, "What changed Adobe's count")
        self.tabs.addTab(raw_box, "Raw reports")
        content = QWidget(objectName="report-content")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 4, 0, 0)
        inner.addWidget(self.source)
        inner.addWidget(self.findings)
        inner.addWidget(self.status)
        inner.addWidget(self.cards)
        inner.addWidget(self.ignored)
        inner.addWidget(self.tabs, 1)
        # Scrolls only when the pane is squeezed below the cards' size: the window keeps
        # the minimum size it had, and at a usual size everything shows without scrolling.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_client()

    # -- refreshing ---------------------------------------------------------------------

    # -- which session ------------------------------------------------------------------

    def show_captured(self, sessions: CapturedSessions | None) -> None:
        """Show ``sessions``' selected or newest session; None: the window's own again."""
        if self._captured is not None:
            self._captured.changed.disconnect(self._soon.start)
        self._captured = sessions
        if sessions is not None:
            sessions.changed.connect(self._soon.start)
        self.source.setVisible(sessions is not None)
        self.findings.setVisible(sessions is not None)
        self._server_report = None
        self.server_view.set_text("")
        self.refresh_client()

    @property
    def captured(self) -> CapturedSessions | None:
        return self._captured

    def shown_sid(self) -> str | None:
        """The sid of the session on show (captured or the window's own)."""
        if self._captured is None:
            return self.controller.session.sid
        session = self._captured.current()
        return session.sid if session is not None else None

    # -- refreshing ---------------------------------------------------------------------

    def refresh_client(self) -> None:
        if not self.isVisible():
            return  # refreshed when shown: a hidden panel costs nothing during a burst
        report: Any = self.controller.session.report
        if self._captured is not None:
            session = self._captured.current()
            report = session.report if session is not None else None
            self.source.setText(self._captured.describe())
            self.findings.setText(self._captured.findings_text())
        else:
            meant = self._meant_report()
            report = meant if meant is not None else report
            self.source.setText(CHAOS_SOURCE if meant is not None else "")
            self.source.setVisible(meant is not None)
        data: dict[str, Any] = report.to_dict() if hasattr(report, "to_dict") else {}
        self._show(data, list(getattr(report, "notes", [])))
        self.client_view.set_text(json.dumps(data, indent=2, default=str))

    def _meant_report(self) -> SessionReport | None:
        """Under the Chaos lab, the session the player meant (cached until it grows)."""
        session = self.controller.session
        plan = session.chaos
        if plan is None or not plan.active:
            return None
        lane = session.channel.number
        key = (id(plan), lane, len(plan.meant), plan.meant[-1].seq if plan.meant else 0)
        if self._meant is None or self._meant[0] != key:
            self._meant = (key, plan.meant_report(lane))
        return self._meant[1]

    def _server_metrics(self) -> Mapping[str, Any] | None:
        server = self._server_report
        if not server or server.get("sid") != self.shown_sid():
            return None
        metrics = (server.get("report") or {}).get("metrics")
        return metrics if isinstance(metrics, dict) else None

    def _show(self, data: Mapping[str, Any], notes: list[Note]) -> None:
        ours = data.get("metrics") or {}
        theirs = self._server_metrics()
        self.status.setText(status_text(data))
        self.cards.show_metrics(ours, theirs)
        callout = ignored_ads_text(data)
        self.ignored.setText(callout)
        self.ignored.setVisible(bool(callout))
        self._fill_table(ours, theirs)
        lines = note_lines(notes)
        if lines != [self.notes.item(i).text() for i in range(self.notes.count())]:
            self.notes.clear()
            self.notes.addItems(lines or ["Nothing yet has changed what Adobe counts."])
            self.notes.scrollToBottom()

    def _fill_table(self, ours: Mapping[str, Any], theirs: Mapping[str, Any] | None) -> None:
        highlight = QBrush(colors().warning_bg)
        for row, m in enumerate(METRICS):
            mine, server = ours.get(m.key), (theirs or {}).get(m.key)
            diff = theirs is not None and differs(mine, server)
            for col, value in ((1, format_value(m.key, mine)),
                               (2, format_value(m.key, server) if theirs is not None else "")):
                item = self.table.item(row, col)
                if item is not None:
                    item.setText(value)
                    item.setBackground(highlight if diff else QBrush())

    def _auto_refresh(self) -> None:
        if self.isVisible() and self.controller.uses_embedded and self.shown_sid() and (
                self._captured is None or self._captured.server_sid):
            self.refresh_server()

    def refresh_server(self) -> None:
        sid = self.shown_sid()
        if self._captured is not None and not self._captured.server_sid:
            self.server_view.set_text("No server report: the window's embedded backend did "
                                      "not see this session (it went to another upstream).")
            return
        if not sid:
            self.server_view.set_text("No session yet: start one to see the server's report.")
            return
        self.controller.tasks.start("server-report", self._fetch(sid))

    async def _fetch(self, sid: str) -> None:
        result = await self.controller.fetch_server_report(sid)
        self._server_report = result if isinstance(result, dict) else None
        text = result if isinstance(result, str) else json.dumps(result, indent=2, default=str)
        self.server_view.set_text(text)
        self.refresh_client()
