"""The detail pane: request, response, findings and actions for the selected exchange."""

from __future__ import annotations

import html
import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QPushButton, QTabWidget,
                               QTextBrowser, QVBoxLayout, QWidget)

from inspector.docs import adobe_page
from inspector.exchange import Exchange
from inspector.explain400 import explain_exchange, field_span
from inspector.export.curl import curl_command
from inspector.export.redact import Redactor

from ..log.model import status_text, wall_time
from .explained_strip import ExplainedStrip
from .json_view import JsonView
from .other_dialect import OtherDialectView, tab_title

__all__ = ["DetailPane", "pretty_body"]


def pretty_body(raw: bytes) -> str:
    """The body pretty-printed when it is JSON, else as text."""
    if not raw:
        return "(empty body)"
    try:
        return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _headers(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in pairs) or "(none)"


_NOTHING = "Select a row in the log to see its request and response."


class DetailPane(QWidget):
    """Shows one exchange; ``resend_requested`` and ``edit_requested(body)`` drive the session."""

    resend_requested = Signal(object)
    edit_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail")
        self.exchange: Exchange | None = None
        self.read_only = False  # a past run: nothing can be sent from here
        self.summary = QLabel(_NOTHING,  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                              objectName="detail-summary", wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(documentMode=True)
        self.request = self._text_view()
        self.response = self._text_view()
        self.findings = QTextBrowser(objectName="detail-findings", openExternalLinks=True)  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.headers = self._text_view()  # both sides' headers: one click away from the bodies
        self.tabs.addTab(self.request, "Request")
        self.tabs.addTab(self.response, "Response")
        self.tabs.addTab(self.findings, "Findings")
        self.tabs.addTab(self.headers, "Headers")
        self.other_dialect = OtherDialectView()  # spec §9: "As Edge" / "As classic"
        self.tabs.addTab(self.other_dialect, "As Edge")
        self.explained = ExplainedStrip()  # issue 17: a 400's fields and their rules
        self.explained.field_clicked.connect(self.select_field)
        self.buttons = {name: QPushButton(label, objectName=f"detail-{name}") for name, label in (  # type: ignore[call-overload]  # stubs lack Qt property kwargs
            ("curl", "Copy as curl"), ("body", "Copy body"), ("resend", "Resend"),
            ("edit", "Edit and send…"))}
        # What the copies carry: with Redact on, ids, cookies, credentials and URL query
        # values are replaced (the same redaction as File → Export).
        self.redact = QCheckBox("Redact", objectName="detail-redact")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.redact.setToolTip("Copy as curl and Copy body replace visitor and org ids, "
                               "cookies, credentials and URL query values")
        self._layout()
        self.buttons["curl"].clicked.connect(self.copy_curl)
        self.buttons["body"].clicked.connect(self.copy_body)
        self.buttons["resend"].clicked.connect(lambda: self.resend_requested.emit(self.exchange))
        self.buttons["edit"].clicked.connect(self._edit)
        self.show_exchange(None)

    @staticmethod
    def _text_view() -> JsonView:
        return JsonView()

    def _layout(self) -> None:
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for button in self.buttons.values():
            actions.addWidget(button)
        actions.addWidget(self.redact)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.explained)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(actions)

    def show_exchange(self, exchange: Exchange | None) -> None:
        """Fill every tab from ``exchange`` (None clears the pane)."""
        self.exchange = exchange
        for name, button in self.buttons.items():
            sends = name in ("resend", "edit")
            button.setEnabled(exchange is not None and not (sends and self.read_only))
        if exchange is None:
            for view in (self.request, self.response, self.headers):
                view.set_text("")
            self.findings.clear()
            self.summary.setText(_NOTHING)  # never a header for a row no longer shown
            self._show_dialects(None)
            return
        self.summary.setText(self._summary(exchange))
        # The body first: a 400's message is what the user came for (headers: their tab).
        self.request.set_text(f"{exchange.method} {exchange.url}\n\n"
                              f"{pretty_body(exchange.request_body)}")
        self.headers.set_text(f"Request headers\n{_headers(exchange.request_headers)}\n\n"
                              "Response headers\n"
                              + (_headers(exchange.response_headers) if exchange.status
                                 is not None else "(no response)"))
        self.response.set_text(self._response_text(exchange))
        self.findings.setHtml(self._findings_html(exchange))
        count = len(exchange.findings)
        self.tabs.setTabText(2, f"Findings ({count})" if count else "Findings")
        self._show_dialects(exchange)

    def _show_dialects(self, exchange: Exchange | None) -> None:
        """The other-dialect tab and the 400 explainer for ``exchange``."""
        self.other_dialect.show_exchange(exchange)
        self.tabs.setTabText(self.tabs.indexOf(self.other_dialect), tab_title(exchange))
        items = explain_exchange(exchange) if exchange is not None else []
        self.explained.show_items(items, exchange.status if exchange is not None else None)
        text = self.request.text()
        self.request.mark([span for i in items if (span := field_span(text, i.field))])

    def select_field(self, field: str) -> None:
        """Show the request body with ``field`` (or its nearest enclosing key) selected."""
        span = field_span(self.request.text(), field)
        self.tabs.setCurrentWidget(self.request)
        if span is not None:
            self.request.select(span)

    def _summary(self, e: Exchange) -> str:
        bits = [f"<b>#{e.seq} {e.event_type}</b>", f"status <b>{status_text(e)}</b>",
                f"queued {wall_time(e.queued_at)}"]
        if e.duration_ms is not None:
            bits.append(f"latency {e.duration_ms:.1f} ms")
        if e.dialect == "edge":
            bits.append("<b>Media Edge</b> (spec §9)")
        if e.sid:
            bits.append(f"sid <code>{e.sid}</code>" + (f" (API {e.api_version})"
                                                     if e.api_version else ""))
        if e.error:
            bits.append(f"<span style='color:#c62828'>{e.error}</span>")
        return " · ".join(bits)

    @staticmethod
    def _response_text(e: Exchange) -> str:
        if e.status is None:
            return f"No response ({e.state.value}).\n{e.error or ''}"
        cut = (f"\n(cut to its first {len(e.response_body):,} of {e.response_truncated:,} "
               "bytes)" if e.response_truncated else "")
        return f"HTTP {e.status}\n\n{pretty_body(e.response_body)}{cut}"

    @staticmethod
    def _findings_html(e: Exchange) -> str:
        if not e.findings:
            return "<p>No findings for this event.</p>"
        items = []
        for f in e.findings:
            page = adobe_page(f.spec)
            spec = (f' <i>(Adobe: <a href="{page[1]}">{html.escape(page[0])}</a>)</i>'
                    if page is not None else
                    " <i>(our embedded backend's documented choice)</i>" if f.spec else "")
            items.append(f"<p><b>{f.severity.value.upper()} {f.code}</b>{spec}<br>{f.message}</p>")
        return "".join(items)

    def _copied(self) -> Exchange | None:
        """The exchange as the copies carry it: redacted when Redact is ticked."""
        if self.exchange is None or not self.redact.isChecked():
            return self.exchange
        return Redactor([self.exchange]).exchange(self.exchange)

    def copy_curl(self) -> None:
        exchange = self._copied()
        if exchange is not None:
            QGuiApplication.clipboard().setText(curl_command(exchange))

    def copy_body(self) -> None:
        exchange = self._copied()
        if exchange is not None:
            QGuiApplication.clipboard().setText(pretty_body(exchange.request_body))

    def _edit(self) -> None:
        if self.exchange is not None:
            self.edit_requested.emit(pretty_body(self.exchange.request_body))
