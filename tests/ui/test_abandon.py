"""Leaving a running session behind is a choice: end it, leave it open, or cancel."""

from __future__ import annotations

from conftest import AbandonAnswers
from helpers import answered, click, rows
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from ui.abandon import Abandon
from ui.main_window import MainWindow


def _playing(qtbot: QtBot, window: MainWindow) -> str:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    click(window, "event:play")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    sid = window.controller.session.sid
    assert sid
    return sid


def test_end_it_sends_session_end_on_the_old_session_then_starts(
        qtbot: QtBot, window: MainWindow, abandon_answers: AbandonAnswers) -> None:
    sid = _playing(qtbot, window)
    abandon_answers.answers.append(Abandon.END)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 4), timeout=10000)
    assert abandon_answers.asked == [("start a new one", sid)]
    assert [e for e, _ in rows(window)] == ["sessionStart", "play", "sessionEnd",
                                            "sessionStart"]
    ended = window.controller.store[2]
    assert ended.sid == sid and ended.status == 204
    assert window.controller.session.sid not in (None, sid)


def test_cancel_leaves_everything_as_it_was(
        qtbot: QtBot, window: MainWindow, abandon_answers: AbandonAnswers) -> None:
    sid = _playing(qtbot, window)
    abandon_answers.answers.append(Abandon.CANCEL)
    click(window, "new-session")
    other = Profile(name="Elsewhere", base_url="http://127.0.0.1:9")
    abandon_answers.answers.append(Abandon.CANCEL)
    window.apply_profiles([window.controller.profile, other], "Elsewhere")
    assert [doing for doing, _ in abandon_answers.asked] == ["start a new one",
                                                             "switch to Elsewhere"]
    assert window.controller.session.sid == sid
    assert window.controller.profile.name != "Elsewhere"
    assert [p.name for p in window.profiles] == [window.controller.profile.name, "Elsewhere"]
    assert [e for e, _ in rows(window)] == ["sessionStart", "play"]


def test_no_question_when_nothing_is_running(
        qtbot: QtBot, window: MainWindow, abandon_answers: AbandonAnswers) -> None:
    window.transport.auto_ping.setChecked(False)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 1), timeout=10000)
    click(window, "end-session")
    qtbot.waitUntil(lambda: answered(window, 2), timeout=10000)
    click(window, "start-session")
    qtbot.waitUntil(lambda: answered(window, 3), timeout=10000)
    assert abandon_answers.asked == []
