"""The report's one sentence per event on what Adobe sees (issue 13's plain-language lines)."""

from __future__ import annotations

from inspector.report import SessionReport
from tests.inspector.server.adobe_timelines import TIMELINE_1, ad, timeline


def notes_of(rows: list[tuple[object, ...]]) -> list[tuple[str, str, bool]]:
    report = SessionReport()
    for body in timeline(rows):
        report.add(body)
    return [(n.event_type, n.text, n.counts) for n in report.notes]


def test_an_ad_outside_a_break_says_no_ad_start_and_its_seconds_go_to_content() -> None:
    notes = notes_of([(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "adStart", ad(10, 1))])
    event, text, counts = notes[-1]
    assert event == "adStart" and counts
    assert text.startswith("Adobe ignores this ad: no ad start, and its 10 s count as main")


def test_timeline_1_lines_that_change_what_adobe_counts() -> None:
    counted = [(e, t) for e, t, c in notes_of(TIMELINE_1) if c]
    kinds = [e for e, _ in counted]
    assert kinds[:3] == ["sessionStart", "adStart", "adComplete"]
    assert kinds.count("adStart") == 3 and kinds.count("adComplete") == 3
    assert ("play", "Content start: main content is playing, so Adobe will count a content "
                    "start (reported at the close call).") in counted
    assert kinds[-1] == "sessionComplete"
    assert all(e != "ping" or "progress marker" in t for e, t in counted)


def test_heartbeats_change_nothing_and_the_close_reports_totals() -> None:
    notes = notes_of([(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "ping"),
                      (20, 20, "sessionEnd"), (21, 20, "sessionEnd")])
    assert notes[2] == ("ping", "Heartbeat: nothing new is counted; content 10 s, ads 0 s so "
                                "far.", False)
    assert notes[3][1] == ("Session closed: Adobe now reports everything it counted: "
                           "content 20 s, ads 0 s.")
    assert notes[4][1].startswith("A second sessionEnd: Adobe calls this safe")


def test_notes_are_bounded() -> None:
    rows: list[tuple[object, ...]] = [(0, 0, "sessionStart"), (0, 0, "play")]
    rows += [(i, i, "ping") for i in range(1, 1200)]
    assert len(notes_of(rows)) == 500
