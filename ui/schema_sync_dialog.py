"""Help → Compare schemas with the target… (issue 17): the target's JSON Schemas against our
catalogue's, per event, fetched in the background; then, if the user asks, this session's
bodies are judged by the target's schemas instead of ours (spec §1.5: they decide).

The fetching and comparing are the core's (:mod:`inspector.schema_sync`,
:mod:`inspector.target_schemas`); this dialog only starts, cancels and shows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QLabel, QProgressBar,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from inspector.protocol.catalogue import EVENT_NAMES
from inspector.schema_sync import EventSync, SyncError, sync_schemas
from inspector.target_schemas import TargetSchemas

from .controller import Controller

__all__ = ["SchemaSyncDialog", "SchemaSyncLauncher"]

_USE = ("Validate this session's bodies against the target's schemas instead of ours "
        "(spec §1.5: the target's schemas are the final authority on names, types and "
        "required flags)")


def _summary(result: EventSync) -> str:
    if result.problem is not None:
        return f"not compared: {result.problem}"
    count = len(result.differences)
    return "matches" if not count else f"{count} difference{'' if count == 1 else 's'}"


class SchemaSyncDialog(QDialog):
    """Syncs with the controller's target as it opens; ``synced(summary)`` when done,
    ``failed(message)`` when the target cannot be reached."""

    synced = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QWidget, controller: Controller,
                 show_info: Callable[[str, str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("schema-sync-dialog")
        self.setWindowTitle("Compare schemas with the target")
        self.resize(760, 560)
        self._controller, self._show_info = controller, show_info
        self.url = controller.base_url
        self.schemas: TargetSchemas | None = None
        self._task: asyncio.Task[None] | None = None
        self.header = QLabel(f"Asking <code>{self.url}/api/v1/schemas/…</code> for each of "
                             f"the {len(EVENT_NAMES)} event types and comparing them with our "
                             "catalogue's, field by field.", objectName="schema-sync-header")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.header.setWordWrap(True)
        self.progress = QProgressBar(objectName="schema-sync-progress")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.progress.setRange(0, len(EVENT_NAMES))
        self.tree = QTreeWidget(objectName="schema-sync-tree")  # type: ignore[call-arg]  # stubs lack Qt property kwargs
        self.tree.setHeaderLabels(["Event type", "Target's schema against ours"])
        self.summary = QLabel(objectName="schema-sync-summary")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.summary.setWordWrap(True)
        self.use_target = QCheckBox(_USE, objectName="schema-sync-use-target")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.use_target.setEnabled(False)
        self.use_target.toggled.connect(self._use)
        self.cancel_button = QPushButton("Cancel", objectName="schema-sync-cancel")  # type: ignore[call-overload]  # stubs lack Qt property kwargs
        self.cancel_button.clicked.connect(self.cancel)
        self._layout()

    def _layout(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.header, self.progress):
            layout.addWidget(widget)
        layout.addWidget(self.tree, 1)
        for widget in (self.summary, self.use_target):
            layout.addWidget(widget)
        layout.addWidget(buttons)

    # -- syncing ------------------------------------------------------------------------

    def start(self) -> None:
        """Fetch and compare in the background; the window stays usable meanwhile."""
        self.progress.setValue(0)
        self.summary.setText("Fetching…")
        self.cancel_button.setEnabled(True)
        self._task = self._controller.tasks.start("schema-sync", self._sync())

    def cancel(self) -> None:
        """Stop fetching (what came in stays listed)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()  # before its first step the coroutine never even runs
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelled: the event types listed are those that answered.")

    async def _sync(self) -> None:
        try:
            results = await sync_schemas(self.url, progress=self._one)
        except SyncError as exc:
            message = (f"Cannot reach the target: {exc}. Nothing was compared; check the "
                       "target's URL (Settings…) and that it is running.")
            self.summary.setText(message)
            self.failed.emit(message)
            return
        finally:
            self.cancel_button.setEnabled(False)
        self._show(results)

    def _one(self, result: EventSync) -> None:
        self.progress.setValue(self.progress.value() + 1)
        item = QTreeWidgetItem([result.event, _summary(result)])
        for difference in result.differences:
            item.addChild(QTreeWidgetItem(["", str(difference)]))
        self.tree.addTopLevelItem(item)
        item.setExpanded(bool(result.differences))

    def _show(self, results: list[EventSync]) -> None:
        self.tree.clear()
        for result in results:  # in catalogue order, whatever order they came in
            self._one(result)
        self.progress.setValue(len(results))
        self.tree.resizeColumnToContents(0)
        same = sum(r.matches for r in results)
        self.summary.setText(f"{same} of {len(results)} event types match"
                             + ("." if same == len(results) else
                                ": where they differ, the target's schema is what it accepts "
                                "(spec §1.5)."))
        self.schemas = TargetSchemas.from_sync(self.url, results)
        current = self._controller.session.schemas
        self.use_target.blockSignals(True)
        self.use_target.setChecked(isinstance(current, TargetSchemas) and current.url == self.url)
        self.use_target.blockSignals(False)
        self.use_target.setEnabled(True)
        self.synced.emit(self.summary.text())

    def _use(self, on: bool) -> None:
        self._controller.use_schemas(self.schemas if on else None)
        if on and self.schemas is not None:
            self._show_info(f"This session's bodies are judged by the target's schemas "
                            f"({self.url}), which decide (spec §1.5); "
                            f"{self.schemas.describe()}.", "info")
        else:
            self._show_info("This session's bodies are judged by our catalogue's schemas "
                            "again.", "info")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt
        self.cancel()
        super().closeEvent(event)

    def reject(self) -> None:
        self.cancel()
        super().reject()


class SchemaSyncLauncher(QObject):
    """The "Compare schemas with the target…" action: a dialog syncing as it opens."""

    def __init__(self, parent: QWidget, controller: Controller,
                 show_info: Callable[[str, str], None]) -> None:
        super().__init__(parent)
        self._parent, self._controller, self._show_info = parent, controller, show_info
        self.dialog: SchemaSyncDialog | None = None
        self.action = QAction("Compare schemas with the target…", parent)
        self.action.setObjectName("schema-sync")
        self.action.setStatusTip("Fetch the target's JSON Schemas and compare them with ours; "
                                 "optionally validate with the target's")
        self.action.triggered.connect(self.open)

    def open(self) -> SchemaSyncDialog:
        """A fresh dialog on the current target, syncing at once (non-modal)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = SchemaSyncDialog(self._parent, self._controller, self._show_info)
        self.dialog.show()
        self.dialog.start()
        return self.dialog
