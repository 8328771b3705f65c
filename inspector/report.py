"""What Adobe's backend would count for one session, built event by event.

:class:`SessionReport` is fed the accepted event bodies of one session in processing order
(the server feeds it what its reorder window releases; the client feeds it the bodies that
got a 2xx). It is pure: no clock, no I/O, so both sides produce comparable reports.

Time comes from ``playerTime.ts`` differences: each interval between two events belongs
to the state the session was in after the earlier one (spec §3.1, §6.4). Choices where
Adobe's documents are silent are marked "Choice:" below.
"""

from __future__ import annotations

from collections import Counter, deque
from enum import Enum
from typing import Any, Callable

from .facts import STATE_LIMIT, canonical_state
from .metrics import PROGRESS_MARKERS, metric_values
from .narration import Note, narrate

__all__ = ["SessionReport", "IgnoreReason", "canonical_state"]

MAX_STATES = STATE_LIMIT  # spec §3.1 rule 7: extra distinct state names are dropped
_MAX_LISTED = 1000  # bound on the ignored/errors/chapters lists of one report
_MAX_NOTES = 500  # the narration keeps the latest notes only


class IgnoreReason(str, Enum):
    """Why the backend would not count an event."""

    AD_OUTSIDE_BREAK = "ad outside an ad break: ignored, its time counts as main content"
    AFTER_CLOSE = "event after close: the session already ended"
    NO_OPEN_AD = "no ad is open"
    NO_OPEN_BREAK = "no ad break is open"
    NO_OPEN_CHAPTER = "no chapter is open"
    STATE_ALREADY_OPEN = "this player state is already open"
    STATE_NOT_OPEN = "this player state was not started"
    TOO_MANY_STATES = f"more than {MAX_STATES} distinct player states: extras are dropped"
    SECOND_SESSION_START = "sessionStart already received"
    NO_PLAYER_TIME = "no valid playerTime"


class _Main(str, Enum):
    IDLE = "idle"  # before content starts
    PLAYING = "playing"
    PAUSED = "paused"
    BUFFERING = "buffering"


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)


def _player_time(body: dict[str, Any]) -> tuple[int, float] | None:
    pt = body.get("playerTime")
    if not isinstance(pt, dict):
        return None
    ts, playhead = pt.get("ts"), pt.get("playhead")
    if isinstance(ts, bool) or not isinstance(ts, int):
        return None
    if isinstance(playhead, bool) or not isinstance(playhead, (int, float)):
        return None
    return ts, float(playhead)


def _quality(body: dict[str, Any]) -> dict[str, Any]:
    """QoE keys from qoeData, and from params too (I7: the mock takes them there)."""
    found: dict[str, Any] = {}
    for where in ("params", "qoeData"):
        obj = body.get(where)
        if isinstance(obj, dict):
            found.update({k: v for k, v in obj.items() if k.startswith("media.qoe.")})
    return found


def _quiet_note(index: int, event_type: str, when: tuple[int, float] | None, content_ms: int,
                ad_ms: int, marker: int | None) -> Note:
    """The note of an event without a handler, from the figures ``add`` kept for it.

    Exactly what :func:`narrate` says given the two snapshots: no counter can move on such
    an event, only time and progress (``marker``: the highest progress marker once this
    event set one, else None).
    """
    before = {**_NO_SNAPSHOT, "content_ms": content_ms, "ad_ms": ad_ms}
    after = before if marker is None else {**before, "progress": 1, "last_marker": marker}
    return narrate(index, {"eventType": event_type}, before, after, None, when)


