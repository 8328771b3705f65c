"""``media-inspector runs``: past runs with their verdicts; one exported as HAR/JSON/JUnit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.profile import Profile


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_runs_lists_verdicts_and_exports_a_run(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "runs.sqlite3")
    assert main(["run", "ad-outside-break", "--store", store]) == 0
    capsys.readouterr()
    assert main(["runs", "--store", store]) == 0
    header, row = _lines(capsys)
    assert header.split()[:4] == ["run", "started", "status", "verdict"]
    assert row.startswith("#1 ") and "finished" in row and "ad-outside-break" in row
    assert "PASS · 8/8 · 2 findings" in row  # the scenario expects its two AD_OUTSIDE_BREAKs

    har, xml, doc = tmp_path / "r.har", tmp_path / "r.xml", tmp_path / "r.json"
    assert main(["runs", "export", "1", "--store", store, "--har", str(har), "--junit",
                 str(xml), "--json", str(doc), "--redact"]) == 0
    entries = json.loads(har.read_text())["log"]["entries"]
    assert len(entries) == 25 and "AD_OUTSIDE_BREAK" in har.read_text()
    assert Profile().org_id not in har.read_text() + doc.read_text()
    assert 'failures="0"' in xml.read_text()


def test_runs_says_what_is_wrong_in_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "runs.sqlite3")
    assert main(["runs", "--store", store]) == 0
    assert _lines(capsys)[-1].startswith("(no runs in ")
    assert main(["runs", "export", "4", "--store", store, "--har", str(tmp_path / "x")]) == 2
    assert main(["runs", "export", "4", "--store", store]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("media-inspector: no run #4 in ")
    assert err[1] == "media-inspector: runs export ID needs --har, --json and/or --junit"


def test_run_verbose_lists_every_expectation_with_what_was_seen(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "ad-outside-break", "--no-store"]) == 0
    quiet = capsys.readouterr().out
    assert main(["run", "ad-outside-break", "--no-store", "-v"]) == 0
    loud = capsys.readouterr().out
    listed = [line.strip() for line in loud.splitlines() if line.startswith("    ok ")]
    assert len(listed) == 8 and not [line for line in quiet.splitlines()
                                     if line.startswith("    ok ")]
    assert "ok   step at 30s (adStart, line 10): finding AD_OUTSIDE_BREAK" in listed[1]
