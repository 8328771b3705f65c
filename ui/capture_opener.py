"""File → Open capture…: a HAR file judged by the core and shown like a past run."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from inspector.capture.har import CaptureError, read_har
from inspector.capture.judge import judge_capture
from inspector.capture.stored import capture_run

from . import file_dialogs

__all__ = ["CaptureOpener"]

_FILTERS = "HAR captures (*.har *.json);;All files (*)"


class CaptureOpener(QObject):
    """Asks for a HAR file; ``opened(StoredRun)`` with it judged, or ``failed(message)``."""

    opened = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent

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
        self.opened.emit(capture_run(capture, judge_capture(capture)))
