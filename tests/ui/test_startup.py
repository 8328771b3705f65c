"""Start-up: the window's frame is painted before the heavy imports and the backend."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QSettings
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from ui.app import show_placeholder


class _Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt
        self.count += event.type() == QEvent.Type.Paint
        return False


def test_the_placeholder_is_painted_on_return_with_the_saved_geometry(
        qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    saved = QMainWindow()
    qtbot.addWidget(saved)
    saved.setGeometry(QRect(40, 50, 700, 500))
    settings.setValue("window/geometry", saved.saveGeometry())
    paints = _Paints()
    QApplication.instance().installEventFilter(paints)
    try:
        shell = show_placeholder(settings)
    finally:
        QApplication.instance().removeEventFilter(paints)
    qtbot.addWidget(shell)
    assert paints.count > 0  # painted before show_placeholder returned, no loop needed
    assert shell.isVisible() and shell.windowTitle() == "Media Inspector"
    assert (shell.width(), shell.height()) == (700, 500)
    note = shell.centralWidget()
    assert isinstance(note, QLabel) and "Starting" in note.text()
