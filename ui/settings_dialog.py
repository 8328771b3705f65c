"""The settings dialog: edit, add and remove endpoint profiles; how many past runs to keep."""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from inspector.profile import ENDPOINT_FIELDS, SESSION_PARAM_FIELDS, Profile

from . import run_retention
from .profiles import DIALECT_LABELS, datastream_problem

__all__ = ["SettingsDialog"]

_LABELS = {"name": "Name", "base_url": "Base URL", "verify_tls": "Verify TLS certificates",
           "timeout": "Timeout (s)", "dialect": "API dialect",
           "datastream_id": "Datastream id (configId)", **SESSION_PARAM_FIELDS,
           "media_length": "media.length (s)"}


class SettingsDialog(QDialog):
    """Edits a copy of the profiles; :attr:`profiles`, :attr:`current` and :attr:`max_runs`
    (the past runs to keep) after accept."""

    def __init__(self, profiles: list[Profile], current: str,
                 parent: QWidget | None = None, max_runs: int = run_retention.DEFAULT) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings: endpoints, session defaults, past runs")
        self.setObjectName("settings-dialog")
        self.profiles = [replace(p) for p in profiles]
        self.current = current
        self.max_runs = max_runs
        self.list = QListWidget(objectName="profile-list")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.runs_max = QSpinBox(objectName="runs-max", suffix=" runs")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.runs_max.setRange(1, run_retention.LIMIT)  # before the value, which it clamps
        self.runs_max.setValue(max_runs)
        self.runs_max.setToolTip("The run store keeps the newest runs; older ones are deleted "
                                 "when a new run begins.")
        self.editors: dict[str, QWidget] = {}
        self._row = -1
        self._build()
        self._reload_list()
        names = [p.name for p in self.profiles]
        self.list.setCurrentRow(names.index(current) if current in names else 0)

    def _build(self) -> None:
        endpoint, defaults = QGroupBox("Endpoint"), QGroupBox("sessionStart defaults")
        forms = {id(endpoint): QFormLayout(endpoint), id(defaults): QFormLayout(defaults)}
        for f in fields(Profile):
            editor = self._editor(f.name, f.type)
            self.editors[f.name] = editor
            box = endpoint if f.name in ENDPOINT_FIELDS else defaults
            forms[id(box)].addRow(_LABELS.get(f.name, f.name), editor)
        self.editors["base_url"].setPlaceholderText("empty = embedded backend")  # type: ignore[attr-defined]
        self.editors["datastream_id"].setToolTip(  # spec §9
            "Media Edge: sent as ?configId= on every call (Data Collection → Datastreams)")
        self.problem = QLabel(objectName="settings-problem", wordWrap=True)  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.problem.setProperty("role", "error")
        self.problem.hide()
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.clicked.connect(self._add)
        remove.clicked.connect(self._remove)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(endpoint)
        right.addWidget(defaults)
        right.addWidget(self._runs_box())
        right.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._select)

    def _runs_box(self) -> QGroupBox:
        box = QGroupBox("Past runs")
        QFormLayout(box).addRow("Keep the newest", self.runs_max)
        return box

    @staticmethod
    def _editor(name: str, type_: object) -> QWidget:
        if name == "dialect":  # the wire format (spec §9)
            combo = QComboBox(objectName=f"profile:{name}")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
            for value, label in DIALECT_LABELS.items():
                combo.addItem(label, value)
            return combo
        if type_ in (bool, "bool"):
            return QCheckBox(objectName=f"profile:{name}")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        if type_ in (float, "float"):
            spin = QDoubleSpinBox(objectName=f"profile:{name}", decimals=1, maximum=86400.0)  # type: ignore[call-arg]  # stubs lack Qt property kwargs
            spin.setMinimum(0.1 if name == "timeout" else 0.0)
            return spin
        return QLineEdit(objectName=f"profile:{name}")  # type: ignore[call-overload]  # stubs lack Qt property kwargs

    def _reload_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([p.name or "(unnamed)" for p in self.profiles])
        self.list.blockSignals(False)

    def _select(self, row: int) -> None:
        self._store_row()
        self._row = row
        if 0 <= row < len(self.profiles):
            self._show(self.profiles[row])
            self.current = self.profiles[row].name

    def _show(self, profile: Profile) -> None:
        for name, editor in self.editors.items():
            value = getattr(profile, name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))

    def _read(self) -> Profile:
        values: dict[str, object] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                values[name] = editor.isChecked()
            elif isinstance(editor, QDoubleSpinBox):
                values[name] = editor.value()
            elif isinstance(editor, QLineEdit):
                values[name] = editor.text().strip()
            elif isinstance(editor, QComboBox):
                values[name] = str(editor.currentData())
        return Profile.from_dict(values)

    def _store_row(self) -> None:
        if 0 <= self._row < len(self.profiles):
            self.profiles[self._row] = self._read()
            item = self.list.item(self._row)
            if item is not None:
                item.setText(self.profiles[self._row].name or "(unnamed)")

    def _add(self) -> None:
        self._store_row()
        self.profiles.append(Profile(name=f"Profile {len(self.profiles) + 1}",
                                     base_url="http://127.0.0.1:8080"))
        self._row = -1
        self._reload_list()
        self.list.setCurrentRow(len(self.profiles) - 1)

    def _remove(self) -> None:
        if len(self.profiles) > 1 and 0 <= self._row < len(self.profiles):
            del self.profiles[self._row]
            self._row = -1
            self._reload_list()
            self.list.setCurrentRow(0)

    def accept(self) -> None:
        self._store_row()
        for row, profile in enumerate(self.profiles):
            problem = datastream_problem(profile.datastream_id) \
                if profile.dialect == "edge" else None
            if problem is not None:  # stay open on that profile: nothing typed is lost
                self.list.setCurrentRow(row)
                self.problem.setText(f"{profile.name or '(unnamed)'}: {problem}")
                self.problem.show()
                return
        if 0 <= self._row < len(self.profiles):
            self.current = self.profiles[self._row].name
        self.max_runs = self.runs_max.value()
        super().accept()
