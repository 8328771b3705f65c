"""Qt application bootstrap: QApplication + qasync loop, then the main window."""

from __future__ import annotations

import os
import sys

__all__ = ["run_gui"]


def _display_available() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(url: str | None = None) -> int:
    """Open the window against ``url`` or the embedded backend; the exit code of the app."""
    if not _display_available():
        print("media-inspector: no display found (DISPLAY/WAYLAND_DISPLAY unset). Run it in a "
              "desktop session, under `xvfb-run media-inspector`, or use "
              "`media-inspector serve` / `media-inspector run` for headless work.",
              file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv)
    label = QLabel(f"Media Inspector — target: {url or 'embedded backend'}")
    label.setObjectName("placeholder")
    label.resize(480, 120)
    label.show()
    return app.exec()
