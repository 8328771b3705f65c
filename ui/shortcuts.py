"""Keyboard conventions: standard keys keep their meaning; bare-key shortcuts never steal keys.

Event shortcuts with a modifier (``Ctrl+Shift+A``) are chosen so that none is a standard key
of the platform (``QKeySequence.StandardKey``: Ctrl+A selects all, Ctrl+B is bold...; the
tests check every action of the window). A few event shortcuts are bare keys, as in a media
player (``Space`` plays, ``P`` pauses, ``B`` buffers); :class:`BareKeyGuard` lets the focused
widget keep such a key when it has a use for it: Space toggles a focused checkbox, a list
types ahead, an editor types.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox,
                               QApplication, QComboBox, QLineEdit, QMenu, QMenuBar,
                               QPlainTextEdit, QTextEdit, QWidget)

__all__ = ["BareKeyGuard", "shortcut_rows"]

_KEY_USERS = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit,
              QPlainTextEdit, QTextEdit)
_CHORD = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
          | Qt.KeyboardModifier.MetaModifier)


class BareKeyGuard(QObject):
    """An application event filter: a key without Ctrl/Alt/Meta goes to a widget that uses keys.

    Qt asks the focused widget first (``ShortcutOverride``); accepting it there sends the key
    to the widget instead of firing the shortcut.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and not event.modifiers() & _CHORD and isinstance(watched, _KEY_USERS)
                and isinstance(watched, QWidget) and watched.isEnabled()):
            event.accept()
            return True
        return False


def _menu_rows(menu: QMenu | QMenuBar, path: str) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for action in menu.actions():
        title = action.text().replace("&", "")
        sub = action.menu()
        if isinstance(sub, QMenu):
            rows.extend(_menu_rows(sub, f"{path} › {title}" if path else title))
        elif not action.shortcut().isEmpty() and action.shortcutContext() \
                is not Qt.ShortcutContext.WidgetShortcut:
            rows.append((path, title, action.shortcut().toString(
                action.shortcut().SequenceFormat.NativeText)))
    return rows


def shortcut_rows(window: QWidget, bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(where, what, key) for every shortcut of ``window``: its menus, then its other actions."""
    rows = _menu_rows(bar, "")
    listed = {(what, key) for _, what, key in rows}
    for action in window.findChildren(QAction):
        key = action.shortcut().toString(action.shortcut().SequenceFormat.NativeText)
        what = action.text().replace("&", "")
        if key and what and (what, key) not in listed \
                and action.shortcutContext() is not Qt.ShortcutContext.WidgetShortcut:
            rows.append(("Window", what, key))
            listed.add((what, key))
    return rows
