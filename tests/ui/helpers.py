"""Small helpers shared by the window tests: click by objectName, read the log's rows."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from ui.log.model import COLUMNS
from ui.main_window import MainWindow

STATUS = COLUMNS.index("Status")
EVENT = COLUMNS.index("Event type")


def click(window: MainWindow, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None, f"no button {name!r}"
    assert button.isEnabled(), f"button {name!r} is disabled"
    button.click()


def rows(window: MainWindow) -> list[tuple[str, str]]:
    """(event type, status) of every row of the live log, as the table shows them."""
    model = window.model
    model.flush()
    return [(model.index(r, EVENT).data(), model.index(r, STATUS).data())
            for r in range(model.rowCount())]


def answered(window: MainWindow, count: int) -> bool:
    """At least ``count`` rows, and the first ``count`` have an HTTP status."""
    got = rows(window)
    return len(got) >= count and all(s.isdigit() for _, s in got[:count])
