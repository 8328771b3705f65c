"""Record toggle, built-in scenario list and Replay / Pause / Stop at a chosen speed."""

from __future__ import annotations

from pathlib import Path
from typing import Awaitable, Callable


from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from inspector.clock import VirtualClock
from inspector.scenario import (Replayer, Scenario, ScenarioError, ScenarioRecorder,
                                builtin_paths, load_scenario, scenario_to_yaml)
from inspector.session import Session

from ..tasks import TaskHolder

__all__ = ["ScenarioPanel"]

SPEEDS = (("1×", 1.0), ("10×", 10.0), ("60×", 60.0), ("max", None))
ServerClock = Callable[[float], Awaitable[None]]


class ScenarioPanel(QWidget):
    """Drives the current session; ``recorded(yaml_text)`` fires when recording stops.

    ``replay_started(scenario)`` before the first step, ``replay_finished(scenario, records)``
    after the last (or after Stop); ``open_requested`` when the user asks for a file.
    """

    recorded = Signal(str)
    message = Signal(str)
    replay_started = Signal(object)
    replay_finished = Signal(object, object)
    open_requested = Signal()

    def __init__(self, session: Callable[[], Session], tasks: TaskHolder,
                 parent: QWidget | None = None,
                 server_clock: Callable[[], ServerClock | None] | None = None) -> None:
        super().__init__(parent)
        self._session, self._tasks = session, tasks
        self._server_clock = server_clock  # moves the backend's clock (serverClock scenarios)
        self._recorder: ScenarioRecorder | None = None
        self._replayer: Replayer | None = None
        self.record = QPushButton("● Record", checkable=True, objectName="scenario-record")
        self.record.setToolTip("Turn what you click into a scenario file (Ctrl+Alt+R)")
        self.open = QPushButton("Open file…", objectName="scenario-open")
        self.open.setToolTip("Add a scenario file (YAML) to the list")
        self.list = QListWidget(objectName="scenario-list")
        for path in builtin_paths():
            item = QListWidgetItem(path.stem)
            item.setData(256, str(path))  # Qt.UserRole
            self.list.addItem(item)
        self.speed = QComboBox()
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.replay, self.pause, self.stop = (QPushButton("Replay", objectName="scenario-replay"),
                                              QPushButton("Pause", objectName="scenario-pause"),
                                              QPushButton("Stop", objectName="scenario-stop"))
        self.status = QLabel("", objectName="scenario-status", wordWrap=True)
        self._layout()
        self.record.toggled.connect(self._on_record)
        self.open.clicked.connect(self.open_requested.emit)
        self.list.itemDoubleClicked.connect(lambda _: self._on_replay())
        self.replay.clicked.connect(self._on_replay)
        self.pause.clicked.connect(self._on_pause)
        self.stop.clicked.connect(self._on_stop)
        self._set_running(False)

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        for w in (self.speed, self.replay, self.pause, self.stop):
            buttons.addWidget(w)
        top = QHBoxLayout()
        top.addWidget(self.record)
        top.addWidget(self.open)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.list)
        box.addLayout(buttons)
        box.addWidget(self.status)

    def _set_running(self, running: bool) -> None:
        self.replay.setEnabled(not running)
        self.pause.setEnabled(running)
        self.stop.setEnabled(running)
        self.pause.setText("Pause")

    def _on_record(self, on: bool) -> None:
        if on:
            self._recorder = ScenarioRecorder(self._session())
            self.status.setText("recording…")
            return
        if self._recorder is not None:
            self._recorder.stop()
            self.recorded.emit(scenario_to_yaml(self._recorder.scenario()))
            self._recorder = None
            self.status.setText("recording stopped")

    def add_file(self, path: Path) -> bool:
        """Check ``path`` and add it to the list (selected); False, with a message, if bad."""
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self.message.emit(str(exc))
            return False
        item = QListWidgetItem(f"{scenario.name} ({path.name})")
        item.setData(256, str(path))
        item.setToolTip(str(path))
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        return True

    @property
    def recording(self) -> bool:
        return self._recorder is not None

    def _on_replay(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.message.emit("choose a scenario to replay")
            return
        try:
            scenario = load_scenario(Path(item.data(256)))
            session = self._session()
            if isinstance(session.clock, VirtualClock):
                session.clock.set_speed(self.speed.currentData())
            self._replayer = Replayer(scenario, session, advance_server=self._hook(scenario))
        except (ScenarioError, TypeError, ValueError) as exc:
            self.message.emit(str(exc))
            return
        self._set_running(True)
        self.status.setText(f"replaying {scenario.name}")
        self.replay_started.emit(scenario)
        self._tasks.start(f"replay {scenario.name}", self._run(self._replayer))

    def _hook(self, scenario: Scenario) -> ServerClock | None:
        if not scenario.options.server_clock:
            return None
        hook = self._server_clock() if self._server_clock is not None else None
        if hook is None:
            raise ValueError(f"{scenario.name} moves the server's clock: replay it against "
                             "the embedded backend")
        if self.speed.currentData() is not None:
            self.speed.setCurrentIndex(self.speed.findData(None))  # only "max" moves it
            session = self._session()
            if isinstance(session.clock, VirtualClock):
                session.clock.set_speed(None)
        return hook

    async def _run(self, replayer: Replayer) -> None:
        try:
            await replayer.run()
        except (RuntimeError, OSError) as exc:
            self.message.emit(f"{replayer.scenario.name} stopped: {exc}")
        finally:
            self._set_running(False)
            self.status.setText(f"replayed {len(replayer.records)} step(s)")
            self.replay_finished.emit(replayer.scenario, replayer.records)

    def _on_pause(self) -> None:
        if self._replayer is None:
            return
        if self.pause.text() == "Pause":
            self._replayer.pause()
            self.pause.setText("Resume")
        else:
            self._replayer.resume()
            self.pause.setText("Pause")

    def _on_stop(self) -> None:
        if self._replayer is not None:
            self._replayer.stop()
