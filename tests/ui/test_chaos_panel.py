"""The Chaos lab dock: a preset's rule switched on in the panel marks its row in the log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton
from pytestqt.qtbot import QtBot

from helpers import EVENT, answered, click, rows
from inspector.session import SessionState
from ui.chaos_panel import ChaosPanel
from ui.log.model import CHAOS_MARK
from ui.main_window import MainWindow


def _panel(window: MainWindow) -> ChaosPanel:
    panel = window.chaos_dock.widget()
    assert isinstance(panel, ChaosPanel)
    return panel


def _tooltip(window: MainWindow, row: int) -> str:
    return window.model.index(row, EVENT).data(Qt.ItemDataRole.ToolTipRole) or ""


def test_a_rule_switched_on_marks_the_row_it_touched(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.chaos_dock.show()
    panel = _panel(window)
    panel.presets.setCurrentIndex(panel.presets.findData("lost-session-end"))
    assert "opentelemetry-android/issues/1397" in panel.story.text()
    panel.findChild(QPushButton, "chaos-add").click()
    rule = panel.rules.item(0)
    assert rule.checkState() == Qt.CheckState.Checked and "drop sessionEnd" in rule.text()
    rule.setCheckState(Qt.CheckState.Unchecked)  # off: nothing is touched
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    assert not any(event.startswith(CHAOS_MARK) for event, _ in rows(window))
    rule.setCheckState(Qt.CheckState.Checked)  # on again: the next sessionEnd is dropped
    click(window, "end-session")
    qtbot.waitUntil(lambda: any(e.startswith(CHAOS_MARK) for e, _ in rows(window)),
                    timeout=10000)
    got = rows(window)
    marked = [i for i, (event, _) in enumerate(got) if event.startswith(CHAOS_MARK)]
    assert [got[i] for i in marked] == [(f"{CHAOS_MARK} sessionEnd", "discarded")]
    assert "dropped" in _tooltip(window, marked[0])
    panel.compare.click()
    qtbot.waitUntil(lambda: "missing: sessionEnd" in panel.effects.toPlainText(),
                    timeout=10000)


def test_the_dock_toggle_is_on_the_view_menu_without_a_shortcut(window: MainWindow) -> None:
    toggle = window.chaos_dock.toggleViewAction()
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert isinstance(view, QMenu) and toggle in view.actions()
    assert toggle.shortcut().isEmpty()


def test_rules_switched_on_stay_on_when_the_window_switches_target(
        qtbot: QtBot, window: MainWindow) -> None:
    panel = _panel(window)
    panel.presets.setCurrentIndex(panel.presets.findData("lost-session-end"))
    panel.findChild(QPushButton, "chaos-add").click()
    before = window.controller.session
    assert before.chaos is not None and before.chaos is panel.plan
    window.controller.switch_profile(window.controller.profile)  # a new client and session
    after = window.controller.session
    assert after is not before
    assert after.chaos is panel.plan and after.chaos is not None
    assert [r.describe() for r in after.chaos.rules if r.enabled] == \
        [r.describe() for r in panel.current_rules() if r.enabled]


def test_a_held_start_answer_keeps_the_window_waiting_for_the_sid(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    panel = _panel(window)
    panel.presets.setCurrentIndex(panel.presets.findData("slow-session-start"))
    panel.findChild(QPushButton, "chaos-add").click()
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: len(rows(window)) == 2, timeout=10000)
    session = window.controller.session
    start = next(e for e in session.store if e.event_type == "sessionStart")
    qtbot.waitUntil(lambda: start.state.value == "sending", timeout=10000)
    # The server has the call; the client has no answer, so no sid, and its lane queues
    # the play behind it (spec §6.3).
    assert session.sid is None
    assert window.session_bar.sid.text() == SessionState.STARTING.value
    assert [status for _, status in rows(window)][1] == "queued"
    assert "held sessionStart answer" in _tooltip(window, 1)
    warp = window.findChild(QAction, "warp:+1 min")
    assert isinstance(warp, QAction)
    warp.trigger()  # session time passes the 8 s hold: the answer comes in
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    assert session.sid and window.session_bar.sid.text() == session.sid
    assert [e.sid for e in session.store if e.event_type == "play"] == [session.sid]


def test_the_report_tab_shows_the_session_the_player_meant_under_chaos(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    window.bottom_tabs.setCurrentWidget(window.report)
    panel = _panel(window)
    panel.presets.setCurrentIndex(panel.presets.findData("lost-session-end"))
    panel.findChild(QPushButton, "chaos-add").click()
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    click(window, "end-session")  # dropped by chaos: the server never hears of it
    qtbot.waitUntil(lambda: any(s == "discarded" for _, s in rows(window)), timeout=10000)
    report = window.report
    report.refresh_client()
    assert report.source.isVisible() and "the session the player meant" in report.source.text()
    assert report.status.text().startswith("Session closed")  # the player did end it
    assert window.controller.session.report.to_dict().get("closed") is None  # no answer came
    report.refresh_server()  # the server still has it open: its column says so
    qtbot.waitUntil(lambda: report.table.item(0, 2).text() != "", timeout=10000)
    panel.rules.item(0).setCheckState(Qt.CheckState.Unchecked)  # chaos off: ours again
    report.refresh_client()
    assert not report.source.isVisible()
    assert report.status.text().startswith("Session open")
