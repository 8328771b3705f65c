"""The timeline's colour legend: what each colour means for what Adobe counts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..theme import Colors, colors

__all__ = ["TimelineLegend", "LEGEND", "with_legend"]

# (Colors field, meaning): the same colours the timeline paints with.
LEGEND: tuple[tuple[str, str], ...] = (
    ("played", "content played (content time)"),
    ("ad", "ad (ad time)"),
    ("ad_break", "ad break"),
    ("ad_as_content", "ad outside a break: counted as main content"),
    ("pause", "paused (no time counts)"),
    ("buffer", "buffering (no time counts)"),
    ("chapter", "chapter"),
    ("ping", "ping"),
    ("warning_marker", "finding"),
)


def legend_html(c: Colors, points: float = 9.0) -> str:
    """The legend as rich text: a coloured swatch before each meaning, at ``points``."""
    size = round(points, 1)
    items = [f'<span style="background:{getattr(c, field).name()}; '
             f'color:{getattr(c, field).name()}">&nbsp;&nbsp;&nbsp;&nbsp;</span>'
             f'&nbsp;{text}' for field, text in LEGEND]
    return (f'<span style="font-size:{size}pt">'
            + "&nbsp;&nbsp;&nbsp; ".join(items) + "</span>")


class TimelineLegend(QLabel):
    """One wrapped line of swatches under the timeline; ``scale`` for presenter mode."""

    def __init__(self, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline-legend")
        self.setWordWrap(True)
        # It may fold away in a window at its minimum size rather than raise that minimum.
        self.setMinimumSize(1, 1)
        self._scale = scale
        self.refresh()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.refresh()

    def refresh(self) -> None:
        """Repaint the swatches in the current scheme's colours."""
        # The window's own text size (smaller, like the timeline's labels), times the scale.
        self.setText(legend_html(colors(), self.font().pointSizeF() * 0.9 * self._scale))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()


class _Follow(QObject):
    """Shows the legend exactly while its timeline is shown (View → Timeline, past runs)."""

    def __init__(self, timeline: QWidget, legend: QWidget) -> None:
        super().__init__(legend)
        self._legend = legend
        timeline.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._legend.setVisible(event.type() == QEvent.Type.Show)
        return False


def with_legend(timeline: QWidget, legend: TimelineLegend) -> QWidget:
    """The timeline with its legend right under it, as one row of the window's layout (so
    the legend adds no layout spacing, and goes with the timeline when that is hidden)."""
    box = QWidget(objectName="timeline-box")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(timeline)
    layout.addWidget(legend)
    _Follow(timeline, legend)
    return box
