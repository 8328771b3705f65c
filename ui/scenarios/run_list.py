"""Past runs from the run store; double-click reopens one read-only."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from inspector.runstore import RunStore, StoredRun

__all__ = ["RunList"]


class RunList(QWidget):
    """Lists runs newest first; ``opened(StoredRun)`` carries the exchanges and report."""

    opened = Signal(object)
    message = Signal(str)

    def __init__(self, store: RunStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.list = QListWidget()
        QVBoxLayout(self).addWidget(self.list)
        self.list.itemDoubleClicked.connect(self._open)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the store."""
        self.list.clear()
        for run in self.store.list_runs():
            when = datetime.fromtimestamp(run.started_at).strftime("%Y-%m-%d %H:%M:%S")
            item = QListWidgetItem(f"#{run.id} {run.name} — {when} — {run.status}, "
                                   f"{run.exchanges} exchanges")
            item.setData(256, run.id)
            self.list.addItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        try:
            run: StoredRun = self.store.open_run(int(item.data(256)))
        except KeyError as exc:
            self.message.emit(str(exc.args[0]))
            self.refresh()
            return
        self.opened.emit(run)
