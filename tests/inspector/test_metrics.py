"""Adobe's metrics (spec §10): golden values for the three timelines of §7, worked out by
hand from the tables (the arithmetic is written out below), and one test per metric rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inspector.metrics import HEADLINE, METRICS, Reported, format_value, metric
from inspector.report import SessionReport
from inspector.scenarios.library import resolve
from inspector.scenarios.loader import load_scenario
from tests.inspector.server.adobe_timelines import (
    TIMELINE_1,
    TIMELINE_2,
    TIMELINE_3,
    ad,
    pod,
    timeline,
)

LENGTH = 60.33  # §7: the timelines' VOD is 60.33 s long


def metrics_of(rows: list[tuple[Any, ...]], length: object = LENGTH,
               close: str | None = None) -> dict[str, Any]:
    bodies = timeline(rows)
    bodies[0]["params"]["media.length"] = length
    report = SessionReport()
    for body in bodies:
        report.add(body)
    if close:
        report.close(close)
    return report.to_dict()["metrics"]


def test_timeline_1_golden() -> None:
    m = metrics_of(TIMELINE_1)
    assert m["media_starts"] == 1 and m["content_starts"] == 1
    assert m["content_completes"] == 1  # sessionComplete at t88
    assert m["ad_starts"] == 3 and m["ad_completes"] == 3
    assert m["ad_time_spent"] == (15 - 0) + (22 - 15) + (54 - 46)  # = 30
    # play 22, buffer 33-36, mid-roll 46-54, pause 64-74, complete 88:
    assert m["content_time_spent"] == (33 - 22) + (46 - 36) + (64 - 54) + (88 - 74)  # = 45
    assert m["media_time_spent"] == 30 + 45
    assert m["average_minute_audience"] == round(45 / 60.33, 3)  # 0.746
    assert m["pause_events"] == 1 and m["total_pause_duration"] == 74 - 64
    assert m["buffer_events"] == 1 and m["total_buffer_duration"] == 36 - 33
    assert m["ad_breaks_started"] == 2 and m["errors"] == 0
    # Playhead 45 of 60.33 = 74.6 %: past 10, 25, 50; short of 75 (45.25) and 95.
    assert [m[f"progress_{p}"] for p in (10, 25, 50, 75, 95)] == [True] * 3 + [False] * 2


def test_timeline_2_golden() -> None:
    m = metrics_of(TIMELINE_2)
    assert m["media_starts"] == 1 and m["content_starts"] == 1  # play at t12, after the pod
    assert m["content_completes"] == 0  # abandoned: sessionEnd without sessionComplete
    assert m["ad_starts"] == 2 and m["ad_completes"] == 1  # the mid-roll ad never completes
    assert m["ad_time_spent"] == (12 - 0) + (48 - 45)  # = 15
    assert m["content_time_spent"] == 45 - 12  # the error (t32) does not stop play: 33
    assert m["media_time_spent"] == 15 + 33
    assert m["errors"] == 1
    assert m["average_minute_audience"] == round(33 / 60.33, 3)  # 0.547


def test_timeline_3_golden() -> None:
    m = metrics_of(TIMELINE_3)
    assert m["ad_time_spent"] == (15 - 0) + (22 - 15) + (54 - 46)  # = 30
    assert m["content_time_spent"] == (33 - 22) + (46 - 36) + (64 - 54) + (88 - 74)  # = 45
    assert m["media_time_spent"] == 75
    assert m["chapter_starts"] == 2 and m["chapter_completes"] == 2
    # Chapter 1 t23-45 minus the buffer 33-36; chapter 2 t55-87 minus the pause 64-74.
    assert m["chapter_time_spent"] == [{"index": 1, "seconds": (33 - 23) + (45 - 36)},
                                       {"index": 2, "seconds": (64 - 55) + (87 - 74)}]
    assert m["content_completes"] == 1


# -- one test per rule ----------------------------------------------------------------------

def test_pauses_and_buffering_are_excluded_from_time_spent() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "pauseStart"),
                    (30, 10, "play"), (40, 20, "bufferStart"), (45, 20, "play"),
                    (50, 25, "sessionEnd")])
    assert m["content_time_spent"] == (10 - 0) + (40 - 30) + (50 - 45)
    assert m["total_pause_duration"] == 20 and m["total_buffer_duration"] == 5


def test_ignored_ads_count_as_content_and_not_as_ads() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "adStart", ad(15, 1)),
                    (25, 10, "adComplete"), (40, 25, "sessionEnd")])
    assert m["ad_starts"] == 0 and m["ad_completes"] == 0 and m["ad_time_spent"] == 0
    assert m["content_time_spent"] == 40  # the 15 s ad went to content


def test_session_complete_is_a_content_complete() -> None:
    rows = [(0, 0, "sessionStart"), (0, 0, "play"), (60, 60, "sessionComplete")]
    assert metrics_of(rows)["content_completes"] == 1


def test_a_timeout_without_session_complete_is_not_a_complete() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (60, 60, "ping")],
                   close="idle_timeout")
    assert m["content_completes"] == 0 and m["content_time_spent"] == 60


@pytest.mark.parametrize("length", [0, None])
def test_average_minute_audience_needs_a_length(length: object) -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (30, 30, "ping")], length=length)
    assert m["average_minute_audience"] is None and m["content_time_spent"] == 30


def test_media_start_counts_even_when_the_viewer_leaves_in_the_pre_roll() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)),
                    (0, 0, "adStart", ad(15, 1)), (5, 0, "sessionEnd")])
    assert m["media_starts"] == 1 and m["content_starts"] == 0  # no play: no content start
    assert [m[f"progress_{p}"] for p in (10, 25, 50, 75, 95)] == [False] * 5


def test_content_start_needs_a_play_outside_a_break() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)),
                    (0, 0, "play"), (5, 0, "sessionEnd")])
    assert m["content_starts"] == 0


def test_trailing_pings_after_complete_add_no_time() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (30, 30, "sessionComplete"),
                    (40, 30, "ping"), (50, 30, "ping")])
    assert m["content_time_spent"] == 30 and m["media_time_spent"] == 30


def test_skipped_ads_start_but_do_not_complete() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)),
                    (0, 0, "adStart", ad(15, 1)), (5, 0, "adSkip"),
                    (5, 0, "adBreakComplete"), (5, 0, "play"), (10, 5, "sessionEnd")])
    assert m["ad_starts"] == 1 and m["ad_completes"] == 0 and m["ad_time_spent"] == 5


def test_progress_markers_fire_where_the_playhead_reaches_them() -> None:
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "ping"),
                    (96, 96, "ping")], length=100)
    assert [m[f"progress_{p}"] for p in (10, 25, 50, 75, 95)] == [True] * 5
    m = metrics_of([(0, 0, "sessionStart"), (0, 0, "play"), (9, 9, "ping")], length=100)
    assert m["progress_10"] is False


# -- the table --------------------------------------------------------------------------------

def test_only_media_starts_is_reported_at_start() -> None:
    assert [m.key for m in METRICS if m.reported is Reported.START] == ["media_starts"]


def test_every_adobe_metric_names_its_analytics_and_cja_fields() -> None:
    for m in METRICS:
        if m.source != "ours":
            assert m.analytics and m.analytics.startswith("a.media."), m.key
            assert m.cja and "." in m.cja, m.key
    assert metric("content_time_spent").analytics == "a.media.timePlayed"
    assert metric("content_time_spent").cja == "sessionDetails.timePlayed"
    assert metric("ad_breaks_started").analytics is None


def test_headline_metrics_are_in_the_table_and_format_for_people() -> None:
    assert all(metric(k) for k in HEADLINE)
    assert format_value("content_time_spent", 45) == "45 s"
    assert format_value("average_minute_audience", None) == "—"
    assert format_value("progress_10", True) == "yes"


def test_old_report_keys_still_there() -> None:
    report = SessionReport().to_dict()
    assert {"media", "events", "time", "playhead", "ad_breaks", "ads", "chapters", "pauses",
            "buffers", "errors", "states", "qoe", "now", "completed", "closed",
            "ignored"} <= set(report)
    assert set(report["metrics"]) == {m.key for m in METRICS}


def test_builtin_timelines_use_adobes_length() -> None:
    for name in ("timeline-1", "timeline-2", "timeline-3"):
        assert load_scenario(resolve(name)).media["media.length"] == LENGTH


def test_run_timeline_1_json_has_the_done_figures(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "inspector", "run", "timeline-1", "--json",
                           str(out), "--no-store"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    m = json.loads(out.read_text())["report"]["timeline-1"]["metrics"]
    assert {k: m[k] for k in ("media_starts", "content_starts", "content_completes",
                              "ad_starts", "ad_completes", "content_time_spent",
                              "ad_time_spent", "media_time_spent")} == {
        "media_starts": 1, "content_starts": 1, "content_completes": 1, "ad_starts": 3,
        "ad_completes": 3, "content_time_spent": 45, "ad_time_spent": 30,
        "media_time_spent": 75}
