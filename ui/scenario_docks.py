"""The Scenarios and Past runs docks, the Record action, and their wiring to the controller.

Both docks start hidden (View menu, toolbar) and share one tabbed area on the right, so the
main view keeps its room. A replay becomes its own run in the run store.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QToolBar, QWidget

from inspector.scenario import Scenario
from inspector.scenarios.outcome import ScenarioOutcome

from . import file_dialogs
from .scenarios import RunList, ScenarioPanel
from .scenarios.recording_saver import RecordingSaver

if TYPE_CHECKING:
    from .main_window import MainWindow

__all__ = ["ScenarioDocks", "RECORD_SHORTCUT"]

RECORD_SHORTCUT = "Ctrl+Alt+R"
_KEEP_OUTCOMES = 50


def _dock(title: str, name: str, widget: QWidget, window: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window, objectName=name)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
    dock.setWidget(widget)
    dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                         | Qt.DockWidgetArea.RightDockWidgetArea)
    dock.hide()
    return dock


class ScenarioDocks(QObject):
    """Owns the scenario panel, the run list, the Record action and the recording saver."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = c = window
        controller = c.controller
        self.panel = ScenarioPanel(lambda: controller.session, controller.tasks,
                                   controller.playback)
        self.dock = _dock("Scenarios", "scenarios-dock", self.panel, window)
        store = controller.runs
        saver = controller.autosave  # runs still being written cannot be deleted
        self.runs = None if store is None else RunList(
            store, in_use=saver.busy_runs if saver is not None else None)
        runs_widget: QWidget = self.runs or QLabel(
            "The run store could not be opened: past runs are unavailable.", wordWrap=True)
        self.runs_dock = _dock("Past runs", "runs-dock", runs_widget, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.runs_dock)
        window.tabifyDockWidget(self.dock, self.runs_dock)
        recovery = (store.path.parent if store is not None
                    else Path(tempfile.gettempdir()) / "media-inspector") / "recordings"
        self.saver = RecordingSaver(window, window.recording_banner, recovery)
        file_dialogs.use_settings(window.settings)  # last folders outlive the app
        self.record_action = QAction("● Record", window, checkable=True,  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                                     objectName="record-action")
        self.record_action.setShortcut(QKeySequence(RECORD_SHORTCUT))
        self.record_action.setToolTip(f"Record what you click as a scenario ({RECORD_SHORTCUT})")
        self.outcomes: list[ScenarioOutcome] = []
        self._connect()

    def _connect(self) -> None:
        w, c = self.window, self.window.controller
        self.record_action.toggled.connect(self.panel.record.setChecked)
        self.panel.record.toggled.connect(self.record_action.setChecked)
        self.panel.record.toggled.connect(self._on_record_toggled)
        self.panel.recorded.connect(self.saver.take)
        self.saver.saved.connect(self._on_recording_saved)
        self.panel.message.connect(w.show_info)
        self.panel.open_requested.connect(self.open_file)
        self.panel.replay_started.connect(self._on_replay_started)
        self.panel.replay_finished.connect(self._on_replay_finished)
        self.saver.saved.connect(lambda p: w.statusBar().showMessage(f"Recording saved to {p}",
                                                                     10000))
        if self.runs is not None:
            self.runs.message.connect(w.show_info)
            self.runs.opened.connect(w.open_past_run)
            self.runs.deleted.connect(self._on_run_deleted)
            c.runs_changed.connect(self.refresh_runs)
            self.runs_dock.visibilityChanged.connect(self._on_runs_visible)

    def _on_run_deleted(self, run_id: int) -> None:
        """A deleted run on show read-only gives the window back to the live log."""
        w = self.window
        shown = w.read_only_mode.shown_run()
        if shown is not None and shown.info.id == run_id:
            w.read_only_mode.back()
        w.statusBar().showMessage(f"Run #{run_id} deleted", 8000)

    def add_to(self, menu: Any, toolbar: QToolBar) -> None:
        """Put Record and the two dock toggles on the Session/View menus and the toolbar."""
        toolbar.addAction(self.record_action)
        scenarios = self.dock.toggleViewAction()
        scenarios.setShortcut(QKeySequence("Ctrl+Shift+P"))
        runs = self.runs_dock.toggleViewAction()
        runs.setShortcut(QKeySequence("Ctrl+Shift+U"))
        toolbar.addAction(scenarios)
        toolbar.addAction(runs)
        menu.addAction(scenarios)
        menu.addAction(runs)

    def _on_runs_visible(self, visible: bool) -> None:
        if visible:
            self.refresh_runs()

    def refresh_runs(self) -> None:
        if self.runs is not None:
            self.runs.refresh()

    def open_file(self) -> None:
        path = file_dialogs.ask_open_path(self.window, "Open scenario",
                                          "Scenario files (*.yaml *.yml);;All files (*)")
        if path is not None and self.panel.add_file(path):
            self.dock.show()

    def _on_recording_saved(self, path: str) -> None:
        """A saved recording joins the scenario list at once, selected, ready to replay."""
        if self.panel.add_file(Path(path)):
            self.dock.show()

    # -- record and replay --------------------------------------------------------------

    def _on_record_toggled(self, on: bool) -> None:
        self.window.statusBar().showMessage(
            "Recording: what you send is being recorded as a scenario" if on
            else "Recording stopped", 0 if on else 5000)

    def _show_auto_ping(self, on: bool) -> None:
        """Show the pings in force without changing the user's own setting."""
        box = self.window.transport.auto_ping
        box.blockSignals(True)
        box.setChecked(on)
        box.blockSignals(False)

    def _on_replay_started(self, scenario: Scenario, speed: float | None) -> None:
        self.window.controller.begin_run(f"replay · {scenario.name}")
        self._show_auto_ping(scenario.options.auto_pings)
        self.window.transport.show_replay_speed(speed)

    def _on_replay_finished(self, outcome: ScenarioOutcome) -> None:
        w = self.window
        w.transport.end_replay()  # the user's speed and auto pings come back
        self._show_auto_ping(w.controller.session.player.pings.enabled)
        self.outcomes = [*self.outcomes, outcome][-_KEEP_OUTCOMES:]
        w.statusBar().showMessage(f"Replayed {outcome.name}: "
                                  + ("every expectation met" if outcome.ok else
                                     f"{len(outcome.failures)} expectation(s) not met"), 10000)
