"""Syntax colours for pretty-printed JSON in a QPlainTextEdit."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ..theme import is_dark

__all__ = ["JsonHighlighter"]

_RULES = (
    (re.compile(r'"(?:[^"\\]|\\.)*"(?=\s*:)'), ("#0b5cad", "#7fb0ff")),  # keys
    (re.compile(r':\s*("(?:[^"\\]|\\.)*")'), ("#1b7f3b", "#8fd694")),  # string values
    (re.compile(r"-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b"), ("#b35c00", "#f0b060")),  # numbers
    (re.compile(r"\b(?:true|false|null)\b"), ("#8e44ad", "#d2a8f0")),  # literals
)


def _format(color: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    return fmt


class JsonHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers and literals; line by line, so it stays cheap."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        dark = is_dark()
        self._rules = [(rx, _format(pair[1] if dark else pair[0])) for rx, pair in _RULES]

    def highlightBlock(self, text: str) -> None:
        # Numbers and literals first, strings and keys last: digits inside a string keep
        # the string's colour.
        for rx, fmt in reversed(self._rules):
            group = 1 if rx.groups else 0
            for match in rx.finditer(text):
                start, end = match.span(group)
                self.setFormat(start, end - start, fmt)
