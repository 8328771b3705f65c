"""The scenario ``chaos:`` block (file:line errors like the rest) and ``run --chaos``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.chaos import Action, rules_for
from inspector.scenario import ScenarioError, parse_scenario

HEAD = "name: c\nsteps:\n  - {at: 0, do: sessionStart}\n  - {at: 1, do: play}\n"


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_block_takes_presets_then_rules() -> None:
    scenario = parse_scenario(HEAD + "chaos:\n  preset: [pod-gap]\n  rules:\n"
                              "    - {action: delay, events: play, seconds: 7}\n", "s.yaml")
    assert scenario.chaos[:-1] == rules_for(["pod-gap"])
    last = scenario.chaos[-1]
    assert (last.action, last.events, last.seconds) == (Action.DELAY, ("play",), 7.0)
    assert parse_scenario(HEAD, "s.yaml").chaos == ()


@pytest.mark.parametrize(("block", "expected"), [
    ("chaos:\n  preset: pod-gapp\n", "s.yaml:6: chaos.preset: 'pod-gapp' is not a known "
                                      "preset — did you mean 'pod-gap'?"),
    ("chaos:\n  preset: [pod-gap, nope]\n", "s.yaml:6: chaos.preset: 'nope' is not a known "
                                           "preset — write one of: out-of-order-ads"),
    ("chaos:\n  rules:\n    - {action: delay, events: play}\n",
     "s.yaml:7: chaos.rules.0: delay needs `seconds:`"),
    ("chaos:\n  rules:\n    - action: drop\n      events: [pley]\n",
     "s.yaml:8: chaos.rules.0.events"),
    ("chaos:\n  rules:\n    - {action: delay, seconds: 1, after: 2}\n",
     "s.yaml:7: chaos.rules.0.after: unknown key 'after'"),
    ("chaos:\n  rules:\n    - {action: reorder, count: 1}\n", "s.yaml:7: chaos.rules.0.count"),
])
def test_bad_blocks_are_named_with_file_and_line(block: str, expected: str) -> None:
    found = _problems(HEAD + block)
    assert any(p.startswith(expected) for p in found), found


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspector", "run", *args, "--no-store"],
                          capture_output=True, text=True, timeout=180)


def test_run_chaos_out_of_order_ads_shows_what_the_server_saw(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    done = _run("timeline-1", "--chaos", "out-of-order-ads", "--json", str(out))
    # The expectations judge the meant session (timeline 1 as written): they hold, while
    # the chaos lines show what the server made of the delivery.
    assert done.returncode == 0, done.stdout + done.stderr
    assert "expectations: 30 of 30 met" in done.stdout
    assert "chaos on: reorder adBreakStart" in done.stdout
    assert "arrived out of order: adBreakStart" in done.stdout
    assert "processed out of order (late for the window, spec §2.3): adBreakStart" \
        in done.stdout
    assert "metric changed: Ad time spent: meant 30, the server" in done.stdout
    chaos = json.loads(out.read_text())["run"]["scenarios"][0]["chaos"]
    changed = {c["metric"]: c for c in chaos["changedMetrics"]}
    assert changed["ad_time_spent"]["meant"] == 30 > changed["ad_time_spent"]["server"]
    assert chaos["source"] == "the embedded backend's own report"
    assert any(x.startswith("adBreakStart") for x in chaos["processedLate"])


def test_run_without_chaos_says_nothing_of_it() -> None:
    done = _run("timeline-1")
    assert done.returncode == 0 and "chaos on" not in done.stdout


def test_unknown_preset_exits_2_listing_the_presets() -> None:
    done = _run("timeline-1", "--chaos", "pod-gap,nope")
    assert done.returncode == 2 and "nothing" not in done.stdout
    assert "unknown chaos preset 'nope'; the presets are: out-of-order-ads, pod-gap" \
        in done.stderr


def test_chaos_with_several_players_is_refused() -> None:
    done = _run("timeline-1", "--chaos", "pod-gap", "--players", "2")
    assert done.returncode == 2 and "chaos runs one player" in done.stderr
