"""Live JSON syntax colours for editable text (the raw JSON editor)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ..theme import is_dark
from .json_view import TOKEN, palette

__all__ = ["JsonHighlighter"]


class JsonHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers and literals with the same palette as the read-only
    views; a line is coloured on its own, which is all JSON's tokens need."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        for kind, colour in palette(is_dark()).items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            self._formats[kind] = fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        for match in TOKEN.finditer(text):
            kind = match.lastgroup or "str"
            self.setFormat(match.start(), match.end() - match.start(), self._formats[kind])
