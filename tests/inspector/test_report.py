"""SessionReport: what Adobe's backend would count, checked on spec §7's three timelines
and on the rules of §3.1. Expected figures come from the spec's tables, not from runs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.protocol.bodies import sample_body
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.report import MAX_STATES, SessionReport
from tests.inspector.server.adobe_timelines import (
    T0_MS,
    TIMELINE_1,
    TIMELINE_2,
    TIMELINE_3,
    ad,
    pod,
    timeline,
)

def report_of(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    report = SessionReport()
    for body in bodies:
        report.add(body)
    return report.to_dict()


NEAR = {"abs": 0.01}  # the 1 ms steps between same-second events


def test_timeline_1_pre_rolls_buffering_mid_roll_pause_complete() -> None:
    r = report_of(timeline(TIMELINE_1))
    assert r["time"]["ad"] == pytest.approx(15 + 7 + 8, **NEAR)
    # Content = playing time = the playhead reached at sessionComplete (ph 45).
    assert r["time"]["content"] == pytest.approx(45, **NEAR)
    assert r["pauses"] == {"count": 1, "seconds": pytest.approx(74 - 64, **NEAR)}
    assert r["buffers"] == {"count": 1, "seconds": pytest.approx(36 - 33, **NEAR)}
    assert r["ad_breaks"] == {"started": 2, "completed": 2, "unfinished": 0}
    assert r["ads"] == {"started": 3, "completed": 3, "skipped": 0, "unfinished": 0}
    assert r["completed"] is True and r["closed"] is None  # I13: complete does not close
    assert r["ignored"] == [] and r["errors"]["count"] == 0


def test_timeline_2_error_and_abandon_mid_ad() -> None:
    r = report_of(timeline(TIMELINE_2))
    assert r["time"]["ad"] == pytest.approx(12 + (48 - 45), **NEAR)
    assert r["time"]["content"] == pytest.approx(33, **NEAR)  # ph 33 at the mid-roll
    assert r["errors"]["count"] == 1
    assert r["ads"] == {"started": 2, "completed": 1, "skipped": 0, "unfinished": 1}
    assert r["ad_breaks"] == {"started": 2, "completed": 1, "unfinished": 1}
    assert r["closed"]["reason"] == "sessionEnd" and r["completed"] is False
    assert r["qoe"]["average_bitrate"] == 2_000_000


def test_timeline_3_chapters_around_a_mid_roll() -> None:
    r = report_of(timeline(TIMELINE_3))
    assert r["time"]["ad"] == pytest.approx(30, **NEAR)
    assert r["time"]["content"] == pytest.approx(45, **NEAR)
    chapters = r["chapters"]
    assert {k: chapters[k] for k in ("started", "completed", "skipped", "unfinished")} == {
        "started": 2, "completed": 2, "skipped": 0, "unfinished": 0}
    # Chapter time is content time inside it: 1->20 and 22->44 of playhead.
    assert [c["seconds"] for c in chapters["items"]] == [pytest.approx(19, **NEAR),
                                                         pytest.approx(22, **NEAR)]
    assert [c["index"] for c in chapters["items"]] == [1, 2]
    assert r["pauses"]["count"] == 1 and r["buffers"]["count"] == 1


def test_ad_outside_a_break_is_ignored_and_its_time_is_content() -> None:
    r = report_of(timeline([(0, 0, "sessionStart"), (0, 0, "play"),
                            (10, 10, "adStart", ad(15, 1)), (20, 10, "ping"),
                            (25, 10, "adComplete"), (30, 15, "ping"), (40, 25, "sessionEnd")]))
    assert r["time"]["ad"] == 0 and r["ads"]["started"] == 0
    assert r["time"]["content"] == pytest.approx(40, **NEAR)
    assert r["time"]["content_from_ignored_ads"] == pytest.approx(15, **NEAR)
    assert [(i["eventType"], i["code"]) for i in r["ignored"]] == [
        ("adStart", "AD_OUTSIDE_BREAK"), ("adComplete", "AD_OUTSIDE_BREAK")]
    assert "main content" in r["ignored"][0]["reason"]


def test_pre_roll_without_a_break_counts_as_content_even_before_play() -> None:
    r = report_of(timeline([(0, 0, "sessionStart"), (0, 0, "adStart", ad(15, 1)),
                            (15, 0, "adSkip"), (15, 0, "play"), (20, 5, "sessionEnd")]))
    assert r["time"]["content"] == pytest.approx(20, **NEAR)
    assert r["time"]["ad"] == 0 and r["ads"]["skipped"] == 0
    assert len(r["ignored"]) == 2


def test_bookend_without_an_opening_is_ignored() -> None:
    r = report_of(timeline([(0, 0, "sessionStart"), (1, 0, "adBreakComplete"),
                            (2, 0, "chapterComplete"), (3, 0, "stateEnd"),
                            (4, 0, "adBreakStart", pod(1, 0)), (5, 0, "adComplete")]))
    assert [i["code"] for i in r["ignored"]] == [
        "NO_OPEN_BREAK", "NO_OPEN_CHAPTER", "STATE_NOT_OPEN", "NO_OPEN_AD"]


def test_events_after_session_end_are_ignored() -> None:
    report = SessionReport()
    for body in timeline([(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "sessionEnd"),
                          (20, 20, "ping"), (21, 21, "sessionEnd")]):
        report.add(body)
    r = report.to_dict()
    assert r["time"]["content"] == pytest.approx(10, **NEAR)
    assert [(i["eventType"], i["code"]) for i in r["ignored"]] == [
        ("ping", "AFTER_CLOSE"), ("sessionEnd", "AFTER_CLOSE")]
    assert r["events"]["processed"] == 5 and report.closed


def test_close_by_timeout_ends_open_items_and_is_idempotent() -> None:
    report = SessionReport()
    for body in timeline([(0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)),
                          (0, 0, "adStart", ad(5, 1)), (2, 0, "ping")]):
        report.add(body)
    report.close("idle_timeout")
    report.close("sessionEnd")
    r = report.to_dict()
    assert r["closed"]["reason"] == "idle_timeout"
    assert r["ads"]["unfinished"] == 1 and r["ad_breaks"]["unfinished"] == 1


def test_player_states_durations_and_the_limit_of_ten() -> None:
    def state(name: str) -> dict[str, Any]:
        return {"params": {"media.state.name": name}}

    rows: list[tuple[Any, ...]] = [(0, 0, "sessionStart"),
                                   (1, 0, "stateStart", state("fullScreen")),
                                   (3, 0, "stateEnd", state("fullscreen")),
                                   (4, 0, "stateStart", state("fullscreen")),
                                   (5, 0, "stateStart", state("mute"))]
    rows += [(6, 0, "stateStart", state(f"custom{i}")) for i in range(MAX_STATES - 2)]
    rows += [(7, 0, "stateStart", state("one-too-many")), (9, 0, "stateEnd", state("mute"))]
    r = report_of(timeline(rows))
    assert r["states"]["fullscreen"]["count"] == 2  # I11: one state; restarted counts once
    assert r["states"]["fullscreen"]["seconds"] == pytest.approx(2 + 5, **NEAR)
    assert r["states"]["mute"] == {"count": 1, "seconds": pytest.approx(4, **NEAR),
                                   "open": False}
    assert len(r["states"]) == MAX_STATES and "one-too-many" not in r["states"]
    assert [i["code"] for i in r["ignored"]] == ["TOO_MANY_STATES"]


def test_average_bitrate_is_weighted_by_playing_time() -> None:
    r = report_of(timeline([
        (0, 0, "sessionStart"), (0, 0, "play", {"qoeData": {"media.qoe.bitrate": 1000}}),
        (30, 30, "bitrateChange", {"qoeData": {"media.qoe.bitrate": 5000}}),
        (40, 40, "pauseStart"), (100, 40, "sessionEnd")]))
    assert r["qoe"]["average_bitrate"] == 2000  # (1000*30 + 5000*10) / 40; pause excluded
    assert r["qoe"]["bitrate_changes"] == 1 and r["qoe"]["bitrate"] == 5000


def test_qoe_in_params_counts_too_and_time_to_start_keeps_the_first() -> None:  # I7
    r = report_of(timeline([
        (0, 0, "sessionStart"),
        (1, 0, "play", {"params": {"media.qoe.timeToStart": 900,
                                   "media.qoe.droppedFrames": 3}}),
        (2, 1, "ping", {"qoeData": {"media.qoe.timeToStart": 5, "media.qoe.droppedFrames": 7}})]))
    assert r["qoe"]["timeToStart"] == 900 and r["qoe"]["droppedFrames"] == 7


def test_pause_then_buffer_counts_each_once() -> None:
    r = report_of(timeline([(0, 0, "sessionStart"), (0, 0, "play"), (5, 5, "pauseStart"),
                            (6, 5, "pauseStart"), (8, 5, "bufferStart"), (9, 5, "play"),
                            (10, 6, "sessionEnd")]))
    assert r["pauses"] == {"count": 1, "seconds": pytest.approx(3, **NEAR)}
    assert r["buffers"] == {"count": 1, "seconds": pytest.approx(1, **NEAR)}
    assert r["time"]["content"] == pytest.approx(6, **NEAR)


def test_bodies_without_player_time_are_ignored_not_fatal() -> None:
    report = SessionReport()
    report.add({"eventType": "play"})
    report.add({"eventType": "ping", "playerTime": {"ts": "x", "playhead": 0}})
    assert [i["code"] for i in report.to_dict()["ignored"]] == ["NO_PLAYER_TIME"] * 2


_events = st.lists(st.tuples(st.sampled_from(EVENT_NAMES), st.integers(0, 5000),
                             st.floats(0, 1e5, allow_nan=False)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(_events)
def test_any_sequence_gives_a_json_report_whose_times_add_up(rows) -> None:
    report, ts = SessionReport(), T0_MS
    for name, gap, playhead in rows:
        ts += gap
        report.add(sample_body(name, ts=ts, playhead=playhead))
    r = json.loads(json.dumps(report.to_dict()))
    parts = ("content", "ad", "ad_break_between_ads", "paused", "buffering", "idle")
    assert sum(r["time"][k] for k in parts) == pytest.approx(r["time"]["span"], abs=1e-6)
    assert r["time"]["content_from_ignored_ads"] <= r["time"]["content"] + 1e-9
    assert r["events"]["processed"] == len(rows)


def test_trailing_pings_after_session_complete_add_no_time_played() -> None:
    # 20 s of play, sessionComplete, then a minute of pings: Adobe counts 20 s (spec §10).
    rows = [(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "ping"), (20, 20, "ping"),
            (20, 20, "sessionComplete"), *((20 + 10 * k, 20, "ping") for k in range(1, 7)),
            (81, 20, "sessionEnd")]
    r = report_of(timeline(rows))
    assert r["time"]["content"] == pytest.approx(20, **NEAR)
    assert r["completed"] is True
    assert r["time"]["idle"] == pytest.approx(61, **NEAR)


def test_snapshots_and_quiet_notes_read_every_counter() -> None:
    # _snapshot reads the counters with Counter.get (no __missing__ call): after each event
    # of a timeline that moves every counter it must equal the plain Counter[...] reading.
    from inspector.protocol.bodies import sample_body
    from inspector.report import SessionReport

    def plain(r: SessionReport) -> dict[str, object]:
        t, ms = r._tally, r._ms
        return {"ads_started": t["ads.started"], "ads_completed": t["ads.completed"],
                "ads_skipped": t["ads.skipped"], "chapters_started": t["chapters.started"],
                "chapters_completed": t["chapters.completed"],
                "chapters_skipped": t["chapters.skipped"], "pauses": t["pauses"],
                "buffers": t["buffers"], "errors": t["errors"],
                "bitrate_changes": t["bitrate_changes"], "content_ms": ms["content"],
                "ad_ms": ms["ad"]}

    kinds = ["sessionStart", "play", "ping", "chapterStart", "adBreakStart", "adStart", "ping",
             "adComplete", "adStart", "adSkip", "adBreakComplete", "play", "pauseStart", "play",
             "bufferStart", "play", "bitrateChange", "error", "chapterComplete",
             "chapterStart", "chapterSkip", "ping", "sessionComplete"]
    report, seen, quiet = SessionReport(), set(), 0
    for n, kind in enumerate(kinds):
        report.add(sample_body(kind, 1767225600000 + n * 1000, float(n)))
        snapshot = report._snapshot()
        assert {k: snapshot[k] for k in plain(report)} == plain(report), kind
        seen |= {k for k, v in snapshot.items() if v}
        note = report._notes[-1]
        if isinstance(note, tuple):  # a quiet event's figures: time so far
            quiet += 1
            assert note[3:5] == (report._ms["content"], report._ms["ad"]), kind
    assert seen >= set(plain(report)), set(plain(report)) - seen  # every counter moved
    assert quiet >= 3
