"""The Chaos lab dock: presets named after real bugs, on/off per rule, meant versus seen.

A thin view of :mod:`inspector.chaos`: it keeps the rule list, puts a plan on the current
session (:meth:`Session.set_chaos`) whenever a rule is switched, and shows the comparison
the core computes. No shortcut of its own (View menu and toolbar toggle it), so no standard
key is shadowed (``ui/shortcuts.py``).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDockWidget, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QMainWindow, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from inspector import chaos
from inspector.chaos import PRESETS, ChaosPlan, ChaosRule, preset
from inspector.session import Session

from .tasks import TaskHolder

__all__ = ["ChaosPanel", "add_chaos_dock"]


class ChaosPanel(QWidget):
    """Rules with a checkbox each; ``plan`` is what the current session delivers with."""

    def __init__(self, session: Callable[[], Session], tasks: TaskHolder,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session, self._tasks = session, tasks
        self.plan: ChaosPlan | None = None
        self.presets = QComboBox(objectName="chaos-presets")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        for p in PRESETS:
            self.presets.addItem(p.name, p.name)
            self.presets.setItemData(self.presets.count() - 1, f"{p.story}\n{p.link}",
                                     Qt.ItemDataRole.ToolTipRole)
        self.add = QPushButton("Add preset", objectName="chaos-add")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.story = QLabel(wordWrap=True, objectName="chaos-story",  # type: ignore[call-overload]  # stubs lack Qt property kwargs
                            openExternalLinks=True)
        self.rules = QListWidget(objectName="chaos-rules")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.compare = QPushButton("Meant vs seen", objectName="chaos-compare")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.compare.setToolTip("Compare what the player meant with what the server saw "
                                "(the embedded backend's report, else the spec §2.3 window)")
        self.clear = QPushButton("Clear", objectName="chaos-clear")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.effects = QPlainTextEdit(readOnly=True, objectName="chaos-effects")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self._layout()
        self.presets.currentIndexChanged.connect(self._show_story)
        self.add.clicked.connect(self.add_preset)
        self.rules.itemChanged.connect(self._on_item_changed)
        self.compare.clicked.connect(self._on_compare)
        self.clear.clicked.connect(self.clear_rules)
        self._show_story()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.presets, 1)
        top.addWidget(self.add)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare)
        buttons.addWidget(self.clear)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.story)
        column.addWidget(QLabel("Rules (what the client does to what it sends):"))
        column.addWidget(self.rules, 1)
        column.addLayout(buttons)
        column.addWidget(self.effects, 2)

    # -- rules ----------------------------------------------------------------------------

    def add_preset(self) -> None:
        """Add the chosen preset's rules, switched on, to the list."""
        for rule in preset(str(self.presets.currentData())).rules:
            self.add_rule(rule)

    def add_rule(self, rule: ChaosRule) -> None:
        item = QListWidgetItem(rule.describe() + (f" [{rule.preset}]" if rule.preset else ""))
        item.setData(Qt.ItemDataRole.UserRole, rule)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        self.rules.blockSignals(True)
        item.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
        self.rules.addItem(item)
        self.rules.blockSignals(False)
        self._apply()

    def clear_rules(self) -> None:
        self.rules.clear()
        self._apply()

    def current_rules(self) -> list[ChaosRule]:
        """Every listed rule, switched on or off as its checkbox says."""
        found = []
        for row in range(self.rules.count()):
            item = self.rules.item(row)
            rule: ChaosRule = item.data(Qt.ItemDataRole.UserRole)
            found.append(rule.toggled(item.checkState() == Qt.CheckState.Checked))
        return found

    def _on_item_changed(self, _item: QListWidgetItem) -> None:
        self._apply()

    def follow_session(self) -> None:
        """The window replaced its session (a new target): the rules switched on stay on."""
        self.plan = None
        self._apply()

    def _apply(self) -> None:
        """Put the rules on the current session: one plan per session, its rules in place."""
        session, rules = self._session(), self.current_rules()
        if not any(r.enabled for r in rules):
            if session.chaos is self.plan and self.plan is not None:
                self.plan.rules[:] = rules  # what is held still goes out at its instant
            return
        if self.plan is None or session.chaos is not self.plan:
            self.plan = chaos.attach(session, rules)
        else:
            self.plan.rules[:] = rules

    def _show_story(self) -> None:
        name = self.presets.currentData()
        if name:
            p = preset(str(name))
            self.story.setText(f"{p.story} <a href=\"{p.link}\">{p.link}</a>")

    # -- meant versus seen ----------------------------------------------------------------

    def _on_compare(self) -> None:
        self._tasks.start("chaos-compare", self.show_effects())

    async def show_effects(self) -> None:
        """Compute and show meant versus seen for the current session's plan."""
        session = self._session()
        effects = await chaos.observe(session) if session.chaos is not None else None
        self.effects.setPlainText("\n".join(effects.lines()) if effects else
                                  "No chaos on this session: switch a rule on first.")


def add_chaos_dock(window: QMainWindow, session: Callable[[], Session], tasks: TaskHolder,
                   beside: QDockWidget | None = None) -> QDockWidget:
    """The Chaos lab as a dock (hidden at first), tabbed with ``beside`` when given."""
    panel = ChaosPanel(session, tasks)
    dock = QDockWidget("Chaos lab", window, objectName="chaos-dock")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
    dock.setWidget(panel)
    dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                         | Qt.DockWidgetArea.RightDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    if beside is not None:
        window.tabifyDockWidget(beside, dock)
    dock.hide()
    return dock
