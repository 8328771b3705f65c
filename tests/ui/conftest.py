"""UI test set-up: a qasync loop driven by Qt's event loop, the real embedded backend,
settings in a temporary file, and a window wired to both."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Iterator

import pytest
import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from inspector.profile import Profile
from inspector.runstore import RunStore
from inspector.server import EmbeddedServer
from ui import abandon
from ui.abandon import Abandon
from ui.controller import Controller
from ui.app import RUNS_ENV, build_window
from ui.main_window import MainWindow


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop whose callbacks run whenever Qt processes events (qtbot.waitUntil)."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.events._set_running_loop(None)
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def runs_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every window autosaves into a temporary run store, never the user's data dir."""
    path = tmp_path / "runs" / "runs.sqlite3"
    monkeypatch.setenv(RUNS_ENV, str(path))
    return path


class AbandonAnswers:
    """Answers the "a session is running" question without a modal dialog.

    "Leave it open" (what the window did before it asked) unless a test queues other
    answers in ``answers``; ``asked`` records each question as (doing, sid).
    """

    def __init__(self) -> None:
        self.answers: list[Abandon] = []
        self.asked: list[tuple[str, str | None]] = []

    def __call__(self, _parent: Any, doing: str, sid: str | None) -> Abandon:
        self.asked.append((doing, sid))
        return self.answers.pop(0) if self.answers else Abandon.LEAVE


@pytest.fixture(autouse=True)
def abandon_answers(monkeypatch: pytest.MonkeyPatch) -> AbandonAnswers:
    answers = AbandonAnswers()
    monkeypatch.setattr(abandon, "ask_abandon", answers)
    return answers


@pytest.fixture
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as backend:
        yield backend


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a temp file, so the user's own settings are never touched."""
    return QSettings(str(tmp_path / "inspector.ini"), QSettings.Format.IniFormat)


def run(qtbot: QtBot, coro: Any, timeout: int = 5000) -> Any:
    """Run a coroutine on the loop by letting Qt process events until it is done."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def make_window(qtbot: QtBot, settings: QSettings, base_url: str,
                embedded: bool = True, follow: Any = None) -> MainWindow:
    profile = Profile() if embedded else Profile(name="Elsewhere", base_url=base_url)
    controller = Controller(profile, embedded_url=base_url if embedded else None,
                            runs=RunStore(os.environ[RUNS_ENV]), follow=follow)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.show()
    return window


def reopen(qtbot: QtBot, settings: QSettings, embedded_url: str) -> MainWindow:
    """The window as the app builds it at start-up, from saved settings."""
    window = build_window(settings, embedded_url)
    qtbot.addWidget(window)
    window.show()
    return window


def close(qtbot: QtBot, window: MainWindow) -> None:
    window.close()
    run(qtbot, window.controller.aclose())


@pytest.fixture
def window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, server: EmbeddedServer,
           settings: QSettings) -> Iterator[MainWindow]:
    win = make_window(qtbot, settings, server.base_url, follow=server.follow)
    yield win
    close(qtbot, win)
