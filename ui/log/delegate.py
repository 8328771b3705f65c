"""Paints the log's cells straight from each row's cached look.

Qt's default item painting asks the model for seven roles per cell and lays each text out
anew through the style, on every repaint; at 200 events/s with the log following its tail
that is most of a frame. This delegate reads the row's look once per cell and draws a
background and a prepared ``QStaticText`` (laid out once per row, when first painted).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from .model import _ALIGN, _Look

__all__ = ["LogCellDelegate"]

_PLAIN, _CACHED = Qt.TextFormat.PlainText, QStaticText.PerformanceHint.AggressiveCaching
_ELIDE = Qt.TextElideMode.ElideRight
_RESTYLED = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_PAD = 4
_HIGHLIGHT, _ALT_BASE = QPalette.ColorRole.Highlight, QPalette.ColorRole.AlternateBase
_TEXT, _HIGHLIGHTED = QPalette.ColorRole.Text, QPalette.ColorRole.HighlightedText


class LogCellDelegate(QStyledItemDelegate):
    """Draws cell ``index`` of ``view`` from ``look_of(view_row)``.

    Everything a cell needs besides its look (palette brushes, fonts, the selection) is read
    once, not per cell: reading a style option's fields copies them.
    """

    def __init__(self, look_of: Callable[[int], _Look | None], view: QAbstractItemView) -> None:
        super().__init__(view)
        self._look_of = look_of
        self._view = view
        self._selected_row = -1
        selection = view.selectionModel()
        selection.selectionChanged.connect(self._follow_selection)
        model = view.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._follow_selection)
        view.installEventFilter(self)
        self.refresh()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        if event.type() in _RESTYLED:
            self.refresh()  # a theme switch or a new font: read them again
        return False

    def _follow_selection(self, *_: object) -> None:
        rows = self._view.selectionModel().selectedRows()
        self._selected_row = rows[0].row() if rows else -1

    def refresh(self) -> None:
        """Take the view's palette and font again (after a theme or font change)."""
        palette, font = self._view.palette(), self._view.font()
        self._highlight, self._alternate = palette.brush(_HIGHLIGHT), palette.brush(_ALT_BASE)
        self._text, self._highlighted = palette.color(_TEXT), palette.color(_HIGHLIGHTED)
        self._font, self._bold = font, QFont(font)
        self._bold.setBold(True)
        self._metrics, self._bold_metrics = QFontMetrics(font), QFontMetrics(self._bold)
        self._alternating = self._view.alternatingRowColors()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        row, col = index.row(), index.column()
        look = self._look_of(row)
        if look is None:
            return
        rect = option.rect  # type: ignore[attr-defined]  # stubs lack the option's fields
        selected = row == self._selected_row
        if selected:
            painter.fillRect(rect, self._highlight)
        elif look.background is not None:
            painter.fillRect(rect, look.background)
        elif self._alternating and row & 1:
            painter.fillRect(rect, self._alternate)
        fg = look.foreground[col]
        painter.setPen(self._highlighted if selected else fg.color() if fg is not None
                       else self._text)
        font = self._bold if col == 5 and look.bold_status else self._font
        painter.setFont(font)
        prepared = look.painted[col]
        if prepared is None:
            metrics = self._bold_metrics if font is self._bold else self._metrics
            prepared = look.painted[col] = _prepare(look.cells[col], metrics)
        text, width, height = prepared
        room = rect.width() - 2 * _PAD
        if width > room:  # rare: a long findings cell in a narrow column
            elided = self._metrics.elidedText(look.cells[col], _ELIDE, room)
            painter.drawText(rect.adjusted(_PAD, 0, -_PAD, 0), _ALIGN[col] or _LEFT, elided)
            return
        x = rect.x() + _PAD if _ALIGN[col] is None else rect.right() - _PAD - width
        painter.drawStaticText(QPointF(x, rect.y() + (rect.height() - height) / 2), text)


def _prepare(cell: str, metrics: QFontMetrics) -> tuple[QStaticText, float, float]:
    # Not laid out here: its first draw lays it out (as drawText would), later draws reuse it.
    text = QStaticText(cell)
    text.setTextFormat(_PLAIN)
    text.setPerformanceHint(_CACHED)
    return text, metrics.horizontalAdvance(cell), metrics.height()
