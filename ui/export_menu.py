"""File → Export HAR/JSON/JUnit… and the "redact" option (ids, cookies, credentials).

Exports what the log shows: the live log, or the past run opened read-only.
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from inspector.runstore import StoredRun
from inspector.scenarios.outcome import ScenarioOutcome

from . import file_dialogs
from .controller import Controller
from .exports import FORMATS, ExportFormat, ExportSource, export_text, run_source, write_export

__all__ = ["ExportMenu"]

_REDACT_KEY = "export/redact"


class ExportMenu(QObject):
    """The export actions for a menu; the redact choice persists in ``settings``.

    ``shown_run`` gives the past run on show (None: export the live log of ``controller``
    with the replays' ``outcomes``). It reports through ``message(text, kind)`` (for the
    info banner) and ``status(text, msecs)`` (for the status bar); ``parent`` owns the
    file dialog.
    """

    message = Signal(str, str)
    status = Signal(str, int)

    def __init__(self, parent: QWidget, settings: QSettings, controller: Controller, *,
                 shown_run: Callable[[], StoredRun | None],
                 outcomes: Callable[[], Sequence[ScenarioOutcome]]) -> None:
        super().__init__(parent)
        self._parent, self._controller = parent, controller
        self._shown_run, self._outcomes = shown_run, outcomes
        self.actions: dict[str, QAction] = {}
        for fmt in FORMATS:
            action = QAction(fmt.title, self)
            action.setObjectName(f"export-{fmt.key}")
            action.triggered.connect(lambda _=False, f=fmt: self.export(f))
            self.actions[fmt.key] = action
        self.redact = QAction("Redact exports (ids, cookies, credentials, URL query)", self)
        self.redact.setObjectName("export-redact")
        self.redact.setCheckable(True)
        self.redact.setChecked(str(settings.value(_REDACT_KEY, "false")) == "true")
        self.redact.toggled.connect(
            lambda on: settings.setValue(_REDACT_KEY, "true" if on else "false"))

    def menu_actions(self) -> list[QAction]:
        """The entries for the menu, in order: one per format, then the redact option."""
        return [*self.actions.values(), self.redact]

    def source(self) -> ExportSource:
        """What to export: the past run shown read-only, else the live log (and replays)."""
        run = self._shown_run()
        if run is not None:
            return run_source(run)
        c = self._controller
        return ExportSource("live log", list(c.store), c.session.report.to_dict(),
                            self._outcomes())

    def export(self, fmt: ExportFormat) -> None:
        """Ask for a file and write ``fmt`` of what the log shows; errors become a message."""
        source = self.source()
        if not source.exchanges:
            self.message.emit("Nothing to export yet: the log is empty.", "warning")
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = file_dialogs.ask_save_path(self._parent, fmt.title.rstrip("…"),
                                          f"media-inspector-{stamp}{fmt.suffix}", fmt.filters)
        if path is None:
            return
        text = export_text(fmt.key, source.exchanges, name=source.name, report=source.report,
                           redact=self.redact.isChecked(), outcomes=source.outcomes)
        error = write_export(path, text)
        if error is not None:
            self.message.emit(error, "error")
            return
        self.status.emit(f"Exported {len(source.exchanges):,} exchanges to {path}", 10000)
