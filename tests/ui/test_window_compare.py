"""File → Compare with reference… (issue 14): an opened capture side by side with a
scenario, aligned by the core's diff, its one difference highlighted on its row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from inspector.diff import DEFAULT_IGNORED_PARAMS
from inspector.export.har import har_log
from inspector.runner import run_scenario
from inspector.scenarios.library import resolve
from inspector.scenarios.loader import load_scenario
from inspector.server import EmbeddedServer
from ui import file_dialogs
from ui.compare_dialog import SHORTCUT, CompareDialog
from ui.main_window import MainWindow

from conftest import run

SCENARIO = "ad-outside-break"


async def _captured_har() -> dict[str, Any]:
    """The scenario's calls as a HAR capture, as our own client made them."""
    server = EmbeddedServer()
    url = await server.astart()
    try:
        outcome = await run_scenario(load_scenario(resolve(SCENARIO)), url, speed=None,
                                     follow=server.follow)
    finally:
        await server.astop()
    assert outcome.error is None
    return har_log(outcome.exchanges)


def _alter_start(har: dict[str, Any]) -> tuple[str, str]:
    """Change one compared string parameter of the sessionStart; (key, new value)."""
    for entry in har["log"]["entries"]:
        post = entry["request"].get("postData") or {}
        body = json.loads(post.get("text") or "null")
        if isinstance(body, dict) and body.get("eventType") == "sessionStart":
            key = next(k for k, v in sorted(body["params"].items())
                       if isinstance(v, str) and k not in DEFAULT_IGNORED_PARAMS)
            body["params"][key] += "-altered"
            post["text"] = json.dumps(body)
            return key, body["params"][key]
    raise AssertionError("no sessionStart in the capture")


def _compare(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
             path: Path) -> CompareDialog:
    monkeypatch.setattr(file_dialogs, "ask_open_path", lambda *a: path)
    window.menus.open_capture_action.trigger()
    assert window.read_only
    window.compare.action.trigger()
    dialog = window.compare.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.this.currentText().startswith(f"capture {path.name} · sid ")
    dialog.reference.setCurrentIndex(dialog.reference.findText(f"scenario {SCENARIO}"))
    with qtbot.waitSignal(dialog.compared, timeout=60000):
        dialog.compare_button.click()
    return dialog


def test_a_capture_against_its_scenario_matches_and_one_altered_param_is_highlighted(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    assert window.compare.action.shortcut().toString() == SHORTCUT
    har = run(qtbot, _captured_har(), 60000)
    same = tmp_path / "same.har"
    same.write_text(json.dumps(har))
    dialog = _compare(qtbot, window, monkeypatch, same)
    assert dialog.view.verdict.text().startswith("<b>Match within tolerance")
    assert all(kinds == [] for kinds in dialog.view.row_kinds())
    events = [dialog.view.table.item(r, 1).text() for r in range(dialog.view.table.rowCount())]
    reference = [dialog.view.table.item(r, 4).text()
                 for r in range(dialog.view.table.rowCount())]
    assert events == reference and "ping" not in events and events[0] == "sessionStart"

    key, value = _alter_start(har)
    altered = tmp_path / "altered.har"
    altered.write_text(json.dumps(har))
    window.back_to_live()
    dialog = _compare(qtbot, window, monkeypatch, altered)
    assert dialog.view.verdict.text().startswith("<b>1 difference: 1 params.")
    kinds = dialog.view.row_kinds()
    assert kinds[0] == ["params"] and all(k == [] for k in kinds[1:])
    assert key in dialog.view.table.item(0, 6).text()
    assert value in dialog.view.table.item(0, 6).text()
    dialog.view.differences.setCurrentRow(0)  # the list leads to the row
    assert dialog.view.table.currentRow() == 0


def test_a_reference_that_cannot_be_read_is_one_line(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    window.transport.auto_ping.setChecked(False)
    window.controller.start_session()
    qtbot.waitUntil(lambda: window.controller.session.sid is not None, timeout=5000)
    bad = tmp_path / "notes.har"
    bad.write_text("hello")
    window.compare.action.trigger()
    dialog = window.compare.dialog
    assert dialog is not None and dialog.this.currentText().startswith("this window's log")
    monkeypatch.setattr(file_dialogs, "ask_open_path", lambda *a: bad)
    dialog.choose_file()
    with qtbot.waitSignal(dialog.failed, timeout=10000) as failed:
        dialog.compare_button.click()
    assert "cannot be read as JSON" in failed.args[0]
    assert dialog.compare_button.isEnabled() and "notes.har" in dialog.progress.text()
