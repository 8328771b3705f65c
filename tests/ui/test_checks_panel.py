"""The checks panel: after a replay, every expectation with met / not met, expected vs got
and its step, in a dock that stays until dismissed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.checks_panel import check_rows
from ui.main_window import MainWindow

from helpers import click

WRONG = """\
name: wrong-expectation
description: expects a 410 where the backend answers 204
steps:
  - {at: 0, do: sessionStart}
  - {at: 1, do: play, expect: {status: 410}}
expect:
  report: {metrics.media_starts: 1, metrics.content_starts: 2}
"""


def _replay(qtbot: QtBot, window: MainWindow, name: str) -> None:
    panel = window.scenarios.panel
    panel.speed.setCurrentIndex(panel.speed.findText("max"))
    panel.list.setCurrentItem(panel.list.findItems(name, Qt.MatchFlag.MatchExactly)[0])
    click(window, "scenario-replay")
    qtbot.waitUntil(lambda: window.checks.isVisible(), timeout=15000)


def _cells(window: MainWindow) -> list[list[str]]:
    table = window.checks.panel.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_a_failing_replay_lists_each_check_with_step_expected_and_got(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG)
    assert window.scenarios.panel.add_file(path)
    _replay(qtbot, window, "wrong-expectation (wrong.yaml)")
    panel = window.checks.panel
    assert "wrong-expectation: 2 not met (1 of 3)" in panel.verdict.text()
    rows = _cells(window)
    assert rows[0] == ["NOT MET", "step at 1s (play, line 5)", "status", "410", "204"]
    assert rows[1] == ["NOT MET", "whole run", "report metrics.content_starts", "2", "1"]
    assert rows[2] == ["met", "whole run", "report metrics.media_starts", "1", "1"]
    window.scenarios.panel.list.setCurrentRow(0)  # it stays while the user does other things
    window.bottom_tabs.setCurrentWidget(window.report)
    assert window.checks.isVisible()
    click(window, "checks-dismiss")
    assert not window.checks.isVisible()


def test_a_passing_builtin_shows_every_expectation_met(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    _replay(qtbot, window, "timeline-1")
    outcome = window.scenarios.outcomes[-1]
    assert outcome.ok, outcome.failures
    assert "every expectation met" in window.checks.panel.verdict.text()
    rows = _cells(window)
    assert len(rows) == len(outcome.expectations) and all(r[0] == "met" for r in rows)
    assert ["met", "whole run", "report metrics.content_time_spent", "45", "45"] in rows


def test_rows_from_an_outcome_without_a_window() -> None:
    from inspector.scenarios.outcome import ExpectationResult, ScenarioOutcome
    outcome = ScenarioOutcome("x", expectations=[
        ExpectationResult("step at 0s (sessionStart, line 3): status 201", True, "got 201"),
        ExpectationResult("finding AD_OUTSIDE_BREAK appears", False)])
    rows = check_rows(outcome)
    assert (rows[0].step, rows[0].what, rows[0].expected, rows[0].got) == (
        "step at 0s (sessionStart, line 3)", "status", "201", "201")
    assert (rows[1].step, rows[1].what, rows[1].expected, rows[1].got, rows[1].met) == (
        "whole run", "finding", "AD_OUTSIDE_BREAK appears", "not as expected", False)
