"""Saving a recording: a recovery copy at once, its expectations, then a file dialog.

The recording arrives with expectations drawn from what was observed (statuses, findings,
spec §10 metrics); a small dialog lets the user keep or drop each one, edit tolerances and
the name, then a file dialog asks where. Nothing is ever dropped: if the user cancels
either dialog (or the file cannot be written) the recording stays pending, a banner says
where its recovery copy is and offers the dialogs again.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from inspector.export import write_text
from inspector.scenario import scenario_to_yaml
from inspector.scenarios.observed import Observation, Recording, file_stem, with_expectations

from .. import file_dialogs
from ..banner import Banner
from .expectations_dialog import ExpectationsDialog

__all__ = ["RecordingSaver"]

_FILTERS = "Scenario files (*.yaml *.yml);;All files (*)"


class RecordingSaver(QObject):
    """Holds the latest unsaved recording; ``pending_changed(bool)`` when that changes.

    ``saved(path)`` once it is written; :attr:`dialog` is the expectations dialog while it
    is open (window-modal, so the event loop keeps running).
    """

    pending_changed = Signal(bool)
    saved = Signal(str)  # the path written

    def __init__(self, window: QWidget, banner: Banner, recovery_dir: Path) -> None:
        super().__init__(window)
        self.window, self.banner, self.recovery_dir = window, banner, recovery_dir
        self.pending: Recording | None = None
        self.name = ""
        self.observations: list[Observation] = []
        self.recovery: Path | None = None
        self.dialog: ExpectationsDialog | None = None

    def take(self, recording: Recording) -> None:
        """A recording just stopped: keep a recovery copy, then ask what it should expect."""
        if self.dialog is not None:  # an older recording's dialog: that one stays recovered
            old, self.dialog = self.dialog, None
            old.finished.disconnect()
            old.reject()
            old.deleteLater()
        self.pending = recording
        self.name = recording.scenario.name
        self.observations = recording.observations()
        self.recovery = self._write_recovery(self.text())
        self.pending_changed.emit(True)
        self.save()

    def text(self) -> str:
        """The pending recording as a scenario file, with the expectations kept so far."""
        if self.pending is None:
            return ""
        return scenario_to_yaml(with_expectations(self.pending.scenario, self.observations,
                                                  self.name))

    def save(self) -> None:
        """Open the expectations dialog; when it is accepted, ask for a file and write it."""
        if self.pending is None:
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = ExpectationsDialog(self.name, self.observations, self.window)
        dialog.finished.connect(lambda result: self._on_dialog(dialog, result))
        self.dialog = dialog
        dialog.open()

    def _on_dialog(self, dialog: ExpectationsDialog, result: int) -> None:
        self.dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted or self.pending is None:
            self._offer("The recording was not saved.")
            return
        self.name = dialog.recording_name() or self.name
        self.observations = dialog.observations()
        text = self.text()
        if self.recovery is not None:  # the copy follows the user's choices
            self.recovery = self._write_recovery(text, self.recovery) or self.recovery
        path = file_dialogs.ask_save_path(self.window, "Save recorded scenario",
                                          f"{file_stem(self.name)}.yaml", _FILTERS)
        if path is None:
            self._offer("The recording was not saved.")
            return
        try:
            write_text(path, text)
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

    def _write_recovery(self, text: str, target: Path | None = None) -> Path | None:
        """A copy beside the run store, so even a crash or a cancelled dialog loses nothing."""
        if target is None:
            target = self.recovery_dir / f"recorded-{time.strftime('%Y%m%d-%H%M%S')}.yaml"
            n = 1
            while target.exists():
                n += 1
                target = target.with_name(f"{target.stem.split('~')[0]}~{n}.yaml")
        try:
            return write_text(target, text)
        except OSError:
            return None
