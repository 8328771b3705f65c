"""Record toggle, built-in scenario list and Replay / Pause / Stop at a chosen speed."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QVBoxLayout, QWidget)

from inspector.scenario import (Scenario, ScenarioError, ScenarioRecorder, builtin_paths,
                                load_scenario)
from inspector.scenarios.observed import Recording
from inspector.scenarios.playback import Playback
from inspector.session import Session

from ..tasks import TaskHolder

__all__ = ["ScenarioPanel"]

SPEEDS = (("1×", 1.0), ("10×", 10.0), ("60×", 60.0), ("max", None))
PlaybackFactory = Callable[[Scenario, "float | None"], Playback]


class ScenarioPanel(QWidget):
    """Drives the current session; ``recorded(recording)`` fires when recording stops.

    The :class:`~inspector.scenarios.observed.Recording` comes once every exchange it saw
    has its answer, so the expectations drawn from it are complete.

    ``replay_started(scenario, speed)`` once it drives the clock, before the first step;
    ``replay_finished(outcome)`` after the last (or after Stop), with the expectations judged
    as ``run`` judges them;
    ``open_requested`` when the user asks for a file. ``playback`` builds a replay on the
    current session (the controller's, so set-up and clocks are those of headless runs).
    """

    recorded = Signal(object)  # inspector.scenarios.observed.Recording
    message = Signal(str)
    replay_started = Signal(object, object)
    replay_finished = Signal(object)
    open_requested = Signal()

    def __init__(self, session: Callable[[], Session], tasks: TaskHolder,
                 playback: PlaybackFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._playback = session, tasks, playback
        self._recorder: ScenarioRecorder | None = None
        self._running: Playback | None = None
        self.record = QPushButton("● Record", checkable=True, objectName="scenario-record")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.record.setToolTip("Turn what you click into a scenario file (Ctrl+Alt+R)")
        self.open = QPushButton("Open file…", objectName="scenario-open")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.open.setToolTip("Add a scenario file (YAML) to the list")
        self.list = QListWidget(objectName="scenario-list")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        for path in builtin_paths():
            item = QListWidgetItem(path.stem)
            item.setData(256, str(path))  # Qt.UserRole
            self.list.addItem(item)
        self.speed = QComboBox()
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.replay, self.pause, self.stop = (QPushButton("Replay", objectName="scenario-replay"),  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                                              QPushButton("Pause", objectName="scenario-pause"),  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                                              QPushButton("Stop", objectName="scenario-stop"))  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.status = QLabel("", objectName="scenario-status", wordWrap=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
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
            recorder, self._recorder = self._recorder, None
            recorder.stop()
            self.status.setText("recording stopped")
            recording = recorder.recording()
            if not recording.scenario.steps:
                self.message.emit("Nothing was recorded: send an event while ● Record is on.")
            elif recording.settled:
                self.recorded.emit(recording)
            else:  # answers still on their way: expectations are drawn from them
                self._tasks.start("finish recording", self._settle(recorder, recording))

    async def _settle(self, recorder: ScenarioRecorder, recording: Recording) -> None:
        await recorder.session.settle()
        self.recorded.emit(recording)

    def add_file(self, path: Path) -> bool:
        """Check ``path`` and add it to the list (selected); False, with a message, if bad."""
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self.message.emit(str(exc))
            return False
        text = f"{scenario.name} ({path.name})"
        same = [self.list.item(i) for i in range(self.list.count())
                if self.list.item(i).data(256) == str(path)]
        item = same[0] if same else QListWidgetItem(text)
        item.setText(text)  # saved again over the same file: one entry, renamed
        item.setData(256, str(path))
        item.setToolTip(str(path))
        if not same:
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
        except ScenarioError as exc:
            self.message.emit(str(exc))
            return
        playback = self._playback(scenario, self.speed.currentData())
        if playback.error is not None:
            self.message.emit(playback.error)
            return
        self._running = playback
        self._set_running(True)
        self.status.setText(f"replaying {scenario.name}")
        playback.replayer.began.connect(lambda: self.replay_started.emit(scenario,
                                                                         playback.speed))
        self._tasks.start(f"replay {scenario.name}", self._run(playback))

    async def _run(self, playback: Playback) -> None:
        try:
            outcome = await playback.run()
        finally:
            self._running = None
            self._set_running(False)
        self.status.setText(f"replayed {len(playback.replayer.records)} step(s)"
                            + (f": {outcome.error}" if outcome.error else ""))
        if outcome.error:
            self.message.emit(f"{playback.scenario.name} stopped: {outcome.error}")
        self.replay_finished.emit(outcome)

    def _on_pause(self) -> None:
        if self._running is None:
            return
        if self.pause.text() == "Pause":
            self._running.replayer.pause()
            self.pause.setText("Resume")
        else:
            self._running.replayer.resume()
            self.pause.setText("Pause")

    def _on_stop(self) -> None:
        if self._running is not None:
            self._running.replayer.stop()
