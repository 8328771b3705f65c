"""Scenario widgets: the run list reopens a stored run; the panel lists the built-ins."""

from __future__ import annotations

from datetime import datetime
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
    assert widget.delete.isHidden()  # a read-only store cannot delete
    with qtbot.waitSignal(widget.opened) as opened:
        widget.list.itemDoubleClicked.emit(widget.list.item(0))
    run = opened.args[0]
    assert [e.status for e in run.exchanges] == [201, 204, 400, None]
    assert run.report == {"completed": True}
    reader.close()


def test_panel_lists_builtins_and_asks_for_a_choice(qtbot) -> None:
    panel = ScenarioPanel(lambda: None, TaskHolder(), lambda *a: None)  # type: ignore[arg-type,return-value]
    qtbot.addWidget(panel)
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == [
        p.stem for p in builtin_paths()]
    assert panel.replay.isEnabled() and not panel.stop.isEnabled()
    with qtbot.waitSignal(panel.message) as said:
        qtbot.mouseClick(panel.replay, Qt.MouseButton.LeftButton)
    assert said.args == ["choose a scenario to replay"]


def test_run_list_tooltip_has_the_full_name_and_dates(qtbot, tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        store.begin_run("session · a <long> profile name", {"url": "http://x.test"}).finish()
        widget = RunList(store)
        qtbot.addWidget(widget)
        run = store.list_runs()[0]
        tip = widget.list.item(0).toolTip()
        started = datetime.fromtimestamp(run.started_at).strftime("%Y-%m-%d %H:%M:%S")
        assert f"#{run.id} session · a &lt;long&gt; profile name" in tip
        assert f"started {started}" in tip and "ended 20" in tip
        assert "finished, 0 exchanges" in tip and "http://x.test" in tip


def test_run_list_deletes_a_run_after_confirmation_but_never_one_in_use(
        qtbot, tmp_path: Path) -> None:
    with RunStore(tmp_path / "runs.db") as store:
        old, busy = store.begin_run("old"), store.begin_run("busy")
        old.finish()
        widget = RunList(store, in_use=lambda: {busy.run_id})
        qtbot.addWidget(widget)
        asked: list[str] = []
        widget.confirm = lambda parent, text: asked.append(text) or False  # type: ignore[func-returns-value]
        assert not widget.delete.isEnabled()
        widget.list.setCurrentRow(1)  # newest first: "old"
        assert widget.delete.isEnabled()
        widget.delete.click()
        assert len(asked) == 1 and "old" in asked[0] and widget.list.count() == 2

        widget.confirm = lambda parent, text: True
        with qtbot.waitSignal(widget.deleted) as deleted:
            widget.delete.click()
        assert deleted.args == [old.run_id]
        assert [r.name for r in store.list_runs()] == ["busy"] and widget.list.count() == 1

        with qtbot.waitSignal(widget.message) as message:
            widget.delete_run(widget.list.item(0))
        assert "still being recorded" in message.args[0]
        assert [r.name for r in store.list_runs()] == ["busy"]
