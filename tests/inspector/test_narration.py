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


class _EverySnapshotted(SessionReport):
    """The report as it was: two snapshots and a narration around every event."""

    def add(self, body: dict[str, object]) -> None:
        from inspector.narration import narrate
        from inspector.report import _player_time
        before, index = self._snapshot(), self._count
        self._last_ignored = None
        self._process(body)  # type: ignore[arg-type]
        self._notes.append(narrate(index, body, before, self._snapshot(), self._last_ignored,
                                   _player_time(body)))  # type: ignore[arg-type]


def test_quiet_events_note_what_two_snapshots_would_say() -> None:
    """Pings keep a few figures, not two snapshots: the notes and report stay the same."""
    from tests.inspector.server.adobe_timelines import TIMELINE_2, TIMELINE_3
    jump = [(0, 0, "sessionStart"), (0, 0, "play"), (10, 10, "ping"), (20, 1700, "ping"),
            (30, 1790, "ping"), (40, 1790, "ping"), (50, 1790, "sessionEnd"),
            (60, 1790, "ping")]
    no_time = timeline([(0, 0, "sessionStart"), (0, 0, "play")])
    no_time.append({"eventType": "ping"})
    for bodies in [*(timeline(t) for t in (TIMELINE_1, TIMELINE_2, TIMELINE_3, jump)),
                   no_time]:
        fast, reference = SessionReport(), _EverySnapshotted()
        for body in bodies:
            fast.add(body)
            reference.add(body)
        assert fast.notes == reference.notes
        assert fast.to_dict() == reference.to_dict()
        assert any(n.event_type == "ping" for n in fast.notes)
