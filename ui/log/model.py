"""The live log's Qt model: a stateless adapter over the session's ExchangeStore.

It keeps no copy of the exchanges. Store signals are coalesced by a short timer so a burst
of hundreds of events per second becomes one ``rowsInserted`` per tick, not one per event.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Severity
from inspector.store import ExchangeStore

from ..theme import colors

__all__ = ["COLUMNS", "ExchangeRole", "StatusClassRole", "HasWarningsRole", "ExchangeTableModel"]

COLUMNS = ("#", "Wall time", "Event type", "Playhead", "ts", "Status", "Latency", "Findings")
ExchangeRole = Qt.ItemDataRole.UserRole + 1
StatusClassRole = Qt.ItemDataRole.UserRole + 2
HasWarningsRole = Qt.ItemDataRole.UserRole + 3
_Index = QModelIndex | QPersistentModelIndex


def status_text(e: Exchange) -> str:
    """What the Status column says: the code, or why there is none."""
    if e.status is not None:
        return str(e.status) + ("" if e.attempt == 1 else f" (try {e.attempt})")
    if e.error_kind is not None:
        return e.error_kind.value
    return e.state.value


def wall_time(seconds: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(seconds)) + f".{int(seconds * 1000) % 1000:03d}"


def _cell(e: Exchange, column: int) -> str:
    if column == 0:
        return str(e.seq)
    if column == 1:
        return wall_time(e.queued_at)
    if column == 2:
        return e.event_type
    if column == 3:
        return "" if e.playhead is None else f"{e.playhead:.3f}"
    if column == 4:
        return "" if e.ts is None else str(e.ts)
    if column == 5:
        return status_text(e)
    if column == 6:
        return "" if e.duration_ms is None else f"{e.duration_ms:.1f} ms"
    return ", ".join(f.code for f in e.findings) or (e.error or "")


def status_class(e: Exchange) -> str:
    """'2xx', '4xx', '5xx' or 'error' (no response) or 'pending' for the filters."""
    if e.status is not None:
        return e.status_class
    if e.state in (ExchangeState.QUEUED, ExchangeState.SENDING):
        return "pending"
    return "error"


class ExchangeTableModel(QAbstractTableModel):
    """Rows are the store's rows; ``flushed(first, last)`` after new rows were announced."""

    flushed = Signal(int, int)
    changed_rows = Signal(list)

    def __init__(self, store: ExchangeStore, parent: QObject | None = None,
                 interval_ms: int = 40) -> None:
        super().__init__(parent)
        self._store = store
        self._count = len(store)
        self._shift = 0
        self._dirty: set[int] = set()
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self.flush)
        self._bold = QFont()
        self._bold.setBold(True)
        store.added.connect(self._on_added)
        store.updated.connect(self._on_updated)
        store.trimmed.connect(self._on_trimmed)

    @property
    def store(self) -> ExchangeStore:
        return self._store

    def detach(self) -> None:
        """Stop observing the store (the window is closing)."""
        self._store.added.disconnect(self._on_added)
        self._store.updated.disconnect(self._on_updated)
        self._store.trimmed.disconnect(self._on_trimmed)
        self._timer.stop()

    # -- store signals, coalesced -------------------------------------------------------

    def _on_added(self, _row: int) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _on_updated(self, row: int) -> None:
        if row < self._count:
            self._dirty.add(row)
        if not self._timer.isActive():
            self._timer.start()

    def _on_trimmed(self, count: int) -> None:
        # The store has already dropped its oldest rows; rows shift by ``count`` until the
        # views have been told, which happens right here.
        announced = min(count, self._count)
        if announced:
            self._shift = count
            self.beginRemoveRows(QModelIndex(), 0, announced - 1)
            self._count -= announced
            self._shift = 0
            self.endRemoveRows()
        self._dirty = {r - count for r in self._dirty if r >= count}

    def flush(self) -> None:
        """Announce rows the store gained and rows that changed since the last flush."""
        self._timer.stop()
        total = len(self._store)
        if self._dirty:
            rows = sorted(r for r in self._dirty if r < self._count)
            self._dirty.clear()
            if rows:
                last = self.columnCount() - 1
                self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], last))
                self.changed_rows.emit(rows)
        if total > self._count:
            first = self._count
            self.beginInsertRows(QModelIndex(), first, total - 1)
            self._count = total
            self.endInsertRows()
            self.flushed.emit(first, total - 1)

    # -- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def exchange(self, row: int) -> Exchange | None:
        row -= self._shift
        return self._store[row] if 0 <= row < len(self._store) else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        e = self.exchange(index.row())
        if e is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(e, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(e, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(e)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(e, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 3, 4, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 5 and e.status is not None:
            return self._bold
        return self._filter_data(e, role)

    def _filter_data(self, e: Exchange, role: int) -> Any:
        if role == ExchangeRole:
            return e
        if role == StatusClassRole:
            return status_class(e)
        if role == HasWarningsRole:
            worst = e.worst_severity
            return worst is not None and worst is not Severity.INFO
        return None

    def _foreground(self, e: Exchange, col: int) -> QBrush | None:
        c = colors()
        if col == 5:
            cls = status_class(e)
            color = {"2xx": c.ok, "4xx": c.client_error, "5xx": c.server_error,
                     "error": c.server_error, "pending": c.pending}.get(cls)
            return QBrush(color) if color is not None else None
        if col == 7 and e.findings:
            return QBrush(c.server_error if e.worst_severity is Severity.ERROR
                          else c.client_error)
        if e.state in (ExchangeState.UNSENT, ExchangeState.DISCARDED):
            return QBrush(c.pending)
        return None

    def _background(self, e: Exchange) -> QBrush | None:
        worst = e.worst_severity
        c = colors()
        if worst is Severity.ERROR or e.state is ExchangeState.FAILED:
            return QBrush(c.error_bg)
        if worst is Severity.WARNING:
            return QBrush(c.warning_bg)
        return None

    def _tooltip(self, e: Exchange, col: int) -> str | None:
        if col == 7 and e.findings:
            return "\n".join(str(f) for f in e.findings)
        if col == 5 and e.error:
            return e.error
        return None
