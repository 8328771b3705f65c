"""The live log's filter: free text, event type, status class and "with warnings"."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from .model import ExchangeTableModel, HasWarningsRole, StatusClassRole

__all__ = ["LogFilterProxy"]


class LogFilterProxy(QSortFilterProxyModel):
    """Filters rows of an :class:`ExchangeTableModel` without sorting them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._event_type = ""
        self._status_class = ""
        self._warnings_only = False

    @property
    def active(self) -> bool:
        return bool(self._text or self._event_type or self._status_class or self._warnings_only)

    def set_text(self, text: str) -> None:
        self._set("_text", text.strip().lower())

    def set_event_type(self, event_type: str) -> None:
        self._set("_event_type", event_type)

    def set_status_class(self, status_class: str) -> None:
        self._set("_status_class", status_class)

    def set_warnings_only(self, on: bool) -> None:
        self._set("_warnings_only", on)

    def _set(self, name: str, value: object) -> None:
        if getattr(self, name) != value:
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.active:
            return True
        model = self.sourceModel()
        assert isinstance(model, ExchangeTableModel)
        e = model.exchange(source_row)
        if e is None:
            return False
        if self._event_type and e.event_type != self._event_type:
            return False
        index = model.index(source_row, 0)
        if self._status_class and model.data(index, StatusClassRole) != self._status_class:
            return False
        if self._warnings_only and not model.data(index, HasWarningsRole):
            return False
        return not self._text or self._matches(e, model, source_row)

    def _matches(self, e: object, model: ExchangeTableModel, row: int) -> bool:
        cells = (model.data(model.index(row, c)) for c in range(model.columnCount()))
        return any(self._text in (cell or "").lower() for cell in cells)
