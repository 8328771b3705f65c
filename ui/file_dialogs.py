"""File dialogs in one place: the window asks here, tests replace these two functions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

__all__ = ["ask_open_path", "ask_save_path"]


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """The path the user chose to save to, or None when they cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(path) if path else None


def ask_open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    """The file the user chose to open, or None when they cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(path) if path else None
