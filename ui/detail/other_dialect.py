"""The selected call in the other dialect (spec §9): "As Edge" for a classic row, "As classic"
for an Edge row, with the fields the Edge body cannot carry and why."""

from __future__ import annotations

import html
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from inspector.exchange import Exchange
from inspector.migration import migration_rows
from inspector.protocol.edge import no_counterpart_why

from .json_view import JsonView

__all__ = ["OtherDialectView", "tab_title"]


def tab_title(exchange: Exchange | None) -> str:
    """"As classic" for a Media Edge row, "As Edge" for any other."""
    return "As classic" if exchange is not None and exchange.dialect == "edge" else "As Edge"


class OtherDialectView(QWidget):
    """What the call would have been in the other dialect, and what it leaves out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail-other-dialect")
        self.note = QLabel(objectName="other-dialect-note", wordWrap=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.note.setProperty("role", "muted")
        self.body = JsonView()
        self.body.setObjectName("other-dialect-body")
        self.missing = QTextBrowser(objectName="other-dialect-missing", openExternalLinks=True)  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.body)
        split.addWidget(self.missing)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)

    def show_exchange(self, exchange: Exchange | None) -> None:
        if exchange is None:
            self.note.clear()
            self.body.set_text("")
            self.missing.clear()
            return
        rows = migration_rows([exchange])
        edge_row = exchange.dialect == "edge"
        self.note.setText(
            "The same event as a Media Collection API call (what it would have been; spec §9)."
            if edge_row else "The same event as a Media Edge API call (what it would have "
            "been; spec §9). The datastream id goes in ?configId=.")
        texts, left_out = [], []
        for row in rows:
            if row.problem:
                texts.append(f"No {'classic' if edge_row else 'Edge'} equivalent: "
                             f"{row.problem}")
                continue
            line, body = (row.classic_call, row.classic_body) if edge_row else \
                (row.edge_call, row.edge_body)
            texts.append(f"{line}\n\n{json.dumps(body, indent=2, ensure_ascii=False)}")
            left_out += [k for k in row.left_out if k not in left_out]
        self.body.set_text("\n\n".join(texts))
        self.missing.setHtml(_missing_html(left_out, edge_row))


def _missing_html(keys: list[str], edge_row: bool) -> str:
    if not keys:
        return "<p>Every field has a counterpart in the other dialect.</p>"
    head = "Not sent on the Edge call" if edge_row else "No Edge counterpart"
    items = "".join(f"<li><code>{html.escape(k)}</code>: {html.escape(no_counterpart_why(k))}"
                    "</li>" for k in keys)
    return f"<p><b>{head} ({len(keys)})</b></p><ul>{items}</ul>"
