"""The Media Edge dialect in the window (issue 15, spec §9): switch a profile to Edge and back
from the endpoint bar and the settings dialog, the other dialect of a selected row, and the
migration view. Real widgets, the embedded backend over 127.0.0.1."""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QApplication, QComboBox, QDialogButtonBox, QLabel, QLineEdit,
                               QListWidget)
from pytestqt.qtbot import QtBot

from inspector.protocol.edge import no_counterpart_why
from inspector.server import EmbeddedServer
from ui.main_window import MainWindow
from ui.profiles import ProfileStore

from conftest import close, make_window, reopen
from helpers import answered, click, rows

DATASTREAM = "3f1c2b4a-9d8e-4f7a-b6c5-0a1b2c3d4e5f"


def _choose(combo: QComboBox, data: str) -> None:
    """Pick an entry as a user does (the popup's choice is `activated`)."""
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _type_datastream(window: MainWindow, text: str) -> None:
    editor = window.endpoint_bar.datastream
    editor.setFocus()
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)


def _session_with_play(qtbot: QtBot, window: MainWindow) -> tuple[int, str]:
    """Start a session and send play; (row of play, sid)."""
    first = len(rows(window))
    sid = window.findChild(QLabel, "sid")
    before = sid.text()
    click(window, "start-session")
    qtbot.waitUntil(lambda: len(sid.text()) == 64 and sid.text() != before, timeout=5000)
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, first + 2), timeout=5000)
    return first + 1, sid.text()


def _select(window: MainWindow, row: int) -> None:
    window.model.flush()
    window.log.table.selectRow(row)
    assert window.detail.exchange is window.controller.store[row]


def test_switch_a_profile_to_edge_and_back_from_the_endpoint_bar(
        qtbot: QtBot, window: MainWindow, settings: QSettings) -> None:
    window.transport.auto_ping.setChecked(False)
    bar = window.endpoint_bar
    assert bar.dialect.currentData() == "classic" and not bar.datastream.isVisible()
    _choose(bar.dialect, "edge")
    assert bar.datastream.isVisible()
    # A bad datastream id: a clear message, nothing switched, the typed text kept.
    client = window.controller.client
    _type_datastream(window, "not a datastream")
    assert window.info_banner.isVisible()
    assert "is not a datastream id" in window.info_banner.label.text()
    assert bar.datastream.text() == "not a datastream"
    assert window.controller.profile.datastream_id != "not a datastream"
    _type_datastream(window, DATASTREAM)
    assert not window.info_banner.isVisible()
    assert window.controller.client is not client
    assert (window.controller.client.dialect, window.controller.client.config_id) == \
        ("edge", DATASTREAM)
    # Kept in the saved profile.
    saved = ProfileStore(settings).current(ProfileStore(settings).load())
    assert (saved.dialect, saved.datastream_id) == ("edge", DATASTREAM)

    row, sid = _session_with_play(qtbot, window)
    assert rows(window)[row - 1:row + 1] == [("sessionStart", "200"), ("play", "204")]
    play = window.controller.store[row]
    assert play.url.endswith(f"/ee/va/v1/play?configId={DATASTREAM}")
    _select(window, row)
    shown = window.detail.request.text()
    assert f"/ee/va/v1/play?configId={DATASTREAM}" in shown.splitlines()[0]
    assert json.loads(shown.split("\n\n", 1)[1])["events"][0]["xdm"]["mediaCollection"][
        "sessionID"] == sid
    assert "Media Edge" in window.detail.summary.text() and sid in window.detail.summary.text()
    assert window.detail.tabs.tabText(window.detail.tabs.indexOf(
        window.detail.other_dialect)) == "As classic"

    _choose(bar.dialect, "classic")  # and back: the running session is left (LEAVE)
    assert window.controller.client.dialect == "classic"
    assert bar.datastream.text() == DATASTREAM  # kept for the next time
    row, sid = _session_with_play(qtbot, window)
    assert rows(window)[row - 1:row + 1] == [("sessionStart", "201"), ("play", "204")]
    assert window.controller.store[row].url.endswith(f"/api/v1/sessions/{sid}/events")
    saved = ProfileStore(settings).current(ProfileStore(settings).load())
    assert (saved.dialect, saved.datastream_id) == ("classic", DATASTREAM)


