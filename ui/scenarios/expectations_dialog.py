"""Before a recording is saved: its name and the expectations drawn from what was observed.

One row per expectation (checkbox, what it checks, the tolerance of a time metric), grouped
as ``run`` prints them. Every row starts as :func:`inspector.scenarios.observed.observe`
suggests; OK keeps what is checked.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from inspector.scenarios.observed import Observation

__all__ = ["ExpectationsDialog"]

_GROUPS = {"present": "finding", "absent": "no finding", "status": "status",
           "report": "metric (spec §10)"}


class ExpectationsDialog(QDialog):
    """Edit a recording's name and expectations; :meth:`observations` once accepted."""

    def __init__(self, name: str, observations: list[Observation],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expectations-dialog")
        self.setWindowTitle("Save recording: expectations")
        self._observations = list(observations)
        self.name = QLineEdit(name)
        self.name.setObjectName("recording-name")
        self.name.setToolTip("The scenario's name, shown in the list and by `run`")
        self.table = QTableWidget(len(observations), 3)
        self.table.setObjectName("expectations-table")
        self.table.setHorizontalHeaderLabels(["Expect", "Kind", "Tolerance (s)"])
        self.table.verticalHeader().hide()
        self.tolerances: dict[int, QDoubleSpinBox] = {}
        for row, obs in enumerate(observations):
            self._fill(row, obs)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel()
        self.summary.setObjectName("expectations-summary")
        self.table.itemChanged.connect(lambda _: self._count())
        self._count()
        self._layout()

    def _fill(self, row: int, obs: Observation) -> None:
        item = QTableWidgetItem(obs.describe())
        item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                      | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if obs.enabled else Qt.CheckState.Unchecked)
        self.table.setItem(row, 0, item)
        kind = QTableWidgetItem(_GROUPS[obs.kind])
        kind.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, 1, kind)
        if obs.tolerance is not None:
            spin = QDoubleSpinBox()
            spin.setObjectName(f"tolerance:{obs.key}")
            spin.setRange(0.0, 86400.0)
            spin.setDecimals(3)
            spin.setSingleStep(0.1)
            spin.setValue(obs.tolerance)
            spin.setToolTip(f"How far a replay's {obs.key} may differ from {obs.value:g} s")
            self.table.setCellWidget(row, 2, spin)
            self.tolerances[row] = spin

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Name", self.name)
        pick = QHBoxLayout()
        for label, on in (("Check all", True), ("Uncheck all", False)):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, v=on: self.set_all(v))
            pick.addWidget(button)
        pick.addStretch(1)
        pick.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setObjectName("expectations-save")
        self.name.textChanged.connect(lambda text: save.setEnabled(bool(text.strip())))
        box = QVBoxLayout(self)
        box.addLayout(form)
        note = QLabel("A replay of the saved file checks the expectations kept here; each "
                      "was observed while recording.")
        note.setWordWrap(True)
        box.addWidget(note)
        box.addWidget(self.table)
        box.addLayout(pick)
        box.addWidget(buttons)
        self.resize(560, 420)

    def _count(self) -> None:
        kept = sum(self.checked(row) for row in range(self.table.rowCount()))
        self.summary.setText(f"{kept} of {self.table.rowCount()} kept")

    def checked(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def set_checked(self, row: int, on: bool) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_all(self, on: bool) -> None:
        for row in range(self.table.rowCount()):
            self.set_checked(row, on)

    def row_of(self, kind: str, key: str) -> int:
        """The row of one expectation (-1 when there is none)."""
        return next((i for i, o in enumerate(self._observations)
                     if (o.kind, o.key) == (kind, key)), -1)

    def recording_name(self) -> str:
        return self.name.text().strip()

    def observations(self) -> list[Observation]:
        """Every expectation as edited: checked or not, with its tolerance."""
        out = []
        for row, obs in enumerate(self._observations):
            spin = self.tolerances.get(row)
            out.append(replace(obs, enabled=self.checked(row),
                               tolerance=spin.value() if spin is not None else obs.tolerance))
        return out
