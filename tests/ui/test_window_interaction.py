"""Issue 5's remaining checks: dragging the playhead seeks, the gone banner after a 410 and
its one-click new session, and the settings dialog's edits surviving a restart."""

from __future__ import annotations

import httpx
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from inspector.server import EmbeddedServer
from ui.main_window import MainWindow

from conftest import close, make_window, reopen
from helpers import answered, click, rows


def test_dragging_the_playhead_seeks_on_release(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    player = window.controller.session.player
    timeline = window.timeline
    y = int(timeline._track().center().y())
    start, end = QPoint(int(timeline._x(0.0)), y), QPoint(int(timeline.width() * 0.6), y)
    QTest.mousePress(timeline, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(timeline, QPoint((start.x() + end.x()) // 2, y))
    QTest.mouseMove(timeline, end)
    assert player.playhead < 1.0  # nothing moves until the playhead is dropped
    QTest.mouseRelease(timeline, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    expected = timeline._ph(end.x())
    assert expected > 0.5 * timeline.view_length
    qtbot.waitUntil(lambda: abs(player.playhead - expected) < 1.0, timeout=2000)
    click(window, "event:play")  # the next event carries the new playhead
    store = window.controller.store
    qtbot.waitUntil(lambda: len(store) == 1 and store[0].playhead is not None, timeout=3000)
    assert abs(store[0].playhead - expected) < 1.0


def test_gone_banner_after_a_410_and_its_new_session_gets_a_new_sid(
        qtbot: QtBot, window: MainWindow, server: EmbeddedServer) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    sid_label = window.findChild(QLabel, "sid")
    qtbot.waitUntil(lambda: len(sid_label.text()) == 64, timeout=5000)
    first = sid_label.text()
    # 11 minutes without events on the backend's clock: the session times out (spec: 10 min).
    answer = httpx.post(f"{server.base_url}/_inspector/clock", json={"advance": 660},
                        trust_env=False)
    assert answer.status_code == 200
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=5000)
    assert rows(window)[1] == ("play", "410")
    banner = window.gone_banner
    qtbot.waitUntil(banner.isVisible, timeout=2000)
    assert "closed (410)" in banner.label.text()
    banner.action.click()
    qtbot.waitUntil(lambda: len(sid_label.text()) == 64 and sid_label.text() != first,
                    timeout=5000)
    assert not banner.isVisible()
    assert rows(window)[2] == ("sessionStart", "201")


def _edit_in_dialog(report_suite: str) -> None:
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.objectName() == "settings-dialog"
    for name, text in (("profile:report_suite", report_suite), ("profile:name", "Edited")):
        editor = dialog.findChild(QLineEdit, name)
        editor.selectAll()
        QTest.keyClicks(editor, text)
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_settings_dialog_edits_a_profile_that_survives_a_restart(
        qtbot: QtBot, qloop: object, server: EmbeddedServer, settings: QSettings) -> None:
    first = make_window(qtbot, settings, server.base_url)
    QTimer.singleShot(0, lambda: _edit_in_dialog("edited-rs"))
    first.open_settings()  # modal: the timer above fills it in and presses OK
    assert first.controller.profile.report_suite == "edited-rs"
    assert first.endpoint_bar.combo.currentText() == "Edited"
    close(qtbot, first)

    second = reopen(qtbot, QSettings(settings.fileName(), QSettings.Format.IniFormat),
                    server.base_url)
    try:
        assert [p.name for p in second.profiles] == ["Edited"]
        assert second.controller.profile.report_suite == "edited-rs"
        assert second.endpoint_bar.combo.currentText() == "Edited"
        preview = second.controller.preview("sessionStart")
        assert preview["params"]["analytics.reportSuite"] == "edited-rs"
    finally:
        close(qtbot, second)


def test_timeline_zooms_to_activity_and_back(qtbot: QtBot, window: MainWindow) -> None:
    timeline, zoom = window.timeline, window.transport.zoom
    assert zoom.isChecked() and timeline.view_length < timeline.length  # 30 min VOD
    x_before = timeline._x(60.0)
    zoom.setChecked(False)
    assert timeline.view_length == timeline.length and timeline._x(60.0) < x_before
    zoom.setChecked(True)
    window.controller.seek(600.0)  # activity far into the content widens the zoomed view
    assert 600.0 < timeline.view_length <= timeline.length
