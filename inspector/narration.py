"""One plain sentence per event on what Adobe sees (spec §3.1, §10), for people in the room.

:class:`inspector.report.SessionReport` takes a small snapshot of its counters before and
after each event and asks :func:`narrate` what changed. ``counts`` is True when the event
changed one of Adobe's metrics or was ignored by Adobe (the lines a report should list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["Note", "narrate"]

Snapshot = Mapping[str, Any]


@dataclass(frozen=True)
class Note:
    """What one accepted event did to Adobe's figures, in a sentence."""

    index: int
    event_type: str
    ts: int | None
    playhead: float | None
    text: str
    counts: bool


def _grew(before: Snapshot, after: Snapshot, key: str) -> bool:
    return bool(after[key] > before[key])


def _length_of(params: Mapping[str, Any]) -> str:
    length = params.get("media.ad.length")
    return f"its {length:g} s" if isinstance(length, (int, float)) and not isinstance(
        length, bool) else "its time"


def _ignored(event_type: str, code: str, reason: str, params: Mapping[str, Any]) -> str:
    if code == "AD_OUTSIDE_BREAK" and event_type == "adStart":
        return (f"Adobe ignores this ad: no ad start, and {_length_of(params)} count as main "
                "content (it was sent outside an ad break, §3.1 rule 2).")
    if code == "AD_OUTSIDE_BREAK":
        return f"Adobe ignores this {event_type}: its ad was outside a break, so no ad complete."
    if code == "AFTER_CLOSE" and event_type == "sessionEnd":
        return "A second sessionEnd: Adobe calls this safe; nothing changes (§10)."
    if code == "AFTER_CLOSE":
        return f"Adobe discards this {event_type}: the session is already closed."
    return f"Adobe ignores this {event_type}: {reason}."


def _seconds(ms: float) -> str:
    return f"{round(ms / 1000):d} s"


def _totals(after: Snapshot) -> str:
    return (f"content {_seconds(after['content_ms'])}, ads {_seconds(after['ad_ms'])} "
            "so far")


_COUNTERS = (  # (snapshot key, sentence): first match wins
    ("media", "Media start: Adobe counts one now (the only metric it reports at once)."),
    ("content", "Content start: main content is playing, so Adobe will count a content "
                "start (reported at the close call)."),
    ("completed", "Content complete: Adobe counts a completion; later pings add no time."),
    ("ads_started", "Ad start: Adobe counts ad {ads_started} of this session."),
    ("ads_completed", "Ad complete: this ad counts as watched to the end."),
    ("ads_skipped", "Ad skipped: counted as started, not completed."),
    ("chapters_started", "Chapter start: Adobe counts chapter {chapters_started}."),
    ("chapters_completed", "Chapter complete: this chapter counts as finished."),
    ("chapters_skipped", "Chapter skipped: counted as started, not completed."),
    ("pauses", "Paused: Adobe stops counting time played (pause event {pauses})."),
    ("buffers", "Buffering: Adobe stops counting time played (buffer event {buffers})."),
    ("errors", "Error event {errors}: Adobe counts it; the session stays open."),
    ("bitrate_changes", "Bitrate change {bitrate_changes}: counted in quality reports."),
)


def _quiet(event_type: str, before: Snapshot, after: Snapshot) -> str:
    """Sentences for events that move no counter."""
    if after["closed"] and not before["closed"]:
        return (f"Session closed: Adobe now reports everything it counted: "
                f"content {_seconds(after['content_ms'])}, ads {_seconds(after['ad_ms'])}.")
    if event_type == "adBreakStart":
        return "Ad break opens: ads inside it count as ads; the player counts as playing."
    if event_type == "adBreakComplete":
        return "Ad break ends: main content time counts again."
    if event_type == "play":
        return "Playing: content time counts again."
    if event_type in ("stateStart", "stateEnd"):
        return "Player state change: Adobe tracks it beside the metrics."
    return f"Heartbeat: nothing new is counted; {_totals(after)}."


def narrate(index: int, body: Mapping[str, Any], before: Snapshot, after: Snapshot,
            ignored: tuple[str, str] | None, when: tuple[int, float] | None) -> Note:
    """The note for ``body`` given the report's snapshots around it and why it was ignored."""
    event_type = str(body.get("eventType"))
    params = body.get("params") if isinstance(body.get("params"), dict) else {}
    ts, playhead = when if when else (None, None)
    if ignored is not None:
        text = _ignored(event_type, ignored[0], ignored[1], params or {})
        return Note(index, event_type, ts, playhead, text, True)
    for key, sentence in _COUNTERS:
        if _grew(before, after, key):
            text = sentence.format(**after)
            break
    else:
        text = _quiet(event_type, before, after)
    counted = any(_grew(before, after, k) for k, _ in _COUNTERS)
    if _grew(before, after, "progress"):
        marker = (f"The playhead passed {after['last_marker']}% of the content: Adobe sets its "
                  f"{after['last_marker']}% progress marker.")
        text = marker if not counted and event_type == "ping" else f"{text} {marker}"
        counted = True
    return Note(index, event_type, ts, playhead, text, counted)
