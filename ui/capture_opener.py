"""File → Open capture…: a HAR file judged by the core and shown like a past run, with a
Report tab for its sessions (issue 14)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from inspector.capture import CaptureLog
from inspector.capture.har import CaptureError, read_har
from inspector.capture.judge import judge_capture
from inspector.capture.stored import capture_run
from inspector.exchange import Exchange
from inspector.runstore import StoredRun

from . import file_dialogs
from .captured_report import CapturedSessions
from .controller import Controller
from .past_run_view import PastRunView
from .read_only_mode import ReadOnlyMode
from .report_panel import ReportPanel

__all__ = ["CaptureOpener", "CaptureReport"]

_FILTERS = "HAR captures (*.har *.json);;All files (*)"


class CaptureOpener(QObject):
    """Asks for a HAR file; ``opened(StoredRun)`` with it judged, or ``failed(message)``."""

    opened = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.run: StoredRun | None = None  # the capture opened last, and its judged calls
        self.log: CaptureLog | None = None

    def open_file(self) -> None:
        """Ask for a capture and open it; a bad file gets a one-line message."""
        path = file_dialogs.ask_open_path(self._parent, "Open capture", _FILTERS)
        if path is None:
            return
        try:
            capture = read_har(path)
        except CaptureError as exc:
            self.failed.emit(f"{path.name} cannot be opened as a capture: {exc}")
            return
        self.log = judge_capture(capture)
        self.run = capture_run(capture, self.log)
        self.opened.emit(self.run)


class CaptureReport(QObject):
    """While an opened capture shows, the past run's tabs get a Report panel on its
    sessions (the selected row's, else the newest); the raw JSON stays beside it."""

    def __init__(self, opener: CaptureOpener, past_run: PastRunView, read_only: ReadOnlyMode,
                 controller: Controller) -> None:
        super().__init__(opener)
        self._opener, self._past = opener, past_run
        self.panel = ReportPanel(controller)
        self.panel.setObjectName("capture-report")
        self.sessions: CapturedSessions | None = None
        read_only.live_changed.connect(self._follow)
        past_run.log.selected.connect(self._select)

    def _select(self, exchange: Exchange | None) -> None:
        if self.sessions is not None:
            self.sessions.select(exchange if self._past.run is self._opener.run else None)

    def _follow(self, live: bool) -> None:
        tabs, raw = self._past.tabs, self._past.report
        capture = not live and self._opener.run is not None \
            and self._past.run is self._opener.run and self._opener.log is not None
        at = tabs.indexOf(self.panel)
        if capture and self._opener.log is not None and self._opener.run is not None:
            source = Path(str(self._opener.run.info.meta.get("source", "capture"))).name
            self.sessions = CapturedSessions(self._opener.log, f"from the capture {source}",
                                             parent=self)
            if at < 0:
                tabs.insertTab(tabs.indexOf(raw), self.panel, "Report")
            tabs.setTabText(tabs.indexOf(raw), "Capture JSON")
            self.panel.show_captured(self.sessions)
        elif at >= 0:
            tabs.removeTab(at)
            tabs.setTabText(tabs.indexOf(raw), "Report")
            self.panel.show_captured(None)
            self.sessions = None