class SessionReport:
    """Aggregates of one session: time by kind, ads, chapters, pauses, QoE, how it closed."""

    def __init__(self) -> None:
        self._ms: Counter[str] = Counter()
        self._main = _Main.IDLE
        self._in_break = self._ad_open = self._ignored_ad_open = False
        self._chapter: dict[str, Any] | None = None
        self._first_ts: int | None = None
        self._last_ts: int | None = None
        self._playhead: dict[str, float] = {}
        self._count = self._out_of_order = 0
        self._by_type: Counter[str] = Counter()
        self._tally: Counter[str] = Counter()
        self._chapters: list[dict[str, Any]] = []
        self._errors: list[dict[str, Any]] = []
        self._ignored: list[dict[str, Any]] = []
        self._state_ms: Counter[str] = Counter()
        self._state_count: Counter[str] = Counter()
        self._open_states: set[str] = set()
        self._qoe: dict[str, Any] = {}
        self._bitrate_ms = self._bitrate_weighted = 0
        self._media: dict[str, Any] = {}
        self._completed_ts: int | None = None
        self._closed: dict[str, Any] | None = None
        self._media_started = self._content_started = False
        self._progress: dict[str, float] = {}  # marker -> seconds into the session
        # A Note, or the figures of a quiet event's note (see _quiet_note)
        self._notes: deque[Any] = deque(maxlen=_MAX_NOTES)
        self._last_ignored: tuple[str, str] | None = None

    # -- feeding -------------------------------------------------------------------------

    def add(self, body: dict[str, Any]) -> None:
        """Process one accepted event body (the next in processing order)."""
        index, event_type = self._count, str(body.get("eventType"))
        self._last_ignored = None
        if event_type in self._HANDLERS:
            before = self._snapshot()
            self._process(body)
            self._notes.append(narrate(index, body, before, self._snapshot(),
                                       self._last_ignored, _player_time(body)))
            return
        # No handler (a ping, nearly every event): no counter of the snapshot can move, only
        # time and progress, so the note is kept as those few figures and written on demand.
        progress = len(self._progress)
        when = self._process(body)
        if self._last_ignored is not None:
            self._notes.append(narrate(index, body, _NO_SNAPSHOT, _NO_SNAPSHOT,
                                       self._last_ignored, when))
            return
        marker = (max(int(k) for k in self._progress) if len(self._progress) > progress
                  else None)
        ms = self._ms.get  # not [...]: Counter.__missing__ is a Python call per absent key
        self._notes.append((index, event_type, when, ms("content", 0), ms("ad", 0), marker))

    @property
    def notes(self) -> list[Note]:
        """One sentence per event (the latest few hundred) on what Adobe saw."""
        return [n if isinstance(n, Note) else _quiet_note(*n) for n in self._notes]

    def _snapshot(self) -> dict[str, Any]:
        # Counter.get, not t[...]: a missing key's Counter.__missing__ is a Python call each
        t, ms = self._tally.get, self._ms.get
        return {"media": int(self._media_started), "content": int(self._content_started),
                "completed": int(self._completed_ts is not None),
                "ads_started": t("ads.started", 0), "ads_completed": t("ads.completed", 0),
                "ads_skipped": t("ads.skipped", 0),
                "chapters_started": t("chapters.started", 0),
                "chapters_completed": t("chapters.completed", 0),
                "chapters_skipped": t("chapters.skipped", 0), "pauses": t("pauses", 0),
                "buffers": t("buffers", 0), "errors": t("errors", 0),
                "bitrate_changes": t("bitrate_changes", 0), "closed": self._closed is not None,
                "content_ms": ms("content", 0), "ad_ms": ms("ad", 0),
                "progress": len(self._progress),
                "last_marker": max((int(k) for k in self._progress), default=0)}

    def _process(self, body: dict[str, Any]) -> tuple[int, float] | None:
        """Count ``body``; its (ts, playhead), or None when it had none or came after close."""
        index, event_type = self._count, str(body.get("eventType"))
        self._count += 1
        self._by_type[event_type] += 1
        if self._closed is not None:
            self._ignore(index, body, IgnoreReason.AFTER_CLOSE)
            return _player_time(body)
        when = _player_time(body)
        if when is None:
            self._ignore(index, body, IgnoreReason.NO_PLAYER_TIME)
            return None
        self._advance(when[0])
        self._note_playhead(when[1])
        if "params" in body or "qoeData" in body:  # where QoE keys can be
            self._note_quality(body)
        handler = self._HANDLERS.get(event_type)
        if handler is not None:
            handler(self, index, body)
        self._note_progress(when[1])
        return when

    def close(self, reason: str) -> None:
        """End the session (sessionEnd or a timeout); later events are ignored."""
        if self._closed is not None:
            return
        self._tally["ads.unfinished"] += self._ad_open
        self._tally["ad_breaks.unfinished"] += self._in_break
        self._end_chapter("unfinished")
        self._in_break = self._ad_open = self._ignored_ad_open = False
        self._closed = {"reason": reason, "ts": self._last_ts}

    @property
    def closed(self) -> bool:
        return self._closed is not None

    # -- time ----------------------------------------------------------------------------

    def _bucket(self) -> str:
        if self._completed_ts is not None:
            # §10: the viewer reached the end of the main content; trailing pings keep the
            # session alive but add no time played (content, ads, chapters, states).
            return "idle"
        if self._main is _Main.PAUSED:
            return "paused"
        if self._main is _Main.BUFFERING:
            return "buffering"
        if self._in_break:
            return "ad" if self._ad_open else "ad_break_between_ads"
        if self._main is _Main.PLAYING or self._ignored_ad_open:
            return "content"
        return "idle"

    def _advance(self, ts: int) -> None:
        if self._last_ts is None:
            self._first_ts = self._last_ts = ts
            return
        dt = ts - self._last_ts
        if dt < 0:  # processed late (outside the reorder window): no negative time
            self._out_of_order += 1
            return
        bucket = self._bucket()
        self._ms[bucket] += dt
        if bucket == "content":
            if self._ignored_ad_open:
                self._ms["content_from_ignored_ads"] += dt
            if self._chapter is not None:
                self._chapter["ms"] += dt
        for name in self._open_states:
            self._state_ms[name] += dt
        bitrate = self._qoe.get("media.qoe.bitrate")
        if bucket in ("content", "ad") and isinstance(bitrate, int):
            self._bitrate_ms += dt
            self._bitrate_weighted += dt * bitrate
        self._last_ts = ts

    def _note_playhead(self, playhead: float) -> None:
        seen = self._playhead
        if not seen:  # keys in this order: first, last, max
            seen["first"] = seen["last"] = seen["max"] = playhead
            return
        seen["last"] = playhead
        if not seen["max"] > playhead:  # max(playhead, seen["max"]), as a call would pick
            seen["max"] = playhead

    def _note_progress(self, playhead: float) -> None:
        # Adobe's progress markers: set the first time the playhead reaches p% of the length,
        # once main content has played (a session that never plays sets none).
        length = self._media.get("length")
        if not self._content_started or isinstance(length, bool) \
                or not isinstance(length, (int, float)) or length <= 0:
            return
        if len(self._progress) == len(PROGRESS_MARKERS):
            return  # every marker is set
        for p in PROGRESS_MARKERS:
            if playhead >= length * p / 100 and str(p) not in self._progress:
                self._progress[str(p)] = _seconds((self._last_ts or 0) - (self._first_ts or 0))

    def _note_quality(self, body: dict[str, Any]) -> None:
        quality = _quality(body)
        if "media.qoe.timeToStart" in quality:
            self._qoe.setdefault("media.qoe.timeToStart", quality.pop("media.qoe.timeToStart"))
        self._qoe.update(quality)

    # -- bookkeeping ---------------------------------------------------------------------

    def _ignore(self, index: int, body: dict[str, Any], reason: IgnoreReason) -> None:
        self._last_ignored = (reason.name, reason.value)
        self._tally["ignored"] += 1
        if len(self._ignored) < _MAX_LISTED:
            when = _player_time(body)
            self._ignored.append({"index": index, "eventType": body.get("eventType"),
                                  "ts": when[0] if when else None, "reason": reason.value,
                                  "code": reason.name})

    def _end_chapter(self, how: str) -> None:
        if self._chapter is not None:
            self._tally[f"chapters.{how}"] += 1
            self._chapter["end"] = how
            self._chapter = None

    # -- event handlers ------------------------------------------------------------------

    def _on_session_start(self, index: int, body: dict[str, Any]) -> None:
        if self._by_type["sessionStart"] > 1:
            self._ignore(index, body, IgnoreReason.SECOND_SESSION_START)
            return
        self._media_started = True  # §10: media starts, even if the viewer leaves in a pre-roll
        params = body.get("params") or {}
        self._media = {k.removeprefix("media."): params[k] for k in
                       ("media.id", "media.name", "media.length", "media.contentType",
                        "media.resume") if k in params}

    def _on_play(self, index: int, body: dict[str, Any]) -> None:
        if not self._in_break:  # §10: content starts is the first main-content play
            self._content_started = True
        self._main = _Main.PLAYING

    def _on_pause(self, index: int, body: dict[str, Any]) -> None:
        if self._main is not _Main.PAUSED:
            self._tally["pauses"] += 1
        self._main = _Main.PAUSED

    def _on_buffer(self, index: int, body: dict[str, Any]) -> None:
        if self._main is not _Main.BUFFERING:
            self._tally["buffers"] += 1
        self._main = _Main.BUFFERING

    def _on_bitrate(self, index: int, body: dict[str, Any]) -> None:
        self._tally["bitrate_changes"] += 1

    def _on_error(self, index: int, body: dict[str, Any]) -> None:
        # I9: error data may come in params (error page) or qoeData (Swagger); keep both.
        params, qoe = body.get("params") or {}, body.get("qoeData") or {}
        self._tally["errors"] += 1
        if len(self._errors) < _MAX_LISTED:
            self._errors.append({
                "ts": self._last_ts,
                "id": params.get("media.errorId", qoe.get("media.qoe.errorID")),
                "source": params.get("media.errorSource", qoe.get("media.qoe.errorSource")),
            })

    def _on_ad_break_start(self, index: int, body: dict[str, Any]) -> None:
        if self._in_break:  # Choice: a new pod ends the open one, which stays unfinished
            self._tally["ads.unfinished"] += self._ad_open
            self._tally["ad_breaks.unfinished"] += 1
        self._tally["ad_breaks.started"] += 1
        self._in_break, self._ad_open, self._ignored_ad_open = True, False, False
        self._main = _Main.PLAYING  # §3.1 rule 3: the player counts as playing through a pod

    def _on_ad_start(self, index: int, body: dict[str, Any]) -> None:
        if not self._in_break:  # §3.1 rule 2
            self._ignored_ad_open = True
            self._ignore(index, body, IgnoreReason.AD_OUTSIDE_BREAK)
            return
        self._tally["ads.unfinished"] += self._ad_open
        self._tally["ads.started"] += 1
        self._ad_open = True

    def _on_ad_end(self, index: int, body: dict[str, Any]) -> None:
        how = "completed" if body.get("eventType") == "adComplete" else "skipped"
        if self._ad_open:
            self._tally[f"ads.{how}"] += 1
            self._ad_open = False
        elif self._ignored_ad_open or not self._in_break:
            self._ignored_ad_open = False
            self._ignore(index, body, IgnoreReason.AD_OUTSIDE_BREAK)
        else:
            self._ignore(index, body, IgnoreReason.NO_OPEN_AD)

    def _on_ad_break_complete(self, index: int, body: dict[str, Any]) -> None:
        if not self._in_break:
            self._ignore(index, body, IgnoreReason.NO_OPEN_BREAK)
            return
        self._tally["ads.unfinished"] += self._ad_open
        self._tally["ad_breaks.completed"] += 1
        self._in_break = self._ad_open = False

    def _on_chapter_start(self, index: int, body: dict[str, Any]) -> None:
        self._end_chapter("unfinished")  # Choice: a chapter left open ends at the next one
        params = body.get("params") or {}
        self._tally["chapters.started"] += 1
        self._chapter = {"index": params.get("media.chapter.index"),
                         "offset": params.get("media.chapter.offset"),
                         "length": params.get("media.chapter.length"), "ms": 0, "end": None}
        if len(self._chapters) < _MAX_LISTED:
            self._chapters.append(self._chapter)

    def _on_chapter_end(self, index: int, body: dict[str, Any]) -> None:
        if self._chapter is None:
            self._ignore(index, body, IgnoreReason.NO_OPEN_CHAPTER)
            return
        self._end_chapter("completed" if body.get("eventType") == "chapterComplete"
                          else "skipped")

    def _on_state_start(self, index: int, body: dict[str, Any]) -> None:
        name = canonical_state(str((body.get("params") or {}).get("media.state.name")))
        if name in self._open_states:
            self._ignore(index, body, IgnoreReason.STATE_ALREADY_OPEN)
        elif name not in self._state_count and len(self._state_count) >= MAX_STATES:
            self._ignore(index, body, IgnoreReason.TOO_MANY_STATES)
        else:
            self._open_states.add(name)
            self._state_count[name] += 1

    def _on_state_end(self, index: int, body: dict[str, Any]) -> None:
        name = canonical_state(str((body.get("params") or {}).get("media.state.name")))
        if name not in self._open_states:
            self._ignore(index, body, IgnoreReason.STATE_NOT_OPEN)
            return
        self._open_states.discard(name)

    def _on_states_update(self, index: int, body: dict[str, Any]) -> None:
        # I10: only reaches the report when the mock is told to accept statesUpdate;
        # it ends the listed states, then starts the new ones (player-state page).
        params = body.get("params") or {}
        for key, handler in (("statesEnd", SessionReport._on_state_end),
                             ("statesStart", SessionReport._on_state_start)):
            for entry in params.get(key) or []:
                handler(self, index, {**body, "eventType": key, "params": entry})

    def _on_session_complete(self, index: int, body: dict[str, Any]) -> None:
        if self._completed_ts is None:  # §3.1 rule 9: marks completion, does not close
            self._completed_ts = self._last_ts

    def _on_session_end(self, index: int, body: dict[str, Any]) -> None:
        self.close("sessionEnd")

    _HANDLERS: dict[str, Callable[[SessionReport, int, dict[str, Any]], None]] = {
        "sessionStart": _on_session_start, "play": _on_play, "pauseStart": _on_pause,
        "bufferStart": _on_buffer, "bitrateChange": _on_bitrate, "error": _on_error,
        "adBreakStart": _on_ad_break_start, "adStart": _on_ad_start,
        "adComplete": _on_ad_end, "adSkip": _on_ad_end,
        "adBreakComplete": _on_ad_break_complete, "chapterStart": _on_chapter_start,
        "chapterComplete": _on_chapter_end, "chapterSkip": _on_chapter_end,
        "stateStart": _on_state_start, "stateEnd": _on_state_end,
        "statesUpdate": _on_states_update,
        "sessionComplete": _on_session_complete, "sessionEnd": _on_session_end,
    }  # ping changes nothing but time

    # -- output --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-able data; seconds are rounded to the millisecond.

        ``metrics`` holds Adobe's metrics (spec §10) with the keys of ``inspector.metrics``.
        """
        data = self._base_dict()
        data["metrics"] = metric_values(data)
        return data

    def _base_dict(self) -> dict[str, Any]:
        t = self._tally
        span = 0 if self._first_ts is None else (self._last_ts or 0) - self._first_ts
        return {
            "media": dict(self._media),
            "events": {"processed": self._count, "by_type": dict(self._by_type),
                       "ignored": t["ignored"], "out_of_order": self._out_of_order},
            "time": {"span": _seconds(span), **{k: _seconds(self._ms[k]) for k in (
                "content", "ad", "ad_break_between_ads", "paused", "buffering", "idle",
                "content_from_ignored_ads")}},
            "playhead": dict(self._playhead),
            "ad_breaks": {k: t[f"ad_breaks.{k}"] for k in ("started", "completed",
                                                           "unfinished")},
            "ads": {k: t[f"ads.{k}"] for k in ("started", "completed", "skipped",
                                               "unfinished")},
            "chapters": {**{k: t[f"chapters.{k}"] for k in ("started", "completed", "skipped",
                                                            "unfinished")},
                         "items": [self._chapter_dict(c) for c in self._chapters]},
            "pauses": {"count": t["pauses"], "seconds": _seconds(self._ms["paused"])},
            "buffers": {"count": t["buffers"], "seconds": _seconds(self._ms["buffering"])},
            "errors": {"count": t["errors"], "items": [dict(e) for e in self._errors]},
            "states": {name: {"count": n, "seconds": _seconds(self._state_ms[name]),
                              "open": name in self._open_states}
                       for name, n in self._state_count.items()},
            "qoe": self._qoe_dict(),
            "now": {"playback": self._main.value, "in_ad_break": self._in_break,
                    "in_ad": self._ad_open, "in_chapter": self._chapter is not None},
            "completed": self._completed_ts is not None,
            "starts": {"media": int(self._media_started),
                       "content": int(self._content_started)},
            "progress": dict(self._progress),
            "closed": dict(self._closed) if self._closed else None,
            "ignored": [dict(i) for i in self._ignored],
        }

    @staticmethod
    def _chapter_dict(chapter: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in chapter.items() if k != "ms"}
        out["seconds"] = _seconds(chapter["ms"])
        return out

    def _qoe_dict(self) -> dict[str, Any]:
        average = (round(self._bitrate_weighted / self._bitrate_ms)
                   if self._bitrate_ms else self._qoe.get("media.qoe.bitrate"))
        return {"average_bitrate": average,
                "bitrate_changes": self._tally["bitrate_changes"],
                **{k.removeprefix("media.qoe."): v for k, v in sorted(self._qoe.items())}}


# A snapshot whose every counter is zero: the parts of two snapshots a quiet event leaves equal.
_NO_SNAPSHOT: dict[str, Any] = dict.fromkeys(SessionReport()._snapshot(), 0)
