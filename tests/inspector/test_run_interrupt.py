"""Ctrl-C on ``run``: exit 130, the summary so far, every requested export with what completed.

A real child process gets a real SIGINT once its output shows the run has progressed.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from inspector.runstore import RunStore

QUICK = """\
name: quick
options: {speed: max, autoPings: false}
steps:
  - {at: 0, do: sessionStart}
  - {at: 0, do: play}
  - {at: 5, do: sessionEnd}
"""
SLOW = """\
name: slow
options: {speed: 1}
steps:
  - {at: 0, do: sessionStart}
  - {at: 0, do: play}
  - {at: 3600, do: sessionEnd}
"""


def _default_sigint() -> None:
    # A job started in the background inherits SIGINT ignored; a user's terminal does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_exits_130_with_the_summary_and_exports(tmp_path: Path) -> None:
    quick, slow = tmp_path / "quick.yaml", tmp_path / "slow.yaml"
    quick.write_text(QUICK)
    slow.write_text(SLOW)
    har, junit, run_json = tmp_path / "r.har", tmp_path / "r.xml", tmp_path / "r.json"
    store = tmp_path / "runs.sqlite3"
    argv = [sys.executable, "-m", "inspector", "run", str(quick), str(slow), "--store",
            str(store), "--har", str(har), "--junit", str(junit), "--json", str(run_json)]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          preexec_fn=_default_sigint) as proc:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:  # "running slow": quick is complete, slow under way
            seen.append(line)
            if line.startswith("running slow"):
                break
        proc.send_signal(signal.SIGINT)
        out, rest = proc.communicate(timeout=60)
    err = "".join(seen) + rest
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err and "interrupted (Ctrl-C)" in err
    assert "PASS quick" in out and "ERROR slow" in out
    assert "0 of 2" not in out and "1 of 2 scenario(s) met every expectation" in out
    entries = json.loads(har.read_text())["log"]["entries"]
    assert [e["_seq"] for e in entries][:3] == [1, 2, 3]  # quick's three, then slow's so far
    cases = ET.parse(junit).getroot().findall(".//testcase")
    assert [c.get("name") for c in cases] == ["quick", "slow"]
    assert cases[1].find("error") is not None and cases[0].find("error") is None
    doc = json.loads(run_json.read_text())
    assert [s["ok"] for s in doc["run"]["scenarios"]] == [True, False]
    with RunStore(store, read_only=True) as runs:
        statuses = {r.name: r.status for r in runs.list_runs()}
    assert statuses == {"quick": "finished", "slow": "interrupted"}
