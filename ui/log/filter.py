"""The live log's filter model: the rows of an ExchangeTableModel a LogQuery accepts.

Matching runs on the store's :class:`~inspector.logindex.LogIndex` (search text and small
columns kept ready per row), never on display strings. A new query is computed in slices of a
few milliseconds from a zero-interval timer, so the window keeps answering input; matched rows
appear (and the row count grows) slice by slice. A query that narrows the previous one (one
more letter typed) only re-checks the rows already shown. Rows that arrive, change or are
trimmed while a filter is on are matched one by one as they come.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtCore import QTimer, Signal

from inspector.exchange import Exchange
from inspector.logindex import LogQuery

from .model import COLUMNS, SERVED_ROLES, ExchangeTableModel, _Look

__all__ = ["LogFilterModel"]

_Index = QModelIndex | QPersistentModelIndex
SLICE_S = 0.006  # one slice of filtering: well inside a 16 ms frame
_CHUNK = 4096  # rows matched between two looks at the clock
PUBLISH_S = 0.1  # matched rows reach the view (and the count) ten times a second


class LogFilterModel(QAbstractTableModel):
    """Shows the rows ``query`` accepts, in store order; all rows while no filter is on.

    ``progress(done, total)`` while a filter is computed, ``filtered()`` once it is complete,
    ``trimming(count)`` before the store's trim takes rows from the top (before the selection
    model hears of it).
    """

    progress = Signal(int, int)
    filtered = Signal()
    trimming = Signal(int)  # this many rows are about to leave from the top (a store trim)

    def __init__(self, source: ExchangeTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._store = source.store
        self._index = source.store.index
        self._query = LogQuery()
        self._rows: list[int] | None = None  # absolute positions shown; None: every row
        self._scanned = 0  # (filtered) positions below this were matched
        self._todo: list[int] | None = None  # (refining) candidate positions, and where we are
        self._todo_at = 0
        self._late: set[int] = set()  # rows that changed while a filter was being computed
        self._found: list[int] = []  # matched, not yet shown
        self._published = 0.0
        self._busy = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._work)
        s = source
        s.rowsAboutToBeInserted.connect(self._before_insert)
        s.rowsInserted.connect(self._after_insert)
        s.rowsAboutToBeRemoved.connect(self._before_remove)
        s.rowsRemoved.connect(self._after_remove)
        s.dataChanged.connect(self._on_data_changed)
        s.changed_rows.connect(self._on_changed_rows)
        s.trimmed.connect(self._on_trimmed)
        s.modelReset.connect(self._restart)

    # -- the query ----------------------------------------------------------------------

    @property
    def query(self) -> LogQuery:
        return self._query

    @property
    def active(self) -> bool:
        return self._rows is not None

    @property
    def busy(self) -> bool:
        """True while a filter is still being computed."""
        return self._busy

    def set_query(self, query: LogQuery) -> None:
        """Show what ``query`` accepts; returns at once, the rest follows in slices."""
        if query == self._query:
            return
        previous, self._query = self._query, query
        refine = (not self._busy and self._rows is not None and query.narrows(previous))
        self._start(self._rows if refine else None)

    def _restart(self) -> None:
        self._start(None)

    def _start(self, candidates: list[int] | None) -> None:
        self._timer.stop()
        self.beginResetModel()
        self._late.clear()
        if not self._query.active:
            self._rows, self._busy = None, False
            self.endResetModel()
            self.filtered.emit()
            return
        self._rows, self._busy, self._found = [], True, []
        self._published = time.perf_counter()
        self._todo, self._todo_at = candidates, 0
        if candidates is None:
            self._scanned = self._store.first_position
        self.endResetModel()
        self._work()

    # -- computing a filter in slices ---------------------------------------------------

    def _work(self) -> None:
        now = time.perf_counter()
        if self._found and now - self._published >= PUBLISH_S:
            self._publish()  # a slice of its own: the repaint it causes follows a short one
            self._timer.start()
            return
        deadline = now + SLICE_S
        done = self._step(self._found)  # at least one chunk per slice, however short
        while not done and time.perf_counter() < deadline:
            done = self._step(self._found)
        if done:
            self._publish()
            self._busy = False
            for position in sorted(self._late):
                self._recheck(position)
            self._late.clear()
            self.filtered.emit()
        else:
            self.progress.emit(*self.progress_now())
            self._timer.start()

    def _publish(self) -> None:
        self._append(self._found)
        self._found = []
        self._published = time.perf_counter()

    def _step(self, found: list[int]) -> bool:
        """Match one chunk into ``found``; True when nothing is left."""
        first = self._store.first_position
        if self._todo is not None:
            chunk = self._todo[self._todo_at:self._todo_at + _CHUNK]
            self._todo_at += len(chunk)
            rows = [p - first for p in chunk if p >= first]
            found.extend(r + first for r in self._index.refine(self._query, rows))
            if self._todo_at >= len(self._todo):
                self._todo = None
            return False
        end = self._source_end()
        start = max(self._scanned, first)
        if start >= end:
            return True
        stop = min(end, start + _CHUNK)
        found.extend(r + first for r in self._index.scan(self._query, start - first,
                                                          stop - first))
        self._scanned = stop
        return False

    def progress_now(self) -> tuple[int, int]:
        """(rows matched so far, rows to match) of the filter being computed."""
        if self._todo is not None:
            return self._todo_at, len(self._todo)
        first = self._store.first_position
        return self._scanned - first, self._source_end() - first

    def _source_end(self) -> int:
        return self._source.position(self._source.rowCount())

    def _append(self, positions: list[int]) -> None:
        if positions and self._rows is not None:
            n = len(self._rows)
            self.beginInsertRows(QModelIndex(), n, n + len(positions) - 1)
            self._rows.extend(positions)
            self.endInsertRows()

    # -- rows arriving, changing, trimmed -----------------------------------------------

    def _before_insert(self, _parent: _Index, first: int, last: int) -> None:
        if self._rows is None:
            self.beginInsertRows(QModelIndex(), first, last)

    def _after_insert(self, *_: object) -> None:
        if self._rows is None:
            self.endInsertRows()
        elif not self._busy:
            found: list[int] = []
            while not self._step(found):
                pass
            self._append(found)

    def _before_remove(self, _parent: _Index, first: int, last: int) -> None:
        if self._rows is None:
            self.trimming.emit(last - first + 1)
            self.beginRemoveRows(QModelIndex(), first, last)

    def _after_remove(self, *_: object) -> None:
        if self._rows is None:
            self.endRemoveRows()

    def _on_trimmed(self, _count: int) -> None:
        if self._rows is None:
            return
        self._found = self._found[bisect_left(self._found, self._store.first_position):]
        cut = bisect_left(self._rows, self._store.first_position)
        if cut:
            self.trimming.emit(cut)
            self.beginRemoveRows(QModelIndex(), 0, cut - 1)
            del self._rows[:cut]
            self.endRemoveRows()

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex, *_: object) -> None:
        if self._rows is None:
            self.dataChanged.emit(self.index(top.row(), 0),
                                  self.index(bottom.row(), len(COLUMNS) - 1))

    def _on_changed_rows(self, rows: list[int]) -> None:
        if self._rows is None:
            return
        first = self._store.first_position
        for row in rows:
            position = first + row
            if self._busy:
                self._late.add(position)
            elif position < self._scanned:
                self._recheck(position)

    def _recheck(self, position: int) -> None:
        """Insert, drop or repaint the row at ``position`` after it changed."""
        assert self._rows is not None
        row = position - self._store.first_position
        if row < 0:
            return
        at = bisect_left(self._rows, position)
        present = at < len(self._rows) and self._rows[at] == position
        if self._index.accepts(self._query, row):
            if present:
                self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
            else:
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, position)
                self.endInsertRows()
        elif present:
            self.beginRemoveRows(QModelIndex(), at, at)
            del self._rows[at]
            self.endRemoveRows()

    # -- the model ----------------------------------------------------------------------

    def position(self, row: int) -> int:
        """The absolute store position of view row ``row``."""
        return self._source.position(row) if self._rows is None else self._rows[row]

    def view_row(self, source_row: int) -> int | None:
        """The view row showing the source model's ``source_row``, None if filtered out."""
        if self._rows is None:
            return source_row if 0 <= source_row < self._source.rowCount() else None
        position = self._source.position(source_row)
        at = bisect_left(self._rows, position)
        return at if at < len(self._rows) and self._rows[at] == position else None

    def exchange(self, row: int) -> Exchange | None:
        if not 0 <= row < self.rowCount():
            return None
        return self._source.exchange_at(self.position(row))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        if parent.isValid():
            return 0
        return self._source.rowCount() if self._rows is None else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._source.headerData(section, orientation, role)

    def look(self, row: int) -> _Look | None:
        """How view row ``row`` is painted (the delegate's one call per cell)."""
        try:
            return self._source.look(self.position(row))
        except IndexError:  # a row Qt still paints while it is being removed
            return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in SERVED_ROLES:
            return None
        return self._source.cell(self.position(index.row()), index.column(), role)
