"""Timeline spans derived from a session's exchanges (pure, Qt-free).

The timeline's axis is the main-content playhead. Played ranges, pauses, buffers and
chapters cover playhead intervals; ad breaks and ads happen at one playhead position (it
holds still in a break, spec §6.4) and keep their wall-clock duration so a view can give
them a width. An ad sent outside a break is ignored by Adobe and its time counts as main
content (§3.1 rule 2): it becomes an ``AD_AS_CONTENT`` span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable

from .exchange import Exchange
from .findings import Severity

__all__ = ["SpanKind", "Span", "Marker", "Timeline", "TimelineBuilder", "build_timeline"]


class SpanKind(str, Enum):
    """What a span of the timeline shows."""

    PLAYED = "played"
    PAUSE = "pause"
    BUFFER = "buffer"
    AD_BREAK = "ad break"
    AD = "ad"
    AD_AS_CONTENT = "ad counted as content"
    CHAPTER = "chapter"


@dataclass
class Span:
    """A playhead interval [start, end]; ``wall`` is its wall-clock length in seconds."""

    kind: SpanKind
    start: float
    end: float
    label: str = ""
    t0: int | None = None  # ts (ms) where it opened
    t1: int | None = None  # ts (ms) where it closed; None while open

    @property
    def open(self) -> bool:
        return self.t1 is None

    @property
    def wall(self) -> float:
        return 0.0 if self.t0 is None or self.t1 is None else (self.t1 - self.t0) / 1000


@dataclass(frozen=True)
class Marker:
    """A point on the timeline: a ping tick or a warning."""

    playhead: float
    ts: int | None
    label: str
    severity: Severity | None = None


@dataclass
class Timeline:
    """Everything a timeline view draws for one session."""

    length: float | None = None
    spans: list[Span] = field(default_factory=list)
    pings: list[Marker] = field(default_factory=list)
    warnings: list[Marker] = field(default_factory=list)

    def of(self, kind: SpanKind) -> list[Span]:
        return [s for s in self.spans if s.kind is kind]


_STOPS_PLAY = {"pauseStart", "bufferStart", "adBreakStart", "sessionComplete", "sessionEnd"}
_HOLDS = {"pauseStart": SpanKind.PAUSE, "bufferStart": SpanKind.BUFFER}


class TimelineBuilder:
    """Feeds exchanges one at a time (cheap for a growing log); ``timeline`` is the result.

    Only the latest session is kept: a ``sessionStart`` starts a fresh timeline. Retries
    (attempt > 1) repeat an earlier body and are skipped.
    """

    def __init__(self) -> None:
        self.timeline = Timeline()
        self._open: dict[SpanKind, Span] = {}
        self._in_break = False
        self._resume_after_break = False

    def reset(self, length: float | None = None) -> None:
        """Forget everything: a new session starts."""
        self.__init__()  # type: ignore[misc]
        self.timeline.length = length

    def feed(self, exchange: Exchange) -> None:
        """Account for one exchange (call once per exchange, in log order)."""
        if exchange.attempt > 1 or exchange.playhead is None:
            return
        body = exchange.body_json()
        params = body.get("params") if isinstance(body, dict) else None
        self._apply(exchange.event_type, exchange.playhead, exchange.ts,
                    params if isinstance(params, dict) else {})
        self._mark(exchange)

    def _apply(self, event: str, ph: float, ts: int | None, params: dict[str, Any]) -> None:
        if event == "sessionStart":
            length = params.get("media.length")
            ok = isinstance(length, (int, float)) and not isinstance(length, bool)
            self.reset(float(length) if ok and length is not None else None)
            return
        if event == "ping":
            self.timeline.pings.append(Marker(ph, ts, "ping"))
        self._move_open(ph)
        handler = getattr(self, f"_on_{event}", None)
        if handler is not None:
            handler(ph, ts, params)

    def _move_open(self, ph: float) -> None:
        """Open playhead spans (played, chapter) extend to the latest known position."""
        for kind in (SpanKind.PLAYED, SpanKind.CHAPTER):
            span = self._open.get(kind)
            if span is not None and ph >= span.start:
                span.end = max(span.end, ph)

    def _begin(self, kind: SpanKind, ph: float, ts: int | None, label: str = "") -> Span:
        self._end(kind, ph, ts)
        span = Span(kind, ph, ph, label, ts)
        self.timeline.spans.append(span)
        self._open[kind] = span
        return span

    def _end(self, kind: SpanKind, ph: float, ts: int | None) -> None:
        span = self._open.pop(kind, None)
        if span is not None:
            span.end, span.t1 = max(span.end, ph), ts if ts is not None else span.t0

    def _on_play(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        for kind in _HOLDS.values():
            self._end(kind, ph, ts)
        if not self._in_break and SpanKind.PLAYED not in self._open:
            self._begin(SpanKind.PLAYED, ph, ts)

    def _stop_play(self, ph: float, ts: int | None) -> None:
        self._end(SpanKind.PLAYED, ph, ts)

    def _on_pauseStart(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        self._stop_play(ph, ts)
        self._end(SpanKind.BUFFER, ph, ts)
        self._begin(SpanKind.PAUSE, ph, ts, "paused")

    def _on_bufferStart(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        self._stop_play(ph, ts)
        self._end(SpanKind.PAUSE, ph, ts)
        self._begin(SpanKind.BUFFER, ph, ts, "buffering")

    def _on_adBreakStart(self, ph: float, ts: int | None, p: dict[str, Any]) -> None:
        was_playing = SpanKind.PLAYED in self._open
        self._stop_play(ph, ts)
        self._in_break = True
        label = str(p.get("media.ad.podFriendlyName") or f"pod {p.get('media.ad.podIndex', '?')}")
        self._begin(SpanKind.AD_BREAK, ph, ts, label)
        self._resume_after_break = was_playing

    def _on_adBreakComplete(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        self._end(SpanKind.AD, ph, ts)
        self._end(SpanKind.AD_BREAK, ph, ts)
        self._in_break = False
        if self._resume_after_break:  # the player counts as playing through a break
            self._begin(SpanKind.PLAYED, ph, ts)

    def _on_adStart(self, ph: float, ts: int | None, p: dict[str, Any]) -> None:
        kind = SpanKind.AD if self._in_break else SpanKind.AD_AS_CONTENT
        self._end(SpanKind.AD, ph, ts)
        self._end(SpanKind.AD_AS_CONTENT, ph, ts)
        self._begin(kind, ph, ts, str(p.get("media.ad.name") or p.get("media.ad.id") or "ad"))

    def _on_adComplete(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        self._end(SpanKind.AD, ph, ts)
        self._end(SpanKind.AD_AS_CONTENT, ph, ts)

    _on_adSkip = _on_adComplete

    def _on_chapterStart(self, ph: float, ts: int | None, p: dict[str, Any]) -> None:
        offset = p.get("media.chapter.offset", ph)
        start = float(offset) if isinstance(offset, (int, float)) else ph
        span = self._begin(SpanKind.CHAPTER, start, ts,
                           str(p.get("media.chapter.friendlyName") or "chapter"))
        span.end = max(start, ph)

    def _on_chapterComplete(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        self._end(SpanKind.CHAPTER, ph, ts)

    _on_chapterSkip = _on_chapterComplete

    def _on_sessionComplete(self, ph: float, ts: int | None, _: dict[str, Any]) -> None:
        self._close_all(ph, ts)

    _on_sessionEnd = _on_sessionComplete

    def _close_all(self, ph: float, ts: int | None) -> None:
        for kind in list(self._open):
            self._end(kind, ph, ts)
        self._in_break = False

    def _mark(self, exchange: Exchange) -> None:
        worst = exchange.worst_severity
        if worst is None or worst is Severity.INFO or exchange.playhead is None:
            return
        codes = ", ".join(f.code for f in exchange.findings)
        self.timeline.warnings.append(Marker(exchange.playhead, exchange.ts,
                                             f"{exchange.event_type}: {codes}", worst))


def build_timeline(exchanges: Iterable[Exchange]) -> Timeline:
    """The timeline of the latest session in ``exchanges`` (in log order)."""
    builder = TimelineBuilder()
    for exchange in exchanges:
        builder.feed(exchange)
    return builder.timeline
