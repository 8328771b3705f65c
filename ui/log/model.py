"""The live log's Qt model: a stateless adapter over the session's ExchangeStore.

It keeps no copy of the exchanges. Store signals are coalesced by a short timer so a burst
of hundreds of events per second becomes one ``rowsInserted`` per tick, not one per event.
Painting asks ``data()`` once per role per visible cell, so what a row looks like (its cells,
brushes, tooltips) is computed once, when the row is first painted, and cached for the rows
recently painted; the theme's brushes are built once, not looked up per cell.
"""

from __future__ import annotations

from typing import Any, NamedTuple

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
from inspector.logindex import has_warnings, log_cells, status_class, status_text, wall_time
from inspector.store import ExchangeStore

from ..theme import colors

__all__ = ["CHAOS_MARK", "COLUMNS", "SERVED_ROLES", "ExchangeRole", "StatusClassRole",
           "HasWarningsRole", "ExchangeTableModel", "status_text", "status_class", "wall_time"]

COLUMNS = ("#", "Wall time", "Event type", "Playhead", "ts", "Status", "Latency", "Findings",
           "Session")
ExchangeRole = Qt.ItemDataRole.UserRole + 1
StatusClassRole = Qt.ItemDataRole.UserRole + 2
HasWarningsRole = Qt.ItemDataRole.UserRole + 3
_Index = QModelIndex | QPersistentModelIndex
_R = Qt.ItemDataRole
_DISPLAY, _FOREGROUND = int(_R.DisplayRole), int(_R.ForegroundRole)
_BACKGROUND = int(_R.BackgroundRole)
_ALIGNMENT, _FONT, _TOOLTIP = int(_R.TextAlignmentRole), int(_R.FontRole), int(_R.ToolTipRole)
SERVED_ROLES = frozenset({_DISPLAY, _FOREGROUND, _BACKGROUND, _ALIGNMENT, _FONT, _TOOLTIP,
                          int(ExchangeRole), int(StatusClassRole), int(HasWarningsRole)})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN = tuple(_RIGHT if c in (0, 3, 4, 6) else None for c in range(len(COLUMNS)))
_LOOKS = 2048  # rows whose look is cached: a few screens' worth
CHAOS_MARK = "⚡"  # before the event type of an exchange a chaos rule touched


class _Look(NamedTuple):
    """How one row is painted, computed once."""

    cells: tuple[str, ...]
    foreground: tuple[QBrush | None, ...]
    background: QBrush | None
    tooltips: tuple[str | None, ...]
    bold_status: bool
    painted: list[Any]  # per column, what the delegate prepared to paint (filled lazily)


class _Brushes:
    """The theme's brushes, built once per model."""

    def __init__(self) -> None:
        c = colors()
        self.status = {"2xx": QBrush(c.ok), "4xx": QBrush(c.client_error),
                       "5xx": QBrush(c.server_error), "error": QBrush(c.server_error),
                       "pending": QBrush(c.pending)}
        self.error_fg, self.warning_fg = QBrush(c.server_error), QBrush(c.client_error)
        self.pending = QBrush(c.pending)
        self.error_bg, self.warning_bg = QBrush(c.error_bg), QBrush(c.warning_bg)

    def look(self, e: Exchange) -> _Look:
        worst = e.worst_severity
        dim = self.pending if e.state in (ExchangeState.UNSENT, ExchangeState.DISCARDED) else None
        fg: list[QBrush | None] = [dim] * len(COLUMNS)
        fg[5] = self.status.get(status_class(e))
        if e.findings:
            fg[7] = self.error_fg if worst is Severity.ERROR else self.warning_fg
        background = (self.error_bg if worst is Severity.ERROR or e.state is ExchangeState.FAILED
                      else self.warning_bg if worst is Severity.WARNING else None)
        tips: list[str | None] = [None] * len(COLUMNS)
        if e.findings:
            tips[7] = "\n".join(str(f) for f in e.findings)
        if e.error:
            tips[5] = e.error
        tips[8] = f"session {e.channel}: sid {e.sid}" if e.sid else \
            f"session {e.channel}: no sid (yet)"
        cells = log_cells(e)
        if e.chaos:  # client-side delivery chaos touched it: a marker and what it did
            cells = (*cells[:2], f"{CHAOS_MARK} {cells[2]}", *cells[3:])
            tips[2] = f"chaos: {e.chaos}"
        return _Look(cells, tuple(fg), background, tuple(tips), e.status is not None,
                     [None] * len(COLUMNS))


