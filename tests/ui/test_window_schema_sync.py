"""Help → Compare schemas with the target… (issue 17): the sync runs in the background and
lists the differences per event; the session can then be judged by the target's schemas."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from inspector.protocol.bodies import sample_body
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.target_schemas import AUTHORITY, TargetSchemas
from tests.inspector._schema_target import POD_POSITION, schema_target
from ui.main_window import MainWindow
from ui.schema_sync_dialog import SchemaSyncDialog

from conftest import close, make_window


def _sync(qtbot: QtBot, window: MainWindow) -> SchemaSyncDialog:
    action = next(a for a in window.menus.help_menu.actions()
                  if a.text() == "Compare schemas with the target…")
    action.trigger()  # the sync starts; its first answer needs the loop, so none is missed
    dialog = window.schema_sync.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _results(dialog: SchemaSyncDialog) -> dict[str, tuple[str, list[str]]]:
    tree = dialog.tree
    found = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        found[item.text(0)] = (item.text(1), [item.child(c).text(1)
                                              for c in range(item.childCount())])
    return found


@pytest.fixture
def elsewhere(qtbot: QtBot, qloop: asyncio.AbstractEventLoop,
              settings: QSettings) -> Iterator[MainWindow]:
    """A window whose target is a server with one altered adStart schema."""
    with schema_target() as url:
        win = make_window(qtbot, settings, url, embedded=False)
        win.transport.auto_ping.setChecked(False)
        yield win
        close(qtbot, win)


def test_against_the_embedded_backend_every_event_matches(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    dialog = _sync(qtbot, window)
    with qtbot.waitSignal(dialog.synced, timeout=30000) as synced:
        pass
    total = len(EVENT_NAMES)
    assert synced.args[0] == f"{total} of {total} event types match."
    assert _results(dialog) == {name: ("matches", []) for name in EVENT_NAMES}
    assert dialog.progress.value() == total and dialog.use_target.isEnabled()
    assert window.controller.session.schemas is None  # ours, until the user asks


def test_an_altered_schema_is_named_and_the_target_then_judges_the_session(
        qtbot: QtBot, elsewhere: MainWindow) -> None:
    window = elsewhere
    dialog = _sync(qtbot, window)
    with qtbot.waitSignal(dialog.synced, timeout=30000):
        pass
    results = _results(dialog)
    assert results["adStart"] == ("1 difference", [
        f"params › {POD_POSITION}: type is 'string' for the target, 'integer' for us"])
    assert all(v == ("matches", []) for k, v in results.items() if k != "adStart")

    body = sample_body("adStart", ts=1767225601000)  # our catalogue accepts it
    advisor = window.controller.session.advisor
    assert not [f for f in advisor.check(body) if f.code == "WRONG_PARAM_TYPE"]
    dialog.use_target.click()
    assert isinstance(window.controller.session.schemas, TargetSchemas)
    assert "judged by the target's schemas" in window.info_banner.label.text()
    reasons = [f.message for f in advisor.check(body) if f.code == "WRONG_PARAM_TYPE"]
    assert reasons and AUTHORITY in reasons[0] and POD_POSITION in reasons[0]
    dialog.use_target.click()
    assert window.controller.session.schemas is None


def test_an_unreachable_target_is_one_clear_line(qtbot: QtBot, qloop: asyncio.AbstractEventLoop,
                                                 settings: QSettings) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed again: nothing listens there
    window = make_window(qtbot, settings, f"http://127.0.0.1:{port}", embedded=False)
    window.transport.auto_ping.setChecked(False)
    try:
        dialog = _sync(qtbot, window)
        with qtbot.waitSignal(dialog.failed, timeout=30000) as failed:
            pass
        assert failed.args[0].startswith("Cannot reach the target: cannot connect to")
        assert not dialog.use_target.isEnabled() and not dialog.cancel_button.isEnabled()
    finally:
        close(qtbot, window)


def test_a_target_that_never_answers_can_be_cancelled(qtbot: QtBot,
                                                      qloop: asyncio.AbstractEventLoop,
                                                      settings: QSettings) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        window = make_window(qtbot, settings, f"http://127.0.0.1:{silent.getsockname()[1]}",
                             embedded=False)
        window.transport.auto_ping.setChecked(False)
        try:
            dialog = _sync(qtbot, window)
            assert dialog.cancel_button.isEnabled() and dialog.summary.text() == "Fetching…"
            dialog.cancel_button.click()
            qtbot.waitUntil(lambda: dialog.summary.text().startswith("Cancelled"),
                            timeout=10000)
            assert not dialog.use_target.isEnabled() and dialog.progress.value() == 0
        finally:
            close(qtbot, window)
