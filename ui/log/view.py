"""The live log widget: filter bar, the table, and a follow-tail toggle."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget)

from inspector.exchange import Exchange
from inspector.protocol.catalogue import EVENT_NAMES

from .filter import LogFilterProxy
from .model import ExchangeRole, ExchangeTableModel

__all__ = ["LogView"]

_WIDTHS = (56, 96, 130, 80, 112, 110, 80, 260)
_STATUS_CLASSES = (("All statuses", ""), ("2xx", "2xx"), ("4xx", "4xx"), ("5xx", "5xx"),
                   ("No response", "error"), ("Pending", "pending"))


class LogView(QWidget):
    """Shows an :class:`ExchangeTableModel`; ``selected(exchange)`` when a row is picked."""

    selected = Signal(object)

    def __init__(self, model: ExchangeTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = LogFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.table = self._make_table()
        self.search = QLineEdit(placeholderText="Filter: event, status, finding code…",  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                                clearButtonEnabled=True, objectName="log-filter")
        self.event_filter = QComboBox(objectName="log-event-filter")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.event_filter.addItem("All events", "")
        for name in EVENT_NAMES:
            self.event_filter.addItem(name, name)
        self.status_filter = QComboBox(objectName="log-status-filter")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        for label, value in _STATUS_CLASSES:
            self.status_filter.addItem(label, value)
        self.warnings_only = QCheckBox("With warnings", objectName="log-warnings-only")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.follow = QCheckBox("Follow tail", objectName="follow-tail", checked=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.count_label = QLabel(objectName="log-count")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self._layout()
        self._connect()
        self._update_count()

    def _make_table(self) -> QTableView:
        table = QTableView(objectName="log")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # Ctrl+A: all
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: no measuring
        vh.setDefaultSectionSize(table.fontMetrics().height() + 8)
        hh = table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        hh.setHighlightSections(False)
        for column, width in enumerate(_WIDTHS):
            table.setColumnWidth(column, width)
        return table

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.event_filter, 1)
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(self.warnings_only)
        bar.addWidget(self.follow)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def _connect(self) -> None:
        self.search.textChanged.connect(self.proxy.set_text)
        self.event_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_event_type(self.event_filter.currentData()))
        self.status_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_status_class(self.status_filter.currentData()))
        self.warnings_only.toggled.connect(self.proxy.set_warnings_only)
        self.model.flushed.connect(self._on_flushed)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.verticalScrollBar().actionTriggered.connect(self._on_user_scroll)

    def _on_flushed(self, _first: int, _last: int) -> None:
        self._update_count()
        if self.follow.isChecked():
            self.table.scrollToBottom()

    def _on_user_scroll(self, _action: int) -> None:
        # Scrolling away from the tail by hand pauses following; back at the end resumes it.
        bar = self.table.verticalScrollBar()
        self.follow.setChecked(bar.sliderPosition() >= bar.maximum() - 2)

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown:,} rows" if shown == total
                                 else f"{shown:,} of {total:,} rows")

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self.selected.emit(indexes[0].data(ExchangeRole) if indexes else None)

    def current_exchange(self) -> Exchange | None:
        index = self.table.currentIndex()
        return index.data(ExchangeRole) if index.isValid() else None

    def select_source_row(self, row: int) -> None:
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def proxy_index(self, row: int) -> QModelIndex:
        return self.proxy.index(row, 0)
