"""File → Compare with reference… (issue 14): a session of the window (the capture or past
run on show, the player's captured sessions, the live log) against a reference scenario,
another past run or a file, shown side by side.

The sides are judged and compared by the core (:mod:`inspector.diff_sides`,
:mod:`inspector.diff`); a scenario reference runs on a fresh embedded backend on the
window's loop, so the window stays responsive meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from inspector.capture import CapturedSession
from inspector.capture.stored import CAPTURED
from inspector.diff import aligned_rows, diff_sessions
from inspector.diff_sides import SideError, aload_side, judged, scenario_sessions, session_view
from inspector.exchange import Exchange
from inspector.runstore import RunStore, StoredRun
from inspector.scenarios.library import builtin_paths

from . import file_dialogs
from .controller import Controller
from .diff_view import DiffView

__all__ = ["CompareDialog", "CompareLauncher", "Source", "SHORTCUT", "window_sources"]

SHORTCUT = "Ctrl+Alt+D"  # no standard key (ui/shortcuts.py)
_FILTERS = "Scenarios, captures and runs (*.yaml *.yml *.har *.json);;All files (*)"
_MAX_RUNS = 50


@dataclass
class Source:
    """A part of the window that holds sessions: its name and its judged sessions."""

    label: str
    sessions: list[CapturedSession]


def _session_name(session: CapturedSession) -> str:
    return f"sid {(session.sid or session.key)[:12]} ({len(session.exchanges)} calls)"


class CompareDialog(QDialog):
    """Choose the two sides and compare them; ``compared(verdict)`` once the view is filled
    (or ``failed(message)`` when a side cannot be read or run)."""

    compared = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget, controller: Controller, sources: list[Source],
                 runs: RunStore | None) -> None:
        super().__init__(parent)
        self.setObjectName("compare-dialog")
        self.setWindowTitle("Compare with reference")
        self.resize(1000, 640)
        self._controller = controller
        self.this = QComboBox(objectName="compare-this")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        for source in sources:
            for session in source.sessions:
                self.this.addItem(f"{source.label} · {_session_name(session)}",
                                  (source.label, session))
        self.reference = QComboBox(objectName="compare-reference")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self._fill_references(runs)
        self.tolerance = QDoubleSpinBox(objectName="compare-tolerance")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.tolerance.setRange(0, 600)
        self.tolerance.setValue(2.0)
        self.tolerance.setSuffix(" s")
        self.tolerance.setToolTip("How far an event's time and the time metrics may differ")
        self.compare_button = QPushButton("Compare", objectName="compare-run")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.compare_button.setDefault(True)
        self.compare_button.clicked.connect(self.compare)
        self.progress = QLabel(objectName="compare-progress")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.progress.setWordWrap(True)
        self.view = DiffView()
        self._runs = runs
        self._layout()
        if not self.this.count():
            self.progress.setText("Nothing to compare yet: start a session, listen to a "
                                  "player, or open a capture or a past run first.")
            self.compare_button.setEnabled(False)

    def _fill_references(self, runs: RunStore | None) -> None:
        for path in builtin_paths():
            self.reference.addItem(f"scenario {path.stem}", ("scenario", path))
        if runs is not None:
            for info in runs.list_runs()[:_MAX_RUNS]:
                if info.exchanges:
                    self.reference.addItem(f"past run #{info.id} {info.name}",
                                           ("run", info.id))

    def _layout(self) -> None:
        choose_file = QPushButton("File…", objectName="compare-file")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        choose_file.setToolTip("A scenario (.yaml), a HAR capture or a run's --json export")
        choose_file.clicked.connect(self.choose_file)
        reference_row = QWidget()
        reference = QHBoxLayout(reference_row)
        reference.setContentsMargins(0, 0, 0, 0)
        reference.addWidget(self.reference, 1)
        reference.addWidget(choose_file)
        form = QFormLayout()
        form.addRow("&This session", self.this)
        label = QLabel("&Reference")
        label.setBuddy(self.reference)
        form.addRow(label, reference_row)
        form.addRow("&Tolerance", self.tolerance)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.compare_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        """Add a file as the reference and choose it."""
        path = file_dialogs.ask_open_path(self, "Reference", _FILTERS)
        if path is not None:
            self.reference.addItem(f"file {path.name}", ("file", path))
            self.reference.setCurrentIndex(self.reference.count() - 1)

    def compare(self) -> None:
        """Compare the chosen session with the chosen reference (in the background)."""
        chosen, reference = self.this.currentData(), self.reference.currentData()
        if chosen is None or reference is None:
            return
        self.compare_button.setEnabled(False)
        kind, value = reference
        self.progress.setText(f"Running {Path(value).stem} on a fresh embedded backend…"
                              if kind == "scenario" else "Reading the reference…")
        self._controller.tasks.start("compare", self._compare(chosen, reference))

    async def _compare(self, chosen: tuple[str, CapturedSession],
                       reference: tuple[str, object]) -> None:
        try:
            label, sessions = await self._reference(*reference)
            if not sessions:
                raise SideError("it has no Media Collection session")
        except SideError as exc:
            message = f"The reference {self.reference.currentText()} cannot be used: {exc}"
            self.progress.setText(message)
            self.failed.emit(message)
            return
        finally:
            self.compare_button.setEnabled(True)
        got = session_view(chosen[0], chosen[1])
        ref = session_view(label, sessions[0])
        tolerance = self.tolerance.value()
        found = diff_sessions(got, ref, tolerance=tolerance)
        self.view.show_diff(got, ref, aligned_rows(got, ref), found, tolerance)
        self.progress.setText("" if len(sessions) == 1 else
                              f"The reference has {len(sessions)} sessions; compared with "
                              "its first.")
        self.compared.emit(self.view.verdict.text())

    async def _reference(self, kind: str, value: object) -> tuple[str, list[CapturedSession]]:
        if kind == "scenario":
            path = Path(str(value))
            return f"scenario {path.stem}", await scenario_sessions(path)
        if kind == "run" and self._runs is not None and isinstance(value, int):
            run = self._runs.open_run(value)
            return f"past run #{value}", judged(run.exchanges, copies=True)
        return await aload_side(str(value))


class CompareLauncher(QObject):
    """The "Compare with reference…" action; ``sources()`` says what the window holds now."""

    def __init__(self, parent: QWidget, controller: Controller,
                 sources: Callable[[], list[Source]]) -> None:
        super().__init__(parent)
        self._parent, self._controller, self._sources = parent, controller, sources
        self.dialog: CompareDialog | None = None
        self.action = QAction("Compare with reference…", parent)
        self.action.setObjectName("compare-with-reference")
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("A session side by side with a scenario or another run: "
                                 "missing, extra, out-of-order events, parameters, cadence, "
                                 "metrics")
        self.action.triggered.connect(self.open)

    def open(self) -> CompareDialog:
        """A fresh dialog on what the window holds now (non-modal: the window goes on)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = CompareDialog(self._parent, self._controller, self._sources(),
                                    self._controller.runs)
        self.dialog.show()
        return self.dialog


def window_sources(shown_run: StoredRun | None, captured: list[CapturedSession],
                   live: Iterable[Exchange]) -> list[Source]:
    """The window's sessions: the run on show, the player's, the window's own log (judged
    afresh on copies, so the shown rows keep their findings)."""
    found: list[Source] = []
    if shown_run is not None:
        info = shown_run.info
        label = (f"capture {Path(str(info.meta.get('source'))).name}"
                 if info.status == CAPTURED else f"past run #{info.id}")
        found.append(Source(label, judged(shown_run.exchanges, copies=True)))
    if captured:
        found.append(Source("captured from the player", captured))
    theirs = {id(e) for s in captured for e in s.exchanges}
    own = [e for e in live if id(e) not in theirs]
    if own:
        found.append(Source("this window's log", judged(own, copies=True)))
    return [s for s in found if s.sessions]
