"""The migration view (issue 15, spec §9): one session's calls in the classic and Media Edge
dialects side by side, and a checklist of the fields Edge cannot carry.

Built from ``inspector.migration`` (rows and checklist); this widget only shows them.
"""

from __future__ import annotations

import html
import json
import re
from typing import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from inspector.exchange import Exchange
from inspector.migration import (ChecklistItem, MigrationRow, checklist, migration_rows,
                                 session_numbers)

from .detail.json_view import JsonView, titled

__all__ = ["MigrationView"]

_COLUMNS = ("#", "Event", "Sent as", "Classic call", "Edge call", "No Edge counterpart")


class MigrationView(QDialog):
    """Reads ``exchanges()`` (the live log) on :meth:`refresh`; ``current()`` is the session
    shown first (the window's current one)."""

    def __init__(self, exchanges: Callable[[], Iterable[Exchange]],
                 current: Callable[[], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("migration-view")
        self.setWindowTitle("Migration view: classic calls and their Media Edge equivalents")
        self._exchanges, self._current = exchanges, current
        self.rows: list[MigrationRow] = []
        self.items: list[ChecklistItem] = []
        self.session = QComboBox(objectName="migration-session")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.table = QTableWidget(0, len(_COLUMNS), objectName="migration-calls")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.classic = JsonView()
        self.classic.setObjectName("migration-classic")
        self.edge = JsonView()
        self.edge.setObjectName("migration-edge")
        self.checklist = QListWidget(objectName="migration-checklist")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.doc = QLabel(objectName="migration-doc", wordWrap=True,  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                          openExternalLinks=True)
        self.summary = QLabel(objectName="migration-summary", wordWrap=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self._layout()
        self.session.activated.connect(lambda _: self.show_session(self.session.currentData()))
        self.table.currentCellChanged.connect(lambda row, *_: self._show_row(row))
        self.checklist.currentRowChanged.connect(self._show_doc)
        self.resize(1100, 680)

    def _layout(self) -> None:
        refresh = QPushButton("Refresh", objectName="migration-refresh")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel("Session"))
        top.addWidget(self.session)
        top.addWidget(refresh)
        top.addWidget(self.summary, 1)
        bodies = QSplitter(Qt.Orientation.Horizontal)
        for title, view in (("Classic Media Collection", self.classic),
                            ("Media Edge (spec §9)", self.edge)):
            bodies.addWidget(titled(title, view))
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(bodies)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Checklist</b>: what the Edge body cannot carry; tick "
                                "each once it is set up elsewhere"))
        column.addWidget(self.checklist, 1)
        column.addWidget(self.doc)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(main, 1)

    def refresh(self) -> None:
        """Reread the log: its sessions, then the current (or chosen) one."""
        chosen = self.session.currentData()
        numbers = session_numbers(self._exchanges())
        self.session.clear()
        for number in numbers:
            self.session.addItem(f"session {number}", number)
        wanted = chosen if chosen in numbers else self._current()
        if wanted not in numbers and numbers:
            wanted = numbers[-1]
        self.session.setCurrentIndex(max(self.session.findData(wanted), 0))
        self.show_session(wanted if numbers else None)

    def show_session(self, number: int | None) -> None:
        """Fill the calls, both bodies and the checklist for session ``number``."""
        self.rows = migration_rows(self._exchanges(), number) if number is not None else []
        self.items = checklist(self.rows)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (str(row.seq), row.event_type, row.sent_as, _short(row.classic_call),
                     _short(row.edge_call) or "—", ", ".join(row.left_out) or row.problem or "")
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.checklist.clear()
        for item in self.items:
            entry = QListWidgetItem(f"{item.key}: {item.reason}")
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            entry.setToolTip(f"Sent on {', '.join(item.events)} ({item.count}×)")
            self.checklist.addItem(entry)
        self.summary.setText(f"{len(self.rows)} calls · {len(self.items)} fields with no Edge "
                             "counterpart" if number is not None else "The log is empty.")
        if self.rows:
            self.table.selectRow(0)
        else:
            self._show_row(-1)
        self._show_doc(0 if self.items else -1)

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.rows):
            self.classic.set_text("")
            self.edge.set_text("")
            return
        call = self.rows[row]
        self.classic.set_text(_call_text(call.classic_call, call.classic_body, call.problem))
        self.edge.set_text(_call_text(call.edge_call, call.edge_body, call.problem))

    def _show_doc(self, row: int) -> None:
        if not 0 <= row < len(self.items):
            self.doc.setText("")
            return
        item = self.items[row]
        page = (f'Adobe: <a href="{item.doc[1]}">{html.escape(item.doc[0])}</a>'
                if item.doc else "Adobe has no page for it")
        self.doc.setText(f"<code>{html.escape(item.key)}</code> (spec {item.section}): "
                         f"{html.escape(item.reason)}. {page}.")


def _short(call: str) -> str:
    """A request line with its 64-character sid cut to 8 (the bodies show it whole)."""
    return re.sub(r"([0-9a-f]{8})[0-9a-f]{56}", r"\1…", call)


def _call_text(line: str, body: object, problem: str | None) -> str:
    if body is None:
        return f"{line}\n\n{problem or '(no body)'}"
    return f"{line}\n\n{json.dumps(body, indent=2, ensure_ascii=False)}"
