"""Raw JSON mistakes and unreachable servers: nothing sent, no crash, a clear row."""

from __future__ import annotations

import socket

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow

from conftest import close, make_window


def test_raw_json_with_a_syntax_error_sends_nothing_and_keeps_the_text(
        qtbot: QtBot, window: MainWindow) -> None:
    composer = window.events.composer
    composer.tabs.setCurrentWidget(composer.raw)
    broken = '{"eventType": "play", "playerTime": {"playhead": 0, "ts": 1}'  # no closing brace
    composer.raw.setPlainText(broken)
    composer.send_button.click()
    error = window.findChild(QLabel, "composer-error")
    assert error.isVisible() and "not valid JSON" in error.text()
    assert composer.raw.toPlainText() == broken
    window.model.flush()
    assert window.model.rowCount() == 0 and len(window.controller.store) == 0


def test_an_error_stays_with_its_tab_and_raw_json_follows_the_form_until_edited(
        qtbot: QtBot, window: MainWindow) -> None:
    composer = window.events.composer
    error = window.findChild(QLabel, "composer-error")
    composer.tabs.setCurrentWidget(composer.raw)
    composer.raw.setPlainText("{not json")
    composer.send_button.click()
    assert error.isVisible()
    composer.tabs.setCurrentIndex(0)  # the form: the raw error is not its error
    assert not error.isVisible()
    composer.tabs.setCurrentWidget(composer.raw)  # back: the error and the typed text
    assert error.isVisible() and composer.raw.toPlainText() == "{not json"

    composer.load_event("pauseStart")  # a new event: the composer writes raw afresh
    assert '"eventType": "pauseStart"' in composer.raw.toPlainText()
    composer.tabs.setCurrentIndex(0)
    composer.event_combo.setCurrentText("bufferStart")
    composer.tabs.setCurrentWidget(composer.raw)  # unedited raw text follows the form
    assert '"eventType": "bufferStart"' in composer.raw.toPlainText()


def test_valid_raw_json_is_sent_as_written(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    composer = window.events.composer
    composer.load_event("sessionStart")
    composer.tabs.setCurrentWidget(composer.raw)
    text = composer.raw.toPlainText()
    composer.send_button.click()
    qtbot.waitUntil(lambda: len(window.controller.store) == 1
                    and window.controller.store[0].status == 201, timeout=5000)
    assert window.controller.store[0].request_body.decode() == text
    assert not window.findChild(QLabel, "composer-error").isVisible()


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_url_gives_an_error_row_and_no_crash(
        qtbot: QtBot, qloop: object, settings: object) -> None:
    window = make_window(qtbot, settings, f"http://127.0.0.1:{_dead_port()}", embedded=False)
    try:
        window.session_bar.start.click()
        qtbot.waitUntil(lambda: len(window.controller.store) == 1
                        and window.controller.store[0].state.value == "failed", timeout=8000)
        window.model.flush()
        assert window.model.index(0, 5).data() == "connection refused"
        assert "unreachable" in window.endpoint_bar.state.text()
        assert window.findChild(QLabel, "sid").text() == "start failed"
        window.events.on_event_clicked("play")  # still usable: queued, then kept as unsent
        qtbot.waitUntil(lambda: len(window.controller.store) == 2
                        and window.controller.store[1].state.value == "unsent", timeout=5000)
    finally:
        close(qtbot, window)
