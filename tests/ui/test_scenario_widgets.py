"""Scenario widgets: the run list reopens a stored run; the panel lists the built-ins."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from inspector.runstore import RunStore
from inspector.scenario import builtin_paths
from tests.inspector._export_samples import sample_exchanges
from ui.scenarios import RunList, ScenarioPanel
from ui.tasks import TaskHolder


def test_run_list_shows_runs_and_reopens_one_read_only(qtbot, tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        recorder = store.begin_run("timeline-1")
        for exchange in sample_exchanges():
            recorder.record(exchange)
        recorder.finish({"completed": True})
    reader = RunStore(tmp_path / "runs.db", read_only=True)
    widget = RunList(reader)
    qtbot.addWidget(widget)
    assert widget.list.count() == 1 and "timeline-1" in widget.list.item(0).text()
    assert "4 exchanges" in widget.list.item(0).text()
    with qtbot.waitSignal(widget.opened) as opened:
        widget.list.itemDoubleClicked.emit(widget.list.item(0))
    run = opened.args[0]
    assert [e.status for e in run.exchanges] == [201, 204, 400, None]
    assert run.report == {"completed": True}
    reader.close()


def test_panel_lists_builtins_and_asks_for_a_choice(qtbot) -> None:
    panel = ScenarioPanel(lambda: None, TaskHolder())  # type: ignore[arg-type,return-value]
    qtbot.addWidget(panel)
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == [
        p.stem for p in builtin_paths()]
    assert panel.replay.isEnabled() and not panel.stop.isEnabled()
    with qtbot.waitSignal(panel.message) as said:
        qtbot.mouseClick(panel.replay, Qt.MouseButton.LeftButton)
    assert said.args == ["choose a scenario to replay"]
