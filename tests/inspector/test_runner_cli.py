"""``media-inspector run`` and ``scenarios`` as a user runs them: real subprocesses."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from inspector.runstore import RunStore
from inspector.scenario import builtin_paths

FAILING = """\
name: wrong-expectation
description: expects a 410 where the backend answers 204
steps:
  - {at: 0, do: sessionStart}
  - {at: 1, do: play, expect: {status: 410}}
"""
BROKEN = """\
name: broken
steps:
  - {at: 0, do: sessionStart}
  - {at: 1, do: pley}
"""


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_scenarios_lists_every_builtin() -> None:
    done = _run("scenarios")
    assert done.returncode == 0
    listed = [line.split()[0] for line in done.stdout.splitlines()]
    assert listed == [p.stem for p in builtin_paths()]


def test_run_passes_writes_exports_and_stores_the_run(tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite3"
    done = _run("run", "timeline-1", "events-after-session-end", "--store", str(store),
                "--junit", str(tmp_path / "j.xml"), "--har", str(tmp_path / "h.har"),
                "--json", str(tmp_path / "r.json"), "--redact")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 of 2 scenario(s) met every expectation" in done.stdout
    assert "PASS timeline-1" in done.stdout and "statuses: 201: 1, 204: 52" in done.stdout
    cases = list(ET.parse(tmp_path / "j.xml").getroot().iter("testcase"))
    assert [c.get("name") for c in cases] == ["timeline-1", "events-after-session-end"]
    first_line = (cases[0].findtext("system-out") or "").splitlines()[0]
    assert first_line.startswith("file: ") and first_line.endswith("timeline-1.yaml")
    har = json.loads((tmp_path / "h.har").read_text())
    assert len(har["log"]["entries"]) == 53 + 7
    assert "ABC123DEF456@AdobeOrg" not in (tmp_path / "h.har").read_text()
    assert json.loads((tmp_path / "r.json").read_text())["run"]["scenarios"][1]["ok"] is True
    with RunStore(store, read_only=True) as runs:
        listed = runs.list_runs()
        assert [(r.name, r.status, r.exchanges) for r in listed] == [
            ("events-after-session-end", "finished", 7), ("timeline-1", "finished", 53)]
        assert runs.open_run(listed[1].id).report["completed"] is True


def test_an_unmet_expectation_exits_1_and_says_which(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(FAILING)
    done = _run("run", str(path), "--no-store", "--junit", str(tmp_path / "j.xml"))
    assert done.returncode == 1
    assert "FAIL wrong-expectation" in done.stdout
    assert "status 410 (got 204)" in done.stdout
    failure = ET.parse(tmp_path / "j.xml").getroot().find(".//failure")
    assert failure is not None and "status 410 (got 204)" in (failure.text or "")


def test_a_bad_file_exits_2_and_nothing_runs(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(FAILING)
    bad.write_text(BROKEN)
    store = tmp_path / "runs.sqlite3"
    done = _run("run", str(good), str(bad), "--store", str(store))
    assert done.returncode == 2
    assert f"{bad}:4: steps.1.do: 'pley' is not a known value — did you mean 'play'?" in (
        done.stderr)
    assert "nothing was run" in done.stderr and "running" not in done.stderr
    assert done.stdout == "" and not store.exists()


def test_usage_errors_exit_2() -> None:
    assert _run("run", "no-such-scenario").returncode == 2
    assert _run("run", "timeline-1", "--speed", "fast").returncode == 2
    assert _run("run", "timeline-1", "--players", "0").returncode == 2
    assert _run("run").returncode == 2


def test_fifty_players_on_one_loop() -> None:
    done = _run("run", "error-recovery", "--players", "50", "--no-store")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS error-recovery x50" in done.stdout
    assert "statuses: 201: 50, 204: 550" in done.stdout
    assert "latency ms: p50" in done.stdout


def test_every_player_is_saved_in_one_run(tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite3"
    done = _run("run", "error-recovery", "--players", "3", "--store", str(store))
    assert done.returncode == 0, done.stdout + done.stderr
    with RunStore(store, read_only=True) as runs:
        (info,) = runs.list_runs()
        run = runs.open_run(info.id)
    assert (info.name, info.status, info.meta["players"]) == ("error-recovery x3", "finished", 3)
    assert len(run.exchanges) == 3 * (1 + 11)  # as many as the three players sent
    starts = [e for e in run.exchanges if e.event_type == "sessionStart"]
    assert len({e.sid for e in starts}) == 3 and all(e.sid for e in starts)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once it is closed


def test_an_unreachable_url_is_an_error_with_its_own_exit_code(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    done = _run("run", "timeline-1", "--url", url, "--no-store",
                "--junit", str(tmp_path / "j.xml"))
    assert done.returncode == 3, done.stdout + done.stderr
    assert "ERROR timeline-1" in done.stdout
    assert f"cannot reach {url}: connection refused" in done.stdout
    suite = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.find(".//failure") is None
    error = suite.find(".//error")
    assert error is not None and "connection refused" in (error.get("message") or "")
    assert (suite.get("errors"), suite.get("failures")) == ("1", "0")


def test_a_body_that_is_not_json_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "raw.yaml"
    path.write_text("name: raw\nsteps:\n  - {at: 0, do: sessionStart}\n"
                    "  - {at: 1, body: 'not json'}\n")
    done = _run("run", str(path), "--no-store")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}:4: steps.1.body: not JSON" in done.stderr and done.stdout == ""
