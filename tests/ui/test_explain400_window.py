"""The 400 explainer in the window (issue 17): the detail pane's "Explained" strip selects
the field in the request body, and the composer marks the field it refused until fixed. Both
dialects, real widgets, the embedded backend over 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from inspector.runstore import RunStore
from inspector.server import EmbeddedServer
from inspector.target_schemas import TargetSchemas
from ui.app import RUNS_ENV
from ui.controller import Controller
from ui.main_window import MainWindow

from conftest import close
from tests.inspector._schema_target import POD_POSITION, altered_ad_start
from helpers import answered, click, rows


@pytest.fixture(params=["classic", "edge"])
def dialect_window(request: pytest.FixtureRequest, qtbot: QtBot,
                   qloop: asyncio.AbstractEventLoop, server: EmbeddedServer,
                   settings: QSettings) -> Iterator[MainWindow]:
    profile = Profile(dialect=request.param)
    controller = Controller(profile, embedded_url=server.base_url,
                            runs=RunStore(os.environ[RUNS_ENV]), follow=server.follow)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.show()
    window.transport.auto_ping.setChecked(False)
    yield window
    close(qtbot, window)


def _started(qtbot: QtBot, window: MainWindow) -> None:
    click(window, "start-session")
    sid = window.findChild(QLabel, "sid")
    qtbot.waitUntil(lambda: len(sid.text()) == 64, timeout=5000)


def _send_and_wait(qtbot: QtBot, window: MainWindow) -> int:
    """Press the composer's Send; the row of the answered call."""
    count = len(rows(window)) + 1
    window.events.composer.send_button.click()
    qtbot.waitUntil(lambda: answered(window, count), timeout=5000)
    return count - 1


def _select(window: MainWindow, row: int) -> None:
    window.model.flush()
    window.log.table.selectRow(row)
    assert window.detail.exchange is window.controller.store[row]


def _clear(editor) -> None:
    editor.setFocus()
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_Delete)


def test_a_missing_required_field_is_explained_on_the_form_and_in_the_detail(
        qtbot: QtBot, dialect_window: MainWindow) -> None:
    window = dialect_window
    edge = window.controller.client.dialect == "edge"
    _started(qtbot, window)
    composer = window.events.composer
    composer.load_event("adStart")
    editor = composer.form.editor("media.ad.id")
    _clear(editor)
    row = _send_and_wait(qtbot, window)
    assert rows(window)[row] == ("adStart", "400")
    # The composer: the field it refused, coloured, with the rule in its tooltip.
    qtbot.waitUntil(lambda: "media.ad.id" in composer.form.marks, timeout=3000)
    assert "required on adStart" in editor.toolTip()
    assert editor.styleSheet()  # the theme's warning colours
    assert composer.error.isVisible() and "params.media.ad.id" in composer.error.text()
    # The detail pane: the strip names the field as the body sent names it.
    _select(window, row)
    strip = window.detail.explained
    assert strip.isVisible()
    field = "events[0].xdm.mediaCollection.advertisingDetails.name" if edge else \
        "params.media.ad.id"
    button = strip.findChild(QPushButton, f"explained:{field}")
    assert button is not None and "required on adStart" in button.text()
    button.click()
    request = window.detail.request
    assert window.detail.tabs.currentWidget() is request
    # A missing key is not in the body: its object is selected.
    assert request.textCursor().selectedText() == ('"advertisingDetails"' if edge
                                                   else '"params"')
    assert request.extraSelections()  # and stays marked
    # Fixing the field clears its mark.
    QTest.keyClicks(editor, "ad-1")
    assert "media.ad.id" not in composer.form.marks and not editor.styleSheet()


def _raw(composer, event_type: str, change) -> None:
    composer.load_event(event_type)
    composer.tabs.setCurrentWidget(composer.raw)
    body = json.loads(composer.raw.toPlainText())
    change(body)
    composer.raw.setPlainText(json.dumps(body, indent=2))


