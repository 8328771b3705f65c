"""The command line, run as a user would: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from inspector import __version__
from inspector.cli import main


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True,
                          text=True, timeout=60)


def test_version_and_help() -> None:
    assert _run("--version").stdout.strip() == f"media-inspector {__version__}"
    helped = _run("--help")
    assert helped.returncode == 0 and "schema" in helped.stdout and "serve" in helped.stdout


def test_schema_session_start_requires_exactly_the_eight_keys() -> None:
    done = _run("schema", "sessionStart")
    schema = json.loads(done.stdout)
    params = schema["definitions"]["sessionStart"]["properties"]["params"]
    assert sorted(params["required"]) == sorted([
        "analytics.trackingServer", "analytics.reportSuite", "visitor.marketingCloudOrgId",
        "media.id", "media.length", "media.contentType", "media.playerName", "media.channel"])


def test_unknown_schema_exits_2_with_the_valid_names() -> None:
    done = _run("schema", "seekStart")
    assert done.returncode == 2 and "seekStart" in done.stderr
    assert "adBreakStart" in done.stderr and done.stdout == ""


def test_gui_without_display_says_what_to_do() -> None:
    env = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "inspector"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 1 and "no display" in done.stderr
    assert "Traceback" not in done.stderr


def test_output_cut_short_by_a_pipe_is_not_a_traceback(monkeypatch) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader left, as `| head` does
    stdout = os.fdopen(write_end, "w", buffering=1)
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        assert main(["schema", "sessionStart"]) == 1
    finally:
        monkeypatch.undo()
        stdout.close()
