"""Compose one event before sending: a generated form, key/value editors, or raw JSON."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QScrollArea, QTabWidget, QVBoxLayout, QWidget)

from inspector.exchange import Exchange
from inspector.explain400 import Explained, explain_exchange, field_span
from inspector.protocol.catalogue import EVENT_NAMES, event, qoe_params
from inspector.protocol.schemas import validate_body

from ..controller import Controller
from ..detail.json_highlighter import JsonHighlighter
from ..detail.json_view import mark_spans
from ..theme import colors
from .kv_editor import KeyValueEditor
from .param_form import ParamForm

__all__ = ["Composer"]


def _qoe_value(text: str) -> Any:
    return int(text.strip())


class Composer(QWidget):
    """Form mode builds params from the catalogue; raw mode sends the exact text."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.event_combo = QComboBox(objectName="composer-event")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.event_combo.addItems(list(EVENT_NAMES))
        self.form = ParamForm()
        self.qoe = KeyValueEditor("qoeData", _qoe_value,
                                  tuple(p.key for p in qoe_params()))
        self.metadata = KeyValueEditor("customMetadata")
        self.raw = QPlainTextEdit(objectName="raw-json")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self._highlighter = JsonHighlighter(self.raw.document())
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error = QLabel(objectName="composer-error", wordWrap=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.error.setProperty("role", "error")
        self.error.hide()
        self._error_raw = False  # the error on show was made in raw mode
        self._generated = ""  # the raw text as the composer last wrote it
        self.raw_marks: list[Explained] = []  # a 400's fields, marked in the raw text
        self.send_button = QPushButton("Send", objectName="composer-send")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.send_button.setDefault(True)
        self.refresh_button = QPushButton("Reset to defaults", objectName="composer-refresh")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.tabs = QTabWidget(documentMode=True)
        self._layout()
        self.event_combo.currentTextChanged.connect(self.load_event)
        self.tabs.currentChanged.connect(self._on_tab)
        self.send_button.clicked.connect(self.send)
        self.refresh_button.clicked.connect(lambda: self.load_event(self.event_type))
        self.form.edited.connect(self._recheck_form)
        self.raw.textChanged.connect(self._recheck_raw)
        self.load_event(EVENT_NAMES[0])

    def _layout(self) -> None:
        scroll = QScrollArea(widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.tabs.addTab(scroll, "Params")
        self.tabs.addTab(self.qoe, "qoeData")
        self.tabs.addTab(self.metadata, "customMetadata")
        self.tabs.addTab(self.raw, "Raw JSON")
        top = QHBoxLayout()
        top.addWidget(QLabel("Event"))
        top.addWidget(self.event_combo, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.refresh_button)
        bottom.addStretch(1)
        bottom.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

    @property
    def event_type(self) -> str:
        return self.event_combo.currentText()

    @property
    def raw_mode(self) -> bool:
        return self.tabs.currentWidget() is self.raw

    def load_event(self, event_type: str) -> None:
        """Fill the form with the player's defaults for ``event_type``."""
        if self.event_combo.currentText() != event_type:
            self.event_combo.setCurrentText(event_type)  # re-enters through the signal
            return
        body = self.controller.preview(event_type)
        self.form.set_event(event_type, body.get("params", {}))
        self.qoe.set_values(body.get("qoeData", {}))
        self.metadata.set_values(body.get("customMetadata", {}))
        allowed = event(event_type).custom_metadata
        self.metadata.setEnabled(allowed)
        self.tabs.setTabToolTip(2, "" if allowed else
                                f"{event_type} does not take customMetadata (spec §5).")
        self._set_raw(json.dumps(body, indent=2))
        self._clear_error()

    def edit_body(self, text: str) -> None:
        """Open ``text`` in raw mode (Edit and send from the detail pane)."""
        self.tabs.setCurrentWidget(self.raw)
        self.raw.setPlainText(text)
        self.raw.setFocus()
        self._clear_error()

    def _on_tab(self, _index: int) -> None:
        # An error belongs to the tab it was made in: it shows only there.
        self.error.setVisible(bool(self.error.text()) and self._error_raw == self.raw_mode)
        # Raw JSON follows the form unless the user edited it (their text is never lost).
        if self.raw_mode and self.raw.toPlainText() in ("", self._generated):
            self._form_to_raw()

    def _form_to_raw(self) -> None:
        try:
            params = self.form.values()
        except ValueError:
            return  # keep whatever raw text is there; the form shows its own error on send
        body = self.controller.preview(self.event_type)
        body.pop("params", None)
        if params or event(self.event_type).requires_params:
            body["params"] = params
        for key, editor in (("qoeData", self.qoe), ("customMetadata", self.metadata)):
            values = editor.values() if editor.isEnabled() else {}
            body.pop(key, None)
            if values:
                body[key] = values
        self._set_raw(json.dumps(body, indent=2))

    def _set_raw(self, text: str) -> None:
        """Raw text the composer wrote (not the user): it may be rewritten from the form."""
        self._generated = text
        self.raw.setPlainText(text)

    def send(self) -> None:
        """Send what the composer holds; on an error nothing is sent and the text stays."""
        if self.raw_mode:
            message = self.controller.send_raw(self.raw.toPlainText(), answered=self.explain)
        else:
            message = self._send_form()
        if message:
            self._show_error(message)
        else:
            self._clear_error()

    def _send_form(self) -> str | None:
        try:
            params = self.form.values()
        except ValueError as exc:
            return f"Not sent: {exc}"
        cm = self.metadata.values() if self.metadata.isEnabled() else None
        self.controller.send_event(self.event_type, params, self.qoe.values() or None,
                                   cm or None, defaults=False, answered=self.explain)
        return None

    # -- the 400 explainer (issue 17) ---------------------------------------------------

    def explain(self, exchange: Exchange) -> None:
        """Mark the fields a 400 names on the form and in the raw text; any other answer
        clears the marks."""
        items = explain_exchange(exchange)
        for key in list(self.form.marks):
            self.form.unmark(key)
        if exchange.event_type == self.form.event_type:
            for item in items:
                if item.key:
                    self.form.mark(item.key, f"{item.message} · rule: {item.rule}")
        self.raw_marks = items
        self._paint_raw()
        if items:
            self._error_raw = self.raw_mode
            self.error.setText(f"HTTP {exchange.status}: " + "; ".join(
                f"{i.classic or i.field}: {i.message} (rule: {i.rule})" for i in items))
            self.error.show()

    def _flagged(self, body: Any) -> set[str]:
        """The classic paths the session's schemas still flag in ``body``: the target's
        when it judges this session (issue 17, spec §1.5), else our catalogue's."""
        validate = self.controller.session.schemas or validate_body
        return {e.path for e in validate(body)} if body is not None else set()

    def _recheck_form(self, key: str) -> None:
        if key not in self.form.marks:
            return
        try:
            body = self.controller.preview(self.event_type)
            body["params"] = self.form.values()
        except ValueError:
            return  # a value the form cannot even type is not fixed yet
        if f"params.{key}" not in self._flagged(body):
            self.form.unmark(key)

    def _recheck_raw(self) -> None:
        if not self.raw_marks:
            return
        try:
            body = json.loads(self.raw.toPlainText())
        except ValueError:
            body = None
        flagged = self._flagged(body)
        kept = [i for i in self.raw_marks if body is None or i.classic in flagged]
        if len(kept) != len(self.raw_marks):
            self.raw_marks = kept
            self._paint_raw()

    def _paint_raw(self) -> None:
        text = self.raw.toPlainText()
        spans = [s for i in self.raw_marks if (s := field_span(text, i.classic))]
        self.raw.setExtraSelections(mark_spans(self.raw, spans, colors().warning_bg))

    def _show_error(self, message: str) -> None:
        self._error_raw = self.raw_mode
        self.error.setText(message)
        self.error.show()

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
