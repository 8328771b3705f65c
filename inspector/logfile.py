"""The app's log file: rotating, under the user's log directory, readable by the user only.

The window logs what it cannot show in full (an unexpected loop error with its traceback, a
run store that would not open); its messages say "see the log file", and Help → Open log
file opens it. ``MEDIA_INSPECTOR_LOG_DIR`` puts it elsewhere (tests, portable installs).
"""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

__all__ = ["LOG_DIR_ENV", "log_path", "start_log_file"]

LOG_DIR_ENV = "MEDIA_INSPECTOR_LOG_DIR"
_MAX_BYTES = 1_000_000
_BACKUPS = 3  # media-inspector.log and .1 .. .3: at most 4 MB


def log_path() -> Path:
    """Where the log file is (or will be)."""
    folder = os.environ.get(LOG_DIR_ENV) or platformdirs.user_log_dir("media-inspector",
                                                                      appauthor=False)
    return Path(folder) / "media-inspector.log"


def start_log_file(level: int = logging.INFO) -> Path | None:
    """Log ``inspector`` and ``ui`` records to the rotating file; its path, or None if it
    cannot be written (the app then works without one, and says so on stderr)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS,
                                      encoding="utf-8")
        os.chmod(path, 0o600)  # it can hold sids and visitor ids
    except OSError as exc:
        print(f"media-inspector: no log file ({path}: {exc.strerror or exc})",
              file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("inspector", "ui"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(min(logger.level or level, level))
    return path
