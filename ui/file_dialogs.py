"""File dialogs in one place: the window asks here, tests replace these two functions.

Each dialog opens in the folder last used for its purpose (opening or saving scenarios,
HAR, JSON, JUnit…), remembered in the window's QSettings under ``dialogs/<purpose>``. The
purpose defaults to the first file pattern of ``filters`` (``*.yaml`` → ``yaml``), so
opening and saving scenario files share one folder and each export format has its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

__all__ = ["ask_open_path", "ask_save_path", "use_settings", "last_folder", "remember"]

_settings: QSettings | None = None
_memory: dict[str, str] = {}  # until settings are given (or if none ever are)


def use_settings(settings: QSettings | None) -> None:
    """Remember folders in ``settings`` (the window's), so they outlive the app."""
    global _settings
    _settings = settings


def _purpose(filters: str, purpose: str | None) -> str:
    if purpose:
        return purpose
    match = re.search(r"\*\.([A-Za-z0-9]+)", filters)
    return match.group(1).lower() if match else "files"


def last_folder(purpose: str) -> str | None:
    """The folder last used for ``purpose``, if it still exists."""
    key = f"dialogs/{purpose}"
    value = _settings.value(key) if _settings is not None else _memory.get(key)
    return value if isinstance(value, str) and value and Path(value).is_dir() else None


def remember(purpose: str, path: Path) -> None:
    """Note ``path``'s folder as the one to start in next time for ``purpose``."""
    folder, key = str(path.parent), f"dialogs/{purpose}"
    if _settings is not None:
        _settings.setValue(key, folder)
    else:
        _memory[key] = folder


def _run(dialog: QFileDialog, purpose: str) -> Path | None:
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    path = Path(dialog.selectedFiles()[0])
    remember(purpose, path)
    return path


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str, *,
                  purpose: str | None = None) -> Path | None:
    """The path the user chose to save to, or None when they cancelled."""
    purpose = _purpose(filters, purpose)
    folder = last_folder(purpose)
    start = str(Path(folder) / suggested) if folder and not Path(suggested).is_absolute() \
        else suggested
    dialog = QFileDialog(parent, title, start, filters)
    dialog.setObjectName(f"save-dialog:{purpose}")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.selectFile(start)
    return _run(dialog, purpose)


def ask_open_path(parent: QWidget, title: str, filters: str, *,
                  purpose: str | None = None) -> Path | None:
    """The file the user chose to open, or None when they cancelled."""
    purpose = _purpose(filters, purpose)
    dialog = QFileDialog(parent, title, last_folder(purpose) or "", filters)
    dialog.setObjectName(f"open-dialog:{purpose}")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _run(dialog, purpose)
