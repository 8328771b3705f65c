"""A session and its reference side by side (issue 14): the events aligned as the core's
diff aligns them, each difference highlighted on its row, and a one-line verdict.

It only shows what :func:`inspector.diff.diff_sessions` and
:func:`inspector.diff.aligned_rows` computed; no comparing happens here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QListWidget, QListWidgetItem,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from inspector.diff import Difference, Row, SessionView

from .theme import colors

__all__ = ["DiffView", "verdict_text", "COLUMNS", "KIND_ROLE"]

COLUMNS = ("Call", "This session", "t (s)", "Call", "Reference", "t (s)", "Differences")
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # the kinds of difference on a row, for tests and tools
_ERRORS = frozenset({"missing", "extra", "out of order"})  # the sequence itself differs


def verdict_text(found: list[Difference], tolerance: float) -> str:
    """``Match within tolerance`` or ``N differences: 1 missing, 2 params``."""
    if not found:
        return f"Match within tolerance (±{tolerance:g} s)."
    kinds = Counter(d.kind for d in found)
    parts = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    return f"{len(found)} difference{'' if len(found) == 1 else 's'}: {parts}."


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class DiffView(QWidget):
    """The verdict, the aligned table and every difference in a list (selecting one shows
    its row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = QLabel(objectName="diff-verdict")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.verdict.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), objectName="diff-table")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.differences = QListWidget(objectName="diff-list")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.differences.setWordWrap(True)
        self.differences.currentRowChanged.connect(self._show_difference)
        self._rows_of: list[int | None] = []  # table row of each listed difference
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.differences)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(split, 1)

    def show_diff(self, got: SessionView, ref: SessionView, rows: list[Row],
                  found: list[Difference], tolerance: float) -> None:
        """Fill the view from the core's rows and differences."""
        failed = bool(found)
        self.verdict.setText(f"<b>{verdict_text(found, tolerance)}</b> {got.label} "
                             f"({len(got.bodies)} calls) against {ref.label} "
                             f"({len(ref.bodies)} calls).")
        self.verdict.setProperty("role", "error" if failed else "ok")
        self.table.setRowCount(len(rows))
        placed: dict[int, int] = {}
        for r, row in enumerate(rows):
            on_row = [d for d in found if (d.mine is not None and d.mine == row.mine)
                      or (d.theirs is not None and d.theirs == row.theirs)]
            self._fill(r, got, ref, row, on_row)
            for d in on_row:
                placed.setdefault(id(d), r)
        self._list(found, placed)
        self.table.resizeColumnsToContents()

    def _fill(self, r: int, got: SessionView, ref: SessionView, row: Row,
              on_row: list[Difference]) -> None:
        cells = [*self._side(got, row.mine), *self._side(ref, row.theirs),
                 "; ".join(f"{d.kind}: {d.text}" for d in on_row)]
        kinds = sorted({d.kind for d in on_row})
        brush = QBrush()
        if on_row:
            brush = QBrush(colors().error_bg if _ERRORS & set(kinds) else colors().warning_bg)
        for col, text in enumerate(cells):
            item = _cell(text)
            item.setData(KIND_ROLE, kinds)
            item.setBackground(brush)
            if on_row:
                item.setToolTip("\n".join(str(d) for d in on_row))
            self.table.setItem(r, col, item)

    @staticmethod
    def _side(view: SessionView, index: int | None) -> tuple[str, str, str]:
        if index is None:
            return "", "—", ""
        body: dict[str, Any] = view.bodies[index]
        seconds = view.seconds(body)
        return (str(index + 1), str(body.get("eventType")),
                "" if seconds is None else f"{seconds:g}")

    def _list(self, found: list[Difference], placed: dict[int, int]) -> None:
        self.differences.clear()
        self._rows_of = [placed.get(id(d)) for d in found]
        for d in found:
            where = "" if placed.get(id(d)) is not None else "  (whole session)"
            self.differences.addItem(QListWidgetItem(f"{d}{where}"))
        if not found:
            self.differences.addItem("No differences: the events, their parameters and "
                                     "times, the pings and the metrics agree.")

    def _show_difference(self, index: int) -> None:
        row = self._rows_of[index] if 0 <= index < len(self._rows_of) else None
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollToItem(self.table.item(row, 0))

    def row_kinds(self) -> list[list[str]]:
        """The kinds of difference highlighted on each table row (empty: the row agrees)."""
        return [list(self.table.item(r, 0).data(KIND_ROLE) or [])
                for r in range(self.table.rowCount())]
