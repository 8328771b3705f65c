"""The log file: where the messages say it is, rotating, readable by the user only."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from inspector.logfile import LOG_DIR_ENV, log_path, start_log_file


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv(LOG_DIR_ENV, str(folder))
    yield folder
    for name in ("inspector", "ui"):  # leave the loggers as they were
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            if getattr(handler, "baseFilename", "").startswith(str(folder)):
                logger.removeHandler(handler)
                handler.close()


def test_records_reach_the_file_and_only_the_user_can_read_it(log_dir: Path) -> None:
    path = start_log_file()
    assert path == log_path() == log_dir / "media-inspector.log"
    logging.getLogger("inspector.runstore").error("cannot open the run store: %s", "disk full")
    logging.getLogger("ui.app").error("event loop error: %s", "boom")
    for handler in logging.getLogger("inspector").handlers:
        handler.flush()
    text = path.read_text()
    assert "ERROR inspector.runstore: cannot open the run store: disk full" in text
    assert "ERROR ui.app: event loop error: boom" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700


def test_a_log_folder_that_cannot_be_made_is_one_line_on_stderr(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(LOG_DIR_ENV, str(blocker / "logs"))
    assert start_log_file() is None
    err = capsys.readouterr().err
    assert err.startswith("media-inspector: no log file (") and err.count("\n") == 1
