"""``media-inspector diff``: a timing-tolerant sequence diff of a session against a
reference; exit 0 when they match within tolerance."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from inspector.diff import SessionView, diff_sessions
from inspector.protocol.bodies import sample_body
from inspector.report import SessionReport

CAPTURES = Path(__file__).resolve().parent / "captures"
TS0 = 1767225600000


def _view(steps: list[tuple[str, float]], **params: dict[str, Any]) -> SessionView:
    bodies = []
    for kind, at in steps:
        body = sample_body(kind, ts=TS0 + round(at * 1000), playhead=at)
        body.get("params", {}).update(params.get(kind, {}))
        bodies.append(body)
    report = SessionReport()
    for body in bodies:
        report.add(body)
    return SessionView("test", bodies, report.to_dict(), Counter())


REFERENCE = [("sessionStart", 0), ("adBreakStart", 0), ("adStart", 0), ("ping", 1),
             ("adComplete", 2), ("adBreakComplete", 2), ("play", 2), ("ping", 10),
             ("ping", 20), ("sessionEnd", 25)]


def _kinds(found: list[Any]) -> list[str]:
    return [d.kind for d in found]


def test_the_same_sequence_with_times_inside_the_tolerance_matches() -> None:
    shifted = [(k, at + 0.5 if at > 0 else at) for k, at in REFERENCE]
    assert diff_sessions(_view(shifted), _view(REFERENCE), tolerance=2) == []


def test_missing_extra_out_of_order_params_and_timing_are_each_named() -> None:
    steps = copy.deepcopy(REFERENCE)
    del steps[1]  # no adBreakStart
    steps.insert(7, ("pauseStart", 15))
    steps[-1] = ("sessionEnd", 35)  # ten seconds late
    got = _view(steps, adStart={"media.ad.podPosition": 7})
    found = diff_sessions(got, _view(REFERENCE), tolerance=2)
    text = "\n".join(map(str, found))
    assert "missing: adBreakStart" in text and "extra: pauseStart" in text
    assert "media.ad.podPosition 7 vs 1" in text
    assert "timing: sessionEnd" in text and "35 s, the reference at 25 s" in text
    assert "metrics: ad_breaks.started 0, the reference 1" in text
    swapped = copy.deepcopy(REFERENCE)
    swapped[4], swapped[5] = ("adBreakComplete", 2), ("adComplete", 2)
    assert "out of order" in _kinds(diff_sessions(_view(swapped), _view(REFERENCE)))


def test_pings_are_judged_by_count_not_position() -> None:
    fewer = [s for s in REFERENCE if s != ("ping", 10) and s != ("ping", 20)]
    found = diff_sessions(_view(fewer), _view(REFERENCE))
    assert "pings" in _kinds(found) and "missing" not in _kinds(found)


def _diff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspector", "diff", *args],
                          capture_output=True, text=True, timeout=180)


def test_a_run_matches_its_own_scenario_and_not_another(tmp_path: Path) -> None:
    run = tmp_path / "t1.json"
    ran = subprocess.run([sys.executable, "-m", "inspector", "run", "timeline-1", "--json",
                          str(run), "--no-store"], capture_output=True, text=True, timeout=180)
    assert ran.returncode == 0, ran.stderr
    same = _diff(str(run), "timeline-1")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "they match within tolerance" in same.stdout
    other = _diff(str(run), "timeline-2")
    assert other.returncode == 1 and "difference(s)" in other.stdout
    document = json.loads(run.read_text())
    document["exchanges"] = [e for e in document["exchanges"]
                             if e["eventType"] != "adBreakStart"]
    run.write_text(json.dumps(document))
    broken = _diff(str(run), "timeline-1")
    assert broken.returncode == 1 and "missing: adBreakStart" in broken.stdout


def test_a_capture_against_a_scenario_and_unreadable_sides() -> None:
    done = _diff(str(CAPTURES / "chrome-devtools.har"), "ad-outside-break")
    assert done.returncode == 1 and "comparing" in done.stdout
    missing = _diff("no-such-file.har", "timeline-1")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = _diff(str(CAPTURES / "chrome-devtools.har"), str(Path(__file__)))
    assert bad.returncode == 2 and "cannot be read as JSON" in bad.stderr
