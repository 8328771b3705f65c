"""File → Export HAR/JSON/JUnit… and the "redact visitor and org ids" option.

Exports what the log shows: the live log, or the past run opened read-only.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from inspector.exchange import Exchange
from inspector.scenarios.outcome import ScenarioOutcome

from . import file_dialogs
from .exports import FORMATS, ExportFormat, export_text, write_export

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["ExportMenu"]

_REDACT_KEY = "export/redact"


class ExportMenu(QObject):
    """Adds the export actions to ``menu``; the redact choice persists in the settings."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}
        for fmt in FORMATS:
            action = menu.addAction(fmt.title)
            action.setObjectName(f"export-{fmt.key}")
            action.triggered.connect(lambda _=False, f=fmt: self.export(f))
            self.actions[fmt.key] = action
        self.redact = menu.addAction("Redact visitor and org ids in exports")
        self.redact.setObjectName("export-redact")
        self.redact.setCheckable(True)
        self.redact.setChecked(str(window.settings.value(_REDACT_KEY, "false")) == "true")
        self.redact.toggled.connect(
            lambda on: window.settings.setValue(_REDACT_KEY, "true" if on else "false"))

    def source(self) -> tuple[str, list[Exchange], dict[str, Any] | None,
                              list[ScenarioOutcome]]:
        """What to export: the past run shown read-only, else the live log (and replays)."""
        w = self.window
        run = w.past_run.run
        if w.read_only and run is not None:
            return f"run #{run.info.id} {run.info.name}", run.exchanges, run.report, []
        c = w.controller
        return "live log", list(c.store), c.session.report.to_dict(), w.scenarios.outcomes

    def export(self, fmt: ExportFormat) -> None:
        """Ask for a file and write ``fmt`` of what the log shows; errors become a banner."""
        w = self.window
        name, exchanges, report, outcomes = self.source()
        if not exchanges:
            w.show_info("Nothing to export yet: the log is empty.")
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = file_dialogs.ask_save_path(w, fmt.title.rstrip("…"),
                                          f"media-inspector-{stamp}{fmt.suffix}", fmt.filters)
        if path is None:
            return
        text = export_text(fmt.key, exchanges, name=name, report=report,
                           redact=self.redact.isChecked(), outcomes=outcomes)
        error = write_export(path, text)
        if error is not None:
            w.show_info(error, kind="error")
            return
        w.statusBar().showMessage(f"Exported {len(exchanges):,} exchanges to {path}", 10000)