class ExchangeTableModel(QAbstractTableModel):
    """Rows are the store's rows; ``flushed(first, last)`` after new rows were announced."""

    flushed = Signal(int, int)
    changed_rows = Signal(list)
    trimmed = Signal(int)  # rows dropped from the front, after the views were told

    def __init__(self, store: ExchangeStore, parent: QObject | None = None,
                 interval_ms: int = 40) -> None:
        super().__init__(parent)
        self._store = store
        self._count = len(store)
        self._shift = 0
        self._dirty: set[int] = set()
        self._looks: dict[int, _Look] = {}  # absolute position -> look
        self._brushes = _Brushes()
        self._interval = interval_ms
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

    def refresh_theme(self) -> None:
        """Rebuild the brushes after the theme changed."""
        self._brushes = _Brushes()
        self._looks.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    # -- store signals, coalesced -------------------------------------------------------

    def _on_added(self, _row: int) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _on_updated(self, row: int) -> None:
        self._looks.pop(self._store.first_position + row, None)
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
        first = self._store.first_position
        for position in [p for p in self._looks if p < first]:
            del self._looks[position]
        self.trimmed.emit(count)

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
            # A fast stream (over ~100 rows a second) is announced ten times a second, not 25:
            # each announcement repaints the followed tail, and nobody reads rows that fast.
            busy = total - first > self._interval // 10
            self._timer.setInterval(max(self._interval, 100) if busy else self._interval)
            self.beginInsertRows(QModelIndex(), first, total - 1)
            self._count = total
            self.endInsertRows()
            self.flushed.emit(first, total - 1)

    # -- rows by absolute position (what the filter model keeps) -----------------------

    def position(self, row: int) -> int:
        """The absolute store position of model row ``row``."""
        return self._store.first_position - self._shift + row

    def exchange_at(self, position: int) -> Exchange | None:
        row = position - self._store.first_position
        return self._store[row] if 0 <= row < len(self._store) else None

    def look(self, position: int) -> _Look | None:
        """The cached look of the row at ``position`` (computed on first use)."""
        look = self._looks.get(position)
        if look is None:
            e = self.exchange_at(position)
            if e is None:
                return None
            if len(self._looks) >= _LOOKS:
                del self._looks[next(iter(self._looks))]
            look = self._looks[position] = self._brushes.look(e)
        return look

    def cell(self, position: int, column: int, role: int) -> Any:
        """``data()`` for the row at ``position``: what both the model and the filter serve."""
        look = self._looks.get(position) or self.look(position)
        if look is None:
            return None
        if role == _DISPLAY:
            return look.cells[column]
        if role == _FOREGROUND:
            return look.foreground[column]
        if role == _BACKGROUND:
            return look.background
        if role == _ALIGNMENT:
            return _ALIGN[column]
        if role == _FONT:
            return self._bold if column == 5 and look.bold_status else None
        if role == _TOOLTIP:
            return look.tooltips[column]
        return self._filter_data(position, role)

    def _filter_data(self, position: int, role: int) -> Any:
        if role not in (ExchangeRole, StatusClassRole, HasWarningsRole):
            return None
        e = self.exchange_at(position)
        if e is None or role == ExchangeRole:
            return e
        return status_class(e) if role == StatusClassRole else has_warnings(e)

    # -- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def exchange(self, row: int) -> Exchange | None:
        return self.exchange_at(self.position(row)) if 0 <= row < self._count else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in SERVED_ROLES:
            return None
        return self.cell(self.position(index.row()), index.column(), role)
