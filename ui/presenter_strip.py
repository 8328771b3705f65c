"""Presenter mode's strip: the headline metrics, a narration line, the colour legend.

The narration says in one sentence what Adobe sees after each event (the report's notes),
large enough to read from the back of a meeting room.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from inspector.narration import Note

from .metric_cards import MetricCards, sized
from .timeline.legend import TimelineLegend

__all__ = ["PresenterStrip", "SCALE", "narration_text"]

SCALE = 1.7  # type size against the normal window's


def _heartbeat(note: Note) -> bool:
    return note.event_type == "ping" and not note.counts


def narration_text(notes: list[Note]) -> tuple[str, str]:
    """(the big sentence, the smaller line under it) for the strip.

    The big one is the latest event that was more than a heartbeat, so a 1 s ad ping does
    not wipe "Ad start" off the screen; the line under it has the latest heartbeat's
    totals and the sentence before. A hint before any event.
    """
    if not notes:
        return ("Start a session: each event's effect on Adobe's figures appears here.", "")
    told = [n for n in notes if not _heartbeat(n)]
    latest = told[-1] if told else notes[-1]
    under = [f"then {notes[-1].event_type}: {notes[-1].text}"] if notes[-1] is not latest else []
    under += [f"before: {n.event_type}: {n.text}" for n in told[-2:-1]]
    return f"{latest.event_type}: {latest.text}", "   ·   ".join(under)


class PresenterStrip(QFrame):
    """Always-visible headline metrics, what Adobe just saw, and what the colours mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenter-strip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.cards = MetricCards(scale=SCALE)
        self.narration = QLabel(objectName="presenter-narration")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.earlier = QLabel(objectName="presenter-earlier")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        for label, size, bold in ((self.narration, 15 * SCALE, True),
                                  (self.earlier, 8 * SCALE, False)):
            label.setWordWrap(True)
            sized(label, size, bold)
        self.legend = TimelineLegend(scale=1.5)  # readable from the back of the room
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        layout.addWidget(self.cards)
        layout.addWidget(self.narration)
        layout.addWidget(self.earlier)
        layout.addWidget(self.legend)
        self.show_notes([])

    def show_notes(self, notes: list[Note]) -> None:
        """Say what the latest event did to Adobe's figures."""
        latest, earlier = narration_text(notes)
        self.narration.setText(latest)
        self.earlier.setText(earlier)
