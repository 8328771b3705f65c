"""``media-inspector load`` as a user runs it: real subprocesses on loopback, Locust inside.

Short runs with few users; every assertion waits for the processes to exit, never on time.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

QUICK = """\
name: quick-steps
description: play and pause every half second, then end
steps:
  - {at: 0, do: sessionStart}
  - {at: 0, do: play}
  - {at: 0.5, do: pause}
  - {at: 1.0, do: play}
  - {at: 1.5, do: sessionEnd}
"""
AFTER_END = """\
name: play-after-end
description: a play after sessionEnd (the backend answers 410, spec §3.1)
steps:
  - {at: 0, do: sessionStart}
  - {at: 0, do: sessionEnd}
  - {at: 0.2, do: play}
"""


def _load(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "inspector", "load", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=240)
    return proc.returncode, out + err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_master_totals_are_the_sum_of_its_two_workers(tmp_path: Path) -> None:
    scenario = tmp_path / "quick.yaml"
    scenario.write_text(QUICK)
    port = str(_free_port())
    common = [str(scenario), "--master-port", port]
    master = _load(*common, "--master", "--master-bind-host", "127.0.0.1",
                   "--expect-workers", "2", "-u", "4", "-r", "4", "-t", "3s",
                   "--json", str(tmp_path / "master.json"), "--csv", str(tmp_path / "m"))
    workers = [_load(*common, "--worker", "--json", str(tmp_path / f"w{i}.json"))
               for i in (1, 2)]
    done = [_finish(p) for p in (master, *workers)]
    assert [code for code, _ in done] == [0, 0, 0], "\n".join(text for _, text in done)
    totals = json.loads((tmp_path / "master.json").read_text())
    parts = [json.loads((tmp_path / f"w{i}.json").read_text()) for i in (1, 2)]
    assert all(p["requests"] > 0 for p in parts)
    assert totals["requests"] == sum(p["requests"] for p in parts)
    for name, count in totals["by_name"].items():
        assert count == sum(p["by_name"].get(name, 0) for p in parts), name
    rows = (tmp_path / "m_stats.csv").read_text().splitlines()
    aggregated = next(r for r in rows if ",Aggregated," in r).split(",")
    assert int(aggregated[2]) == totals["requests"]  # Locust's own CSV says the same
    assert "Aggregated" in done[0][1] and "unexpected: 0 statuses, 0 findings" in done[0][1]


def test_alone_against_its_own_serve_it_exits_0_with_locust_stats(tmp_path: Path) -> None:
    scenario = tmp_path / "quick.yaml"
    scenario.write_text(QUICK)
    report = tmp_path / "report.html"
    code, text = _finish(_load(str(scenario), "-u", "3", "-r", "3", "-t", "2s",
                               "--html", str(report)))
    assert code == 0, text
    assert "sessionStart" in report.read_text()  # Locust's HTML report has our requests
    assert "embedded backend (`media-inspector serve`)" in text
    assert "sessionStart" in text and "Aggregated" in text
    assert "unexpected: 0 statuses, 0 findings" in text


def test_an_unexpected_status_fails_the_run_and_is_counted(tmp_path: Path) -> None:
    scenario = tmp_path / "after-end.yaml"
    scenario.write_text(AFTER_END)
    summary = tmp_path / "s.json"
    code, text = _finish(_load(str(scenario), "-u", "2", "-r", "2", "-t", "2s",
                               "--json", str(summary)))
    assert code == 1, text
    found = json.loads(summary.read_text())
    assert found["unexpected_statuses"] >= 2  # one play per play of each viewer
    assert found["findings"].get("EVENT_AFTER_SESSION_END", 0) >= 2
    assert (f"unexpected: {found['unexpected_statuses']} statuses, "
            f"{sum(found['findings'].values())} findings") in text


def test_a_bad_scenario_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, text = _finish(_load(str(tmp_path / "missing.yaml"), "-t", "1s"))
    assert code == 2 and "Traceback" not in text and "missing.yaml" in text