@pytest.mark.parametrize(("event_type", "change", "classic", "selected"), [
    ("adBreakStart", lambda b: b["params"].__setitem__("media.ad.podIndex", "one"),
     "params.media.ad.podIndex", ('"media.ad.podIndex"', '"index"')),
    # chapterStart: an unknown media.chapter.* key reaches the Edge body too (chapterDetails)
    ("chapterStart", lambda b: b["params"].__setitem__("media.chapter.bogus", "x"),
     "params.media.chapter.bogus", ('"media.chapter.bogus"', '"bogus"')),
])
def test_wrong_type_and_unexpected_key_from_raw_json(
        qtbot: QtBot, dialect_window: MainWindow, event_type, change, classic,
        selected) -> None:
    window = dialect_window
    edge = window.controller.client.dialect == "edge"
    _started(qtbot, window)
    composer = window.events.composer
    _raw(composer, event_type, change)
    row = _send_and_wait(qtbot, window)
    assert rows(window)[row] == (event_type, "400")
    qtbot.waitUntil(lambda: bool(composer.raw_marks), timeout=3000)
    assert [i.classic for i in composer.raw_marks] == [classic]
    assert composer.raw.extraSelections()
    _select(window, row)
    strip = window.detail.explained
    (button,) = strip.buttons
    assert classic in button.text() and "rule" not in button.text().split("→")[0]
    button.click()
    assert window.detail.request.textCursor().selectedText() == selected[edge]
    # Fixing it in the raw text clears the mark.
    body = json.loads(composer.raw.toPlainText())
    body["params"].pop("media.chapter.bogus", None)
    if event_type == "adBreakStart":
        body["params"]["media.ad.podIndex"] = 1
    composer.raw.setPlainText(json.dumps(body, indent=2))
    assert composer.raw_marks == [] and not composer.raw.extraSelections()


def test_params_on_ping_is_explained(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    _started(qtbot, window)
    composer = window.events.composer
    _raw(composer, "ping", lambda b: b.__setitem__("params", {"media.id": "x"}))
    row = _send_and_wait(qtbot, window)
    assert rows(window)[row] == ("ping", "400")
    _select(window, row)
    (button,) = window.detail.explained.buttons
    assert button.text().startswith("params → ping takes no params")
    button.click()
    assert window.detail.request.textCursor().selectedText() == '"params"'


def test_a_good_answer_shows_no_strip(qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    _started(qtbot, window)
    _select(window, 0)
    assert not window.detail.explained.isVisible() and window.detail.explained.buttons == []


def test_a_mark_stays_while_the_targets_schema_still_refuses_the_edit(
        qtbot: QtBot, window: MainWindow) -> None:
    window.transport.auto_ping.setChecked(False)
    # The target wants media.ad.podPosition as a string; our catalogue an integer.
    window.controller.session.use_schemas(
        TargetSchemas("http://target.example", {"adStart": altered_ad_start()}))
    _started(qtbot, window)
    composer = window.events.composer
    _raw(composer, "adStart", lambda b: b["params"].__setitem__(POD_POSITION, [1]))
    row = _send_and_wait(qtbot, window)
    assert rows(window)[row] == ("adStart", "400")  # neither schema takes a list
    qtbot.waitUntil(lambda: bool(composer.raw_marks), timeout=3000)
    assert [i.classic for i in composer.raw_marks] == [f"params.{POD_POSITION}"]

    def edit(value: object) -> None:
        body = json.loads(composer.raw.toPlainText())
        body["params"][POD_POSITION] = value
        composer.raw.setPlainText(json.dumps(body, indent=2))

    edit(1)  # fine for our catalogue, still refused by the target's schema: stays marked
    assert [i.classic for i in composer.raw_marks] == [f"params.{POD_POSITION}"]
    edit("1")  # what the target's schema asks for: the mark clears
    assert composer.raw_marks == [] and not composer.raw.extraSelections()
