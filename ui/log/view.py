"""The live log widget: filter bar, the table, and a follow-tail toggle.

Typing in the filter is debounced on a large log; every filter is computed in slices by the
filter model, with the row count (and how far the filter got) in the count label. When the
store trims its oldest rows the view keeps its place, and says so if the selected row went.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QTableView, QToolButton,
                               QVBoxLayout, QWidget)

from inspector.exchange import Exchange
from inspector.logindex import LogQuery
from inspector.protocol.catalogue import EVENT_NAMES

from .delegate import LogCellDelegate
from .filter import LogFilterModel
from .model import ExchangeTableModel

__all__ = ["LogView"]

_WIDTHS = (56, 96, 130, 80, 112, 110, 80, 260)
_STATUS_CLASSES = (("All statuses", ""), ("2xx", "2xx"), ("4xx", "4xx"), ("5xx", "5xx"),
                   ("No response", "error"), ("Pending", "pending"))
_DEBOUNCE_ROWS = 20_000  # below this a keystroke filters at once
_DEBOUNCE_MS = 150


class LogView(QWidget):
    """Shows an :class:`ExchangeTableModel`; ``selected(exchange)`` when a row is picked."""

    selected = Signal(object)
    clear_requested = Signal()  # the Clear button: the window decides what clearing means

    def __init__(self, model: ExchangeTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.clear = QToolButton(text="Clear", objectName="log-clear")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.clear.setToolTip("Clear the live log (Ctrl+L); the run store keeps every row "
                              "(Past runs)")
        self.clear.clicked.connect(self.clear_requested.emit)
        self.proxy = LogFilterModel(model, self)
        self._typing = QTimer(self, singleShot=True, interval=_DEBOUNCE_MS)
        self._typing.timeout.connect(self._apply_query)
        self._trimmed_note = ""
        self._scroll_back = 0
        self._selected: Exchange | None = None
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
        self.session_filter = QComboBox(objectName="log-session-filter")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.session_filter.addItem("All sessions", None)
        self.session_filter.setVisible(False)  # shown once the log holds two sessions
        self.follow = QCheckBox("Follow tail", objectName="follow-tail", checked=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.count_label = QLabel(objectName="log-count")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self._layout()
        self._connect()
        self._add_sessions()
        self._update_count()

    def _make_table(self) -> QTableView:
        table = QTableView(objectName="log")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        table.setModel(self.proxy)
        self.delegate = LogCellDelegate(self.proxy.look, table)
        table.setItemDelegate(self.delegate)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # Ctrl+A: all
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setShowGrid(False)  # the style sheet made it transparent; not drawing it is cheaper
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt
        # The theme follows the system's light/dark switch: rows take the new colours.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "delegate"):
            self.model.refresh_theme()
        super().changeEvent(event)

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.event_filter, 1)
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(self.session_filter, 1)
        bar.addWidget(self.warnings_only)
        bar.addWidget(self.follow)
        bar.addWidget(self.count_label)
        bar.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_typed)
        for combo in (self.event_filter, self.status_filter, self.session_filter):
            combo.currentIndexChanged.connect(self._apply_query)
        self.warnings_only.toggled.connect(self._apply_query)
        self.model.flushed.connect(self._on_flushed)
        p = self.proxy
        for signal in (p.rowsInserted, p.rowsRemoved, p.modelReset, p.progress, p.filtered):
            signal.connect(self._update_count)
        p.trimming.connect(self._before_trim)
        p.rowsRemoved.connect(self._after_trim)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        for signal in (p.rowsRemoved, p.modelReset, p.filtered):
            signal.connect(self._drop_hidden_selection)
        self.table.verticalScrollBar().actionTriggered.connect(self._on_user_scroll)

    def query(self) -> LogQuery:
        """What the filter bar asks for."""
        return LogQuery(self.search.text(), self.event_filter.currentData() or "",
                        self.status_filter.currentData() or "", self.warnings_only.isChecked(),
                        self.session_filter.currentData())

    def _on_typed(self, _text: str) -> None:
        if self.model.rowCount() < _DEBOUNCE_ROWS:
            self._apply_query()
        else:
            self._typing.start()  # restarts: one filter after the typing pauses

    def _apply_query(self, *_: object) -> None:
        self._typing.stop()
        self._trimmed_note = ""
        self.proxy.set_query(self.query())

    def _on_flushed(self, _first: int, _last: int) -> None:
        self._add_sessions()
        self._update_count()
        if self.follow.isChecked():
            self.table.scrollToBottom()

    def _add_sessions(self) -> None:
        channels = self.model.store.index.channels
        if len(channels) >= self.session_filter.count():
            known = {self.session_filter.itemData(i) for i in range(self.session_filter.count())}
            for channel in channels:
                if channel not in known:
                    self.session_filter.addItem(f"Session {channel + 1}", channel)
            self.session_filter.setVisible(self.session_filter.count() > 2)

    def _before_trim(self, count: int) -> None:
        current = self.table.currentIndex()
        e = self._selected  # the store has dropped the rows already: read what we kept
        if current.isValid() and current.row() < count and e is not None:
            self._trimmed_note = (f" · row #{e.seq} was trimmed from the live log; the run "
                                  "store keeps it (Runs)")
        if not self.follow.isChecked():
            self._scroll_back = count * self.table.verticalHeader().defaultSectionSize()

    def _after_trim(self, *_: object) -> None:
        if self._scroll_back:
            bar = self.table.verticalScrollBar()
            bar.setValue(max(0, bar.value() - self._scroll_back))  # keep the rows in place
            self._scroll_back = 0

    def _on_user_scroll(self, _action: int) -> None:
        # Scrolling away from the tail by hand pauses following; back at the end resumes it.
        bar = self.table.verticalScrollBar()
        self.follow.setChecked(bar.sliderPosition() >= bar.maximum() - 2)

    def _update_count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = (f"{shown:,} rows" if not self.proxy.active
                else f"{shown:,} of {total:,} rows")
        if self.proxy.busy:
            done, todo = self.proxy.progress_now()
            text += f" · filtering {100 * done // max(todo, 1)}%"
        self.count_label.setText(text + self._trimmed_note)

    def _drop_hidden_selection(self, *_: object) -> None:
        """A filter hid the selected row: the detail pane must not go on naming it."""
        if getattr(self, "_selected", None) is not None \
                and not self.table.selectionModel().hasSelection():
            self._selected = None
            self.selected.emit(None)

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self._selected = self.proxy.exchange(indexes[0].row()) if indexes else None
        self.selected.emit(self._selected)

    def current_exchange(self) -> Exchange | None:
        index = self.table.currentIndex()
        return self.proxy.exchange(index.row()) if index.isValid() else None

    def select_source_row(self, row: int) -> None:
        shown = self.proxy.view_row(row)
        if shown is not None:
            self.table.selectRow(shown)
            self.table.scrollTo(self.proxy.index(shown, 0),
                                QAbstractItemView.ScrollHint.PositionAtCenter)

    def proxy_index(self, row: int) -> QModelIndex:
        return self.proxy.index(row, 0)
