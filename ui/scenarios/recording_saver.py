"""Saving a recording: a recovery copy at once, then a file dialog; nothing is ever dropped.

If the user cancels the dialog (or the file cannot be written) the recording stays pending:
a banner says where its recovery copy is and offers the dialog again.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from inspector.export import write_text

from .. import file_dialogs
from ..banner import Banner

__all__ = ["RecordingSaver"]

_FILTERS = "Scenario files (*.yaml *.yml);;All files (*)"


class RecordingSaver(QObject):
    """Holds the latest unsaved recording; ``pending_changed(bool)`` when that changes."""

    pending_changed = Signal(bool)
    saved = Signal(str)  # the path written

    def __init__(self, window: QWidget, banner: Banner, recovery_dir: Path) -> None:
        super().__init__(window)
        self.window, self.banner, self.recovery_dir = window, banner, recovery_dir
        self.pending: str | None = None
        self.recovery: Path | None = None

    def take(self, text: str) -> None:
        """A recording just stopped: keep a recovery copy, then ask where to save it."""
        self.pending = text
        self.recovery = self._write_recovery(text)
        self.pending_changed.emit(True)
        self.save()

    def save(self) -> None:
        """Ask for a file name and write the pending recording there."""
        if self.pending is None:
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = file_dialogs.ask_save_path(self.window, "Save recorded scenario",
                                          f"recorded-{stamp}.yaml", _FILTERS)
        if path is None:
            self._offer("The recording was not saved.")
            return
        try:
            write_text(path, self.pending)
        except OSError as exc:
            self._offer(f"Could not write {html.escape(str(path))}: "
                        f"{html.escape(exc.strerror or str(exc))}.")
            return
        self.pending = None
        self.pending_changed.emit(False)
        self.banner.hide()
        self.saved.emit(str(path))

    def _offer(self, why: str) -> None:
        kept = (f"It is kept in <code>{html.escape(str(self.recovery))}</code>"
                if self.recovery else "It is kept in memory until you save it or quit")
        self.banner.show_message(f"<b>{why}</b> {kept}. Save it where you want with "
                                 "File → Save recording…", kind="warning",
                                 action="Save recording…", callback=self.save)

    def _write_recovery(self, text: str) -> Path | None:
        """A copy beside the run store, so even a crash or a cancelled dialog loses nothing."""
        target = self.recovery_dir / f"recorded-{time.strftime('%Y%m%d-%H%M%S')}.yaml"
        n = 1
        while target.exists():
            n += 1
            target = target.with_name(f"{target.stem.split('~')[0]}~{n}.yaml")
        try:
            return write_text(target, text)
        except OSError:
            return None
