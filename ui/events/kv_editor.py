"""A key/value table editor for customMetadata and qoeData."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

__all__ = ["KeyValueEditor"]


class KeyValueEditor(QWidget):
    """Rows of key and value; ``convert`` turns a value's text into what is sent."""

    def __init__(self, title: str, convert: Callable[[str], Any] = str,
                 key_hints: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.convert = convert
        self.key_hints = key_hints
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([f"{title} key", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(60)
        add = QPushButton("Add")
        remove = QPushButton("Remove")
        add.clicked.connect(lambda: self.add_row())
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self, key: str = "", value: str = "") -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        hint = self.key_hints[row] if not key and row < len(self.key_hints) else key
        self.table.setItem(row, 0, QTableWidgetItem(hint))
        self.table.setItem(row, 1, QTableWidgetItem(value))

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows or [self.table.rowCount() - 1]:
            if row >= 0:
                self.table.removeRow(row)

    def values(self) -> dict[str, Any]:
        """The non-empty rows as a dict; values converted (kept as text when they do not)."""
        out: dict[str, Any] = {}
        for row in range(self.table.rowCount()):
            key_item, value_item = self.table.item(row, 0), self.table.item(row, 1)
            key = key_item.text().strip() if key_item else ""
            if not key:
                continue
            text = value_item.text() if value_item else ""
            try:
                out[key] = self.convert(text)
            except ValueError:
                out[key] = text
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        self.table.setRowCount(0)
        for key, value in values.items():
            self.add_row(key, str(value))
