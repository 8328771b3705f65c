"""The raw JSON editor colours tokens as the user types (and survives heavy typing)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from ui.detail.json_highlighter import JsonHighlighter
from ui.detail.json_view import palette
from ui.theme import is_dark


def _colour_at(editor: QPlainTextEdit, line: int, column: int) -> str:
    block = editor.document().findBlockByNumber(line)
    for fmt_range in block.layout().formats():
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            return fmt_range.format.foreground().color().name()
    return ""


def test_keys_strings_and_numbers_get_their_colours(qtbot: QtBot) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    JsonHighlighter(editor.document())
    editor.setPlainText('{"eventType": "play",\n "playerTime": {"playhead": 12.5}}')
    colours = palette(is_dark())
    assert _colour_at(editor, 0, 2) == colours["key"]
    assert _colour_at(editor, 0, 16) == colours["str"]
    assert _colour_at(editor, 1, 30) == colours["num"]
    assert _colour_at(editor, 0, 0) == ""  # punctuation stays plain


def test_thousands_of_edits_do_not_leak_references(qtbot: QtBot) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    JsonHighlighter(editor.document())
    before = sys.getrefcount(None)
    for n in range(3000):
        editor.setPlainText(f'{{"n": {n}, "s": "x"}}')
    assert sys.getrefcount(None) >= before - 100  # PySide6 6.12 on 3.11 lost one per call
