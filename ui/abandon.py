"""Before a running session is left behind: end it, leave it open, or think again.

Starting a session or switching the target while one is active used to abandon it
silently. Adobe keeps an abandoned session open until 10 minutes pass without an event
(spec §6.2), and its time counts until then; ``sessionEnd`` closes it at once (spec §3).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["Abandon", "ask_abandon"]


class Abandon(str, Enum):
    END = "end"  # send sessionEnd on the old session first
    LEAVE = "leave"  # leave it open: Adobe closes it after 10 idle minutes
    CANCEL = "cancel"  # do nothing


def ask_abandon(parent: QWidget, doing: str, sid: str | None) -> Abandon:
    """Ask what to do with the running session before ``doing``; tests replace this."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("A session is running")
    box.setText(f"Session {sid or '(waiting for its sid)'} is still running. End it before "
                f"you {doing}?")
    box.setInformativeText("Ending sends sessionEnd, which closes it at once. Left open, "
                           "Adobe closes it only after 10 minutes without events (spec §6.2), "
                           "and its time counts until then.")
    end = box.addButton("End it", QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton("Leave it open", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(end)
    box.exec()
    clicked = box.clickedButton()
    return Abandon.END if clicked is end else Abandon.LEAVE if clicked is leave \
        else Abandon.CANCEL
