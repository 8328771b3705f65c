"""A parameter form generated from the catalogue for one event type."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from inspector.protocol.catalogue import Param, ParamType, params_for

from ..theme import colors

__all__ = ["ParamForm", "parse_value"]


def parse_value(param: Param, text: str) -> Any:
    """The typed value of ``text`` for ``param``; ValueError names what was expected."""
    text = text.strip()
    if param.type is ParamType.INTEGER:
        return int(text)
    if param.type is ParamType.NUMBER:
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if param.type is ParamType.BOOLEAN:
        if text.lower() not in ("true", "false"):
            raise ValueError("expected true or false")
        return text.lower() == "true"
    if param.type is ParamType.OBJECT:
        return json.loads(text)
    return text


def _label(param: Param, event_type: str) -> QLabel:
    star = " *" if param.required(event_type) else ""
    unit = f" ({param.unit})" if param.unit else ""
    label = QLabel(f"{param.key}{unit}{star}")
    label.setToolTip(f"{param.description}\nType: {param.type.value}"
                     + ("\nRequired" if star else "\nOptional: leave empty to omit"))
    return label


class ParamForm(QWidget):
    """One editor per catalogue parameter of an event type, filled with the player's defaults;
    ``edited(key)`` when the user types in one."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.event_type = ""
        self._editors: dict[str, tuple[Param, QLineEdit]] = {}
        self.marks: dict[str, str] = {}  # key -> why the target refused it (issue 17)
        self._tips: dict[str, str] = {}
        self._form = QFormLayout(self)
        self._form.setContentsMargins(4, 4, 4, 4)
        self._form.setVerticalSpacing(4)

    def set_event(self, event_type: str, defaults: dict[str, Any]) -> None:
        """Rebuild the form for ``event_type`` with ``defaults`` filled in."""
        while self._form.rowCount():
            self._form.removeRow(0)
        self._editors.clear()
        self.marks.clear()
        self.event_type = event_type
        params = params_for(event_type)
        if not params:
            self._form.addRow(QLabel(f"{event_type} takes no params."))
        for param in params:
            self._form.addRow(_label(param, event_type), self._editor(param, defaults))

    def _editor(self, param: Param, defaults: dict[str, Any]) -> QWidget:
        value = defaults.get(param.key)
        text = "" if value is None else (json.dumps(value) if isinstance(value, (dict, bool))
                                         else str(value))
        widget: QWidget
        if param.suggestions or param.type is ParamType.BOOLEAN:
            combo = QComboBox(editable=True)
            combo.addItems(["", *(param.suggestions or ("true", "false"))])
            combo.setCurrentText(text)
            line = combo.lineEdit()
            assert line is not None  # an editable combo box always has its line edit
            widget = combo
        else:
            line = widget = QLineEdit(text)
        line.setPlaceholderText(param.type.value)
        line.setObjectName(f"param:{param.key}")
        self._editors[param.key] = (param, line)
        line.textEdited.connect(lambda _text, key=param.key: self.edited.emit(key))
        return widget

    def mark(self, key: str, reason: str) -> bool:
        """Mark ``key``'s editor as refused by the target (colour and tooltip); False when
        the form has no such editor."""
        if key not in self._editors:
            return False
        line = self._editors[key][1]
        if key not in self.marks:
            self._tips[key] = line.toolTip()
        self.marks[key] = reason
        c = colors()
        line.setStyleSheet(f"QLineEdit {{ background: {c.warning_bg.name()}; "
                           f"border: 1px solid {c.client_error.name()}; }}")
        line.setToolTip(f"The target refused this field: {reason}")
        return True

    def unmark(self, key: str) -> None:
        """Clear ``key``'s mark (the user fixed it, or a new answer came)."""
        if self.marks.pop(key, None) is None or key not in self._editors:
            return
        line = self._editors[key][1]
        line.setStyleSheet("")
        line.setToolTip(self._tips.pop(key, ""))

    def editor(self, key: str) -> QLineEdit:
        return self._editors[key][1]

    def values(self) -> dict[str, Any]:
        """The filled-in params, typed; raises ValueError naming the first bad field."""
        out: dict[str, Any] = {}
        for key, (param, line) in self._editors.items():
            if not line.text().strip():
                continue
            try:
                out[key] = parse_value(param, line.text())
            except ValueError as exc:
                raise ValueError(f"{key}: {exc} (expected {param.type.value})") from exc
        return out
