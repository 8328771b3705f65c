"""File → Export from the window: a valid HAR of the log, redaction, and no traceback on
an unwritable path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from ui import file_dialogs
from ui.main_window import MainWindow

from helpers import answered, click

ORG_ID = Profile().org_id


def _fill_log(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    for count, name in enumerate(["start-session", "event:play", "event:adStart"], 1):
        click(window, name)
        qtbot.waitUntil(lambda n=count: answered(window, n), timeout=5000)


def _export(window: MainWindow, key: str, target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *a: target)
    window.exports.actions[key].trigger()


def test_export_har_writes_one_entry_per_log_row(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_log(qtbot, window)
    target = tmp_path / "out" / "run.har"
    _export(window, "har", target, monkeypatch)
    har = json.loads(target.read_text())
    assert har["log"]["version"] == "1.2"
    entries = har["log"]["entries"]
    assert len(entries) == window.model.rowCount() == 3
    assert [e["response"]["status"] for e in entries] == [201, 204, 204]
    assert "AD_OUTSIDE_BREAK" in json.dumps(entries[2])
    assert ORG_ID in target.read_text()


def test_redact_option_hides_visitor_and_org_ids_and_persists(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_log(qtbot, window)
    window.exports.redact.setChecked(True)
    for key in ("har", "json"):
        target = tmp_path / f"redacted.{key}"
        _export(window, key, target, monkeypatch)
        assert target.is_file() and ORG_ID not in target.read_text()
    assert window.settings.value("export/redact") == "true"


def test_junit_export_has_one_case_failing_on_the_warning(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_log(qtbot, window)
    target = tmp_path / "run.xml"
    _export(window, "junit", target, monkeypatch)
    text = target.read_text()
    assert 'tests="1"' in text and 'failures="1"' in text and "AD_OUTSIDE_BREAK" in text


def test_export_evidence_writes_a_redacted_pack_of_the_log(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    _fill_log(qtbot, window)
    target = tmp_path / "evidence.zip"
    _export(window, "evidence", target, monkeypatch)
    with zipfile.ZipFile(target) as pack:
        names = pack.namelist()
        assert {"run.har", "replay.sh", "findings.txt", "report.json"} <= set(names)
        assert len(json.loads(pack.read("run.har"))["log"]["entries"]) == 3
        assert "AD_OUTSIDE_BREAK" in pack.read("findings.txt").decode()
        assert not [n for n in names if ORG_ID in pack.read(n).decode("latin-1")]


def test_export_curl_script_replays_the_whole_log(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_log(qtbot, window)
    target = tmp_path / "run.sh"
    _export(window, "curl", target, monkeypatch)
    script = target.read_text()
    assert script.startswith("#!/bin/sh") and "replays 3 call(s)" in script
    calls = [line.split()[0] for line in script.splitlines()
             if line.startswith(("start ", "event "))]
    assert calls == ["start", "event", "event"]


def test_an_unwritable_path_is_a_message_not_a_traceback(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_log(qtbot, window)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    _export(window, "har", blocker / "run.har", monkeypatch)
    banner = window.info_banner
    assert banner.isVisible() and "Could not write" in banner.label.text()
    assert banner.property("kind") == "error"


def test_copy_as_curl_redacts_when_redact_is_ticked(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtGui import QGuiApplication

    _fill_log(qtbot, window)
    window.log.selected.emit(window.controller.store[0])  # the sessionStart row
    pane = window.detail
    assert pane.isAncestorOf(pane.redact) and pane.redact.text() == "Redact"
    pane.buttons["curl"].click()
    assert ORG_ID in QGuiApplication.clipboard().text()
    pane.redact.click()
    for name in ("curl", "body"):
        pane.buttons[name].click()
        copied = QGuiApplication.clipboard().text()
        assert ORG_ID not in copied and "REDACTED" in copied