def _guarded(fill, failures: list[BaseException]) -> None:
    """Run ``fill`` on the modal dialog; on a failure, note it and close the dialog (a modal
    left open would hang the test)."""
    try:
        fill()
    except BaseException as exc:  # noqa: BLE001 - re-raised by the test after exec returns
        failures.append(exc)
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.reject()


def _edge_in_dialog(datastream: str, then_ok: bool = True) -> None:
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.objectName() == "settings-dialog"
    _choose(dialog.findChild(QComboBox, "profile:dialect"), "edge")
    editor = dialog.findChild(QLineEdit, "profile:datastream_id")
    editor.selectAll()
    QTest.keyClicks(editor, datastream)
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    problem = dialog.findChild(QLabel, "settings-problem")
    if not then_ok:  # still open, with the message and the typed text
        assert dialog.isVisible() and "is not a datastream id" in problem.text()
        assert editor.text() == datastream
        editor.selectAll()
        QTest.keyClicks(editor, DATASTREAM)
        box.button(QDialogButtonBox.StandardButton.Ok).click()


def test_settings_dialog_switches_to_edge_and_it_survives_a_restart(
        qtbot: QtBot, qloop: object, server: EmbeddedServer, settings: QSettings) -> None:
    first = make_window(qtbot, settings, server.base_url)
    failures: list[BaseException] = []
    QTimer.singleShot(0, lambda: _guarded(lambda: _edge_in_dialog("xyz", then_ok=False),
                                          failures))
    first.open_settings()
    if failures:
        raise failures[0]
    assert first.controller.client.dialect == "edge"
    assert first.controller.client.config_id == DATASTREAM
    close(qtbot, first)
    second = reopen(qtbot, QSettings(settings.fileName(), QSettings.Format.IniFormat),
                    server.base_url)
    try:
        assert second.controller.client.dialect == "edge"
        assert second.endpoint_bar.dialect.currentData() == "edge"
        assert second.endpoint_bar.datastream.text() == DATASTREAM
    finally:
        close(qtbot, second)


def test_as_edge_tab_of_a_classic_adbreakstart(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    _session_with_play(qtbot, window)
    click(window, "event:adBreakStart")
    qtbot.waitUntil(lambda: answered(window, 3), timeout=5000)
    detail = window.detail
    _select(window, 2)
    tab = detail.tabs.indexOf(detail.other_dialect)
    assert detail.tabs.tabText(tab) == "As Edge"
    text = detail.other_dialect.body.text()
    assert text.startswith("POST /ee/va/v1/adBreakStart?configId=")
    edge = json.loads(text.split("\n\n", 1)[1])
    pod = edge["events"][0]["xdm"]["mediaCollection"]["advertisingPodDetails"]
    sent = window.controller.store[2].body_json()["params"]
    assert pod["index"] == sent["media.ad.podIndex"]
    assert "Every field has a counterpart" in detail.other_dialect.missing.toPlainText()
    _select(window, 0)  # sessionStart: analytics.* and visitor.* have no Edge field
    missing = detail.other_dialect.missing.toPlainText()
    assert f"analytics.reportSuite: {no_counterpart_why('analytics.reportSuite')}" in missing


def _menu_action(window: MainWindow, title: str) -> QAction:
    found = [a for m in window.menuBar().actions() if m.menu()
             for a in m.menu().actions() if a.text() == title]
    assert len(found) == 1, title
    return found[0]


def test_migration_view_lists_calls_side_by_side_and_the_checklist(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    _session_with_play(qtbot, window)
    _menu_action(window, "Migration view…").trigger()
    view = window.migration_view
    qtbot.waitUntil(view.isVisible, timeout=2000)
    assert view.table.rowCount() == 2
    assert [view.table.item(r, 1).text() for r in range(2)] == ["sessionStart", "play"]
    assert view.table.item(1, 4).text().startswith("POST /ee/va/v1/play?configId=")
    view.table.selectRow(1)
    assert '"media.play"' in view.edge.text() and '"play"' in view.classic.text()
    checklist = view.findChild(QListWidget, "migration-checklist")
    texts = [checklist.item(i).text() for i in range(checklist.count())]
    assert f"analytics.reportSuite: {no_counterpart_why('analytics.reportSuite')}" in texts
    row = texts.index(f"analytics.reportSuite: {no_counterpart_why('analytics.reportSuite')}")
    checklist.setCurrentRow(row)
    assert "Request parameters" in view.doc.text() and 'href="https://' in view.doc.text()
    assert checklist.item(row).flags() & Qt.ItemFlag.ItemIsUserCheckable
