"""Big numbers for Adobe's headline metrics (spec §10), ours beside the server's.

Used by the report panel and presenter mode; ``scale`` enlarges the type for a projector.
"""

from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from inspector.metrics import HEADLINE, Reported, format_value, metric

from .theme import colors

__all__ = ["MetricCard", "MetricCards", "metric_tooltip", "differs", "sized"]


def sized(label: QLabel, points: float, bold: bool = False) -> None:
    """Give ``label`` its own type size; its own style sheet wins over a window-wide one
    (presenter mode enlarges everything else with one)."""
    label.setStyleSheet(f"font-size: {points:.1f}pt; font-weight: {700 if bold else 400};")


def metric_tooltip(key: str) -> str:
    """Where a metric lands in Adobe's tools, and when Adobe reports it."""
    m = metric(key)
    when = ("on the start call, at once" if m.reported is Reported.START
            else "only at the close call (session end or timeout)")
    where = (f"Analytics: {m.analytics}<br>CJA: xdm.mediaReporting.{m.cja}" if m.analytics
             else "our own count: Adobe reports none")
    return f"<b>{m.name}</b>: {m.counts}.<br>{where}<br>Reported {when}."


def differs(ours: object, theirs: object) -> bool:
    """True when the server's value is known and not ours."""
    return theirs is not None and theirs != ours


class MetricCard(QFrame):
    """One metric: Adobe's name, our value in big type, the server's below when it differs."""

    def __init__(self, key: str, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"metric-{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(metric_tooltip(key))
        self.title = QLabel(metric(key).name)
        self.value = QLabel("—")
        self.value.setObjectName(f"metric-value-{key}")
        self.server = QLabel("")
        self.server.setObjectName(f"metric-server-{key}")
        for label, size, bold in ((self.title, 9.5, False), (self.value, 22, True),
                                  (self.server, 9, False)):
            sized(label, size * scale, bold)
        self.title.setWordWrap(True)  # long names wrap rather than widen the window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        for label in (self.title, self.value, self.server):
            layout.addWidget(label)

    def show_values(self, ours: Any, theirs: Any = None, server_known: bool = False) -> None:
        """Show our value, and the server's (highlighted when it differs)."""
        self.value.setText(format_value(self.key, ours))
        if not server_known:
            self.server.setText("")
            self.setProperty("differs", False)
            self.setStyleSheet("")
            return
        diff = differs(ours, theirs)
        self.setProperty("differs", diff)
        self.server.setText(f"server: {format_value(self.key, theirs)}" if diff
                            else "server agrees")
        self.setStyleSheet(f"#metric-{self.key} {{ background: "
                           f"{colors().warning_bg.name()}; }}" if diff else "")


class MetricCards(QWidget):
    """The headline metrics in a grid of cards (``columns`` per row)."""

    def __init__(self, keys: tuple[str, ...] = HEADLINE, scale: float = 1.0,
                 columns: int = 8, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = {k: MetricCard(k, scale) for k in keys}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, i // columns, i % columns)

    def show_metrics(self, ours: Mapping[str, Any],
                     theirs: Mapping[str, Any] | None = None) -> None:
        """Fill every card from two ``metrics`` objects (the server's may be missing)."""
        for key, card in self.cards.items():
            card.show_values(ours.get(key), (theirs or {}).get(key), theirs is not None)
