"""A past run reopened read-only: its timeline, log, detail and report; nothing can be sent."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from inspector.runstore import StoredRun
from inspector.store import ExchangeStore

from .detail.detail_pane import DetailPane
from .detail.json_view import JsonView
from .log.model import ExchangeTableModel
from .log.view import LogView
from .timeline.timeline_widget import TimelineWidget

__all__ = ["PastRunView"]


class PastRunView(QWidget):
    """Shows one :class:`StoredRun`; :meth:`show_run` replaces what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("past-run")
        self.run: StoredRun | None = None
        self.store = ExchangeStore()
        self.model = ExchangeTableModel(self.store, self)
        self._last_playhead = 0.0
        self.timeline = TimelineWidget(lambda: self._last_playhead)
        self.timeline.setObjectName("past-timeline")
        self.log = LogView(self.model)
        self.log.table.setObjectName("past-log")
        self.detail = DetailPane()
        self.detail.setObjectName("past-detail")
        self.detail.read_only = True
        self.report = JsonView()
        self.report.setObjectName("past-report")
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self.detail, "Detail")
        self.tabs.addTab(self.report, "Report")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.log)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.timeline)
        layout.addWidget(splitter, 1)
        self.log.selected.connect(self.detail.show_exchange)

    def show_run(self, run: StoredRun) -> None:
        """Replace the shown run with ``run`` (its rows, timeline and report)."""
        self.run = run
        self.detail.show_exchange(None)
        self.store.clear()
        self.timeline.builder = type(self.timeline.builder)()
        for exchange in run.exchanges:
            self.store.record(exchange)
        self.model.flush()
        self.timeline.feed(run.exchanges)
        moved = [e.playhead for e in run.exchanges if e.playhead is not None]
        self._last_playhead = moved[-1] if moved else 0.0
        report = run.report if run.report is not None else "No report: the run has no session."
        self.report.set_text(report if isinstance(report, str)
                             else json.dumps(report, indent=2, default=str))
