"""Read-only JSON views with syntax colours, rendered once as HTML (cheap for long bodies);
the editable raw JSON editor uses :class:`~ui.detail.json_highlighter.JsonHighlighter`."""

from __future__ import annotations

import html
import re

from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from ..theme import colors, is_dark

__all__ = ["JsonView", "json_html", "palette", "TOKEN", "mark_spans", "titled"]

TOKEN = re.compile(r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)|(?P<str>"(?:[^"\\]|\\.)*")'
                    r"|(?P<num>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|(?P<lit>\b(?:true|false|null)\b)")
_LIGHT = {"key": "#0b5cad", "str": "#1b7f3b", "num": "#b35c00", "lit": "#8e44ad"}
_DARK = {"key": "#7fb0ff", "str": "#8fd694", "num": "#f0b060", "lit": "#d2a8f0"}


def titled(title: str, view: QWidget) -> QWidget:
    """``view`` under a bold one-line title (a column of side-by-side bodies)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
    layout.addWidget(view, 1)
    return box


def palette(dark: bool) -> dict[str, str]:
    """Token kind -> colour, for a dark or light background."""
    return _DARK if dark else _LIGHT


def json_html(text: str) -> str:
    """``text`` as HTML with JSON tokens coloured (any text is safe: it is escaped)."""
    colours = palette(is_dark())
    out, pos = [], 0
    for match in TOKEN.finditer(text):
        out.append(html.escape(text[pos:match.start()]))
        kind = match.lastgroup or "str"
        out.append(f'<span style="color:{colours[kind]}">{html.escape(match.group())}</span>')
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return f"<pre style='margin:0'>{''.join(out)}</pre>"


class JsonView(QTextBrowser):
    """Shows text with JSON colouring; ``text()`` gives back the plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.setOpenLinks(False)
        self._text = ""

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            bar = self.verticalScrollBar()
            position = bar.value()
            self.setHtml(json_html(text))
            bar.setValue(position)

    def text(self) -> str:
        return self._text

    def mark(self, spans: list[tuple[int, int]]) -> None:
        """Give these character spans the warning background (the 400 explainer's fields)."""
        self.setExtraSelections(mark_spans(self, spans, colors().warning_bg))

    def select(self, span: tuple[int, int]) -> None:
        """Select one span and scroll it into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()


def mark_spans(editor: QTextEdit | QPlainTextEdit, spans: list[tuple[int, int]],
               background: QColor) -> list[QTextEdit.ExtraSelection]:
    """Extra selections painting ``spans`` of ``editor``'s text with ``background``."""
    fmt = QTextCharFormat()
    fmt.setBackground(background)
    out = []
    for start, end in spans:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor, selection.format = cursor, fmt  # type: ignore[misc]
        out.append(selection)
    return out
