"""Past runs from the run store; double-click reopens one read-only, Delete removes one."""

from __future__ import annotations

import html
import sqlite3
from datetime import datetime
from typing import Callable, Collection

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QListWidget, QListWidgetItem, QMenu, QMessageBox,
                               QPushButton, QVBoxLayout, QWidget)

from inspector.runstore import RunInfo, RunStore, StoredRun

__all__ = ["RunList", "ask_delete"]

_ID = Qt.ItemDataRole.UserRole


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S")


def _tooltip(run: RunInfo) -> str:
    ended = _when(run.ended_at) if run.ended_at is not None else "not ended (running or killed)"
    url = run.meta.get("url")
    return (f"<b>#{run.id} {html.escape(run.name)}</b><br>started {_when(run.started_at)}"
            f"<br>ended {ended}<br>{html.escape(run.status)}, {run.exchanges:,} exchanges"
            + (f"<br>{html.escape(str(url))}" if url else ""))


def ask_delete(parent: QWidget, text: str) -> bool:
    """Ask before deleting; True only when the user chose Delete."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Delete run", text, parent=parent)
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton(QMessageBox.StandardButton.Cancel))
    box.exec()
    return box.clickedButton() is delete


class RunList(QWidget):
    """Lists runs newest first; ``opened(StoredRun)`` carries the exchanges and report.

    ``in_use()`` names the runs still being written (never deleted); ``deleted(run_id)``
    after a run is removed; ``confirm(parent, text)`` asks first (tests replace it).
    """

    opened = Signal(object)
    message = Signal(str)
    deleted = Signal(int)

    def __init__(self, store: RunStore, parent: QWidget | None = None,
                 in_use: Callable[[], Collection[int]] | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.confirm: Callable[[QWidget, str], bool] = ask_delete
        self._in_use = in_use or (lambda: ())
        self.list = QListWidget(objectName="run-list")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.delete = QPushButton("Delete…", objectName="run-delete", enabled=False)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.delete.setToolTip("Remove the selected run and its exchanges from the run store")
        self.delete.setVisible(not store.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.delete)
        layout.addLayout(row)
        self.list.itemDoubleClicked.connect(self._open)
        self.list.currentItemChanged.connect(lambda item, _: self.delete.setEnabled(
            item is not None))
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.delete.clicked.connect(lambda: self.delete_run(self.list.currentItem()))
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the store."""
        self.list.clear()
        for run in self.store.list_runs():
            verdict = run.verdict_text() or run.status
            item = QListWidgetItem(f"#{run.id} {run.name} — {_when(run.started_at)} — "
                                   f"{verdict}, {run.exchanges} exchanges")
            item.setData(_ID, run.id)
            item.setToolTip(_tooltip(run))
            self.list.addItem(item)
        self.delete.setEnabled(self.list.currentItem() is not None)

    def _open(self, item: QListWidgetItem) -> None:
        try:
            run: StoredRun = self.store.open_run(int(item.data(_ID)))
        except KeyError as exc:
            self.message.emit(str(exc.args[0]))
            self.refresh()
            return
        self.opened.emit(run)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction("Open read-only", lambda: self._open(item))
        menu.addAction("Delete…", lambda: self.delete_run(item)).setEnabled(
            not self.store.read_only)
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def delete_run(self, item: QListWidgetItem | None) -> None:
        """Remove ``item``'s run from the store once the user confirms."""
        if item is None:
            return
        run_id = int(item.data(_ID))
        if run_id in self._in_use():
            self.message.emit(f"Run #{run_id} is still being recorded: it can be deleted once "
                              "the next run begins (a new session, a replay or a restart).")
            return
        if not self.confirm(self, f"Delete run {item.text()}?\n\nIts exchanges and report are "
                                  "removed from the run store. This cannot be undone."):
            return
        try:
            removed = self.store.delete(run_id)
        except (sqlite3.Error, OSError) as exc:  # PermissionError: read-only
            self.message.emit(f"Run #{run_id} could not be deleted: {exc}")
            return
        if not removed:
            self.message.emit(f"Run #{run_id} was already gone from the run store.")
        self.refresh()
        if removed:
            self.deleted.emit(run_id)
