"""The checks panel: a replay's expectations, each met or not, expected vs got, by step.

It docks at the bottom of the window when a replay ends and stays until dismissed (its
Dismiss button, the dock's close button, or Escape while it has focus).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from inspector.scenarios.expect import report_value
from inspector.scenarios.outcome import ExpectationResult, ScenarioOutcome

from .theme import colors

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["CheckRow", "check_rows", "ChecksPanel", "ChecksDock"]

_COLUMNS = ("", "Step", "Expectation", "Expected", "Got")
_WHOLE_RUN = "whole run"


@dataclass(frozen=True)
class CheckRow:
    """One expectation as the panel shows it."""

    met: bool
    step: str
    what: str
    expected: str
    got: str


def _split(description: str) -> tuple[str, str]:
    """(step, the rest) of an expectation's text: ``step at 22s (play, line 12): status 204``."""
    if description.startswith("step at ") and "): " in description:
        step, rest = description.split("): ", 1)
        return step + ")", rest
    return _WHOLE_RUN, description


def _expected_of(what: str) -> tuple[str, str]:
    """(the kind of check, what it expects)."""
    for head in ("status ", "no finding ", "finding ", "report "):
        if what.startswith(head):
            rest = what[len(head):]
            if head == "report ":
                path, _, value = rest.partition(" = ")
                return f"report {path}", value
            return head.strip(), rest
    return what, "yes"


def _got(result: ExpectationResult, what: str, report: dict[str, Any] | None) -> str:
    detail = result.detail.removeprefix("got ")
    if detail:
        return detail
    if what.startswith("report ") and report is not None:
        value = report_value(report, what[len("report "):].partition(" = ")[0])
        return repr(value) if isinstance(value, (int, float, str, bool)) or value is None \
            else str(value)
    return "as expected" if result.ok else "not as expected"


def check_rows(outcome: ScenarioOutcome) -> list[CheckRow]:
    """Every expectation of ``outcome`` as a row: met, step, check, expected, got."""
    rows = []
    for result in outcome.expectations:
        step, what = _split(result.description)
        kind, expected = _expected_of(what)
        rows.append(CheckRow(result.ok, step, kind, expected, _got(result, what,
                                                                   outcome.report)))
    return rows


def verdict(outcome: ScenarioOutcome) -> str:
    """The headline: name, and how many expectations held."""
    met = sum(e.ok for e in outcome.expectations)
    total = len(outcome.expectations)
    if outcome.error:
        return f"{outcome.name}: did not finish ({outcome.error}); {met} of {total} met"
    word = "every expectation met" if outcome.ok else f"{total - met} not met"
    return f"{outcome.name}: {word} ({met} of {total})"


class ChecksPanel(QWidget):
    """The verdict, and a table of every expectation with the failed ones first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checks-panel")
        self.verdict = QLabel(objectName="checks-verdict")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.dismiss = QPushButton("Dismiss", objectName="checks-dismiss")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.table = QTableWidget(0, len(_COLUMNS), objectName="checks-table")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.verdict, 1)
        top.addWidget(self.dismiss)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def show_outcome(self, outcome: ScenarioOutcome) -> None:
        """Fill the panel from one replay's outcome (failed checks first, then in order)."""
        c = colors()
        self.verdict.setText(f"<b>{verdict(outcome)}</b>")
        self.verdict.setStyleSheet(f"color: {(c.ok if outcome.ok else c.server_error).name()}")
        rows = sorted(check_rows(outcome), key=lambda r: r.met)  # stable: failed ones first
        self.table.setRowCount(len(rows))
        bad = QBrush(c.error_bg)
        for i, row in enumerate(rows):
            cells = ("met" if row.met else "NOT MET", row.step, row.what, row.expected, row.got)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not row.met:
                    item.setBackground(bad)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()


class ChecksDock(QDockWidget):
    """The panel in a dock at the bottom; shown when a replay ends, kept until dismissed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("Checks", window, objectName="checks-dock")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.panel = ChecksPanel()
        self.setWidget(self.panel)
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.hide()
        self.panel.dismiss.clicked.connect(self.hide)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.panel)
        close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.activated.connect(self.hide)
        window.scenarios.panel.replay_finished.connect(self.show_outcome)

    def show_outcome(self, outcome: ScenarioOutcome) -> None:
        """Show a replay's checks; they stay until the user dismisses them."""
        self.panel.show_outcome(outcome)
        self.show()
        self.raise_()
