"""Read-only JSON views with syntax colours, rendered as HTML.

(Not a QSyntaxHighlighter: with PySide6 6.12 a Python ``highlightBlock`` override called
often enough crashes the interpreter with "deallocating None", so we colour once, as HTML.)
"""

from __future__ import annotations

import html
import re

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QTextBrowser, QWidget

from ..theme import is_dark

__all__ = ["JsonView", "json_html"]

_TOKEN = re.compile(r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)|(?P<str>"(?:[^"\\]|\\.)*")'
                    r"|(?P<num>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|(?P<lit>\b(?:true|false|null)\b)")
_LIGHT = {"key": "#0b5cad", "str": "#1b7f3b", "num": "#b35c00", "lit": "#8e44ad"}
_DARK = {"key": "#7fb0ff", "str": "#8fd694", "num": "#f0b060", "lit": "#d2a8f0"}


def json_html(text: str) -> str:
    """``text`` as HTML with JSON tokens coloured (any text is safe: it is escaped)."""
    palette = _DARK if is_dark() else _LIGHT
    out, pos = [], 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[pos:match.start()]))
        kind = match.lastgroup or "str"
        out.append(f'<span style="color:{palette[kind]}">{html.escape(match.group())}</span>')
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
