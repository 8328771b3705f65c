"""The sequence state the advisor derives from event bodies, and how one event changes it.

The state is rebuilt from what was sent, never read from the player, so raw bodies typed by
a user are judged the same way as the simulator's. Only events the backend would accept
(schema-valid, inside an open session) change it: Adobe never processes a 400 or a 410.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Callable

from ..facts import LIVE_LENGTH, LIVE_TYPES, STATE_ALIASES, STATE_LIMIT, canonical_state
from ..facts import CONTENT_PING_S, is_live, live_playhead_off
from ..protocol.catalogue import event

if TYPE_CHECKING:
    from .base import EventView

__all__ = ["Limits", "SequenceState", "STATE_LIMIT", "LIVE_TYPES", "LIVE_LENGTH",
           "STATE_ALIASES", "MIN_MS", "MAX_MS", "canonical_state", "plausible_ms", "closure",
           "record", "opened", "gone", "pings_too_often", "FREQUENT_PING_SHARE"]

FREQUENT_PING_SHARE = 0.5  # content pings under half of Adobe's 10 s are "far more often"

MIN_MS = 10**11  # 1973-03-03 in ms; smaller values are seconds (or nonsense)
MAX_MS = 10**14  # year 5138 in ms; larger values are micro- or nanoseconds
SESSION_START = event("sessionStart").name


def plausible_ms(ts: int | None) -> bool:
    """True when ``ts`` can be milliseconds since the epoch."""
    return ts is not None and MIN_MS <= ts <= MAX_MS


@dataclass(frozen=True)
class Limits:
    """The advisor's timing settings, in seconds (spec §6)."""

    ping_interval: float = 10.0
    ad_ping_interval: float = 1.0
    idle_timeout: float = 600.0
    stall_timeout: float = 1800.0
    warn_margin: float = 60.0
    ping_tolerance: float = 0.5  # a ping is late past interval * (1 + tolerance)


@dataclass(frozen=True)
class SequenceState:
    """What the backend knows about the session after the events so far (read-only)."""

    started: bool = False  # an accepted sessionStart opened it
    closed: str | None = None  # why it is closed (sessionEnd, 410, timeout); None while open
    start_ts: int | None = None
    last_ts: int | None = None  # highest ts accepted so far
    events: int = 0
    media_length: float | None = None
    live: bool = False
    in_break: bool = False
    ads_in_break: int = 0
    pod_positions: frozenset[int] = frozenset()
    ad_open: bool = False
    breaks: int = 0
    played: bool = False  # a play outside any ad break was accepted
    chapter_open: bool = False
    open_states: frozenset[str] = frozenset()
    state_names: frozenset[str] = frozenset()  # distinct names counted towards the limit
    last_ping_ts: int | None = None
    cadence_ts: int | None = None  # when the ping cadence last changed (start, ad open/close)
    playhead: float | None = None
    playhead_since_ts: int | None = None  # when the playhead last moved
    live_playhead_noted: bool = False  # LIVE_PLAYHEAD_NOT_TIME_OF_DAY said once per session
    frequent_pings_noted: bool = False  # PING_TOO_OFTEN said once per session
    # An ad outside a break: Adobe ignores it, but the player still pings at the ad cadence.
    stray_ad_open: bool = False

    @property
    def open(self) -> bool:
        """True while events can still reach the session."""
        return self.started and self.closed is None


_FIELDS = frozenset(f.name for f in fields(SequenceState))


def replace(state: SequenceState, **changes: object) -> SequenceState:
    """``dataclasses.replace`` for SequenceState, a tenth of its cost (two per event).

    SequenceState has no ``__post_init__`` and no derived fields, so a copy of its fields
    with ``changes`` over them is what ``__init__`` would build.
    """
    if not _FIELDS.issuperset(changes):
        raise TypeError(f"SequenceState has no field(s) {sorted(set(changes) - _FIELDS)}")
    new = object.__new__(SequenceState)
    attrs = new.__dict__
    attrs.update(state.__dict__)
    attrs.update(changes)
    return new


def closure(state: SequenceState, ts: int, limits: Limits) -> str | None:
    """Why the backend had closed the session by ``ts`` (10-min idle, 30-min stall), or None."""
    if not state.open:
        return None
    if state.last_ts is not None and ts - state.last_ts >= limits.idle_timeout * 1000:
        return "the 10-minute idle timeout"
    if (state.playhead_since_ts is not None
            and ts - state.playhead_since_ts >= limits.stall_timeout * 1000):
        return "the 30-minute unmoved-playhead timeout"
    return None


def opened(view: EventView) -> SequenceState:
    """The state right after an accepted ``sessionStart``."""
    length = view.params.get("media.length")
    content = view.params.get("media.contentType")
    ts = view.ts if plausible_ms(view.ts) else None  # timing starts at the first sane ts
    live = is_live(content)
    return SequenceState(
        started=True, start_ts=ts, last_ts=ts, events=1,
        media_length=_length(length), live=live,
        cadence_ts=ts, playhead=view.playhead, playhead_since_ts=ts,
        live_playhead_noted=live and live_playhead_off(view.playhead, ts) is not None)


def _length(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def gone(state: SequenceState, why: str) -> SequenceState:
    """The state once the session is closed for ``why``."""
    return replace(state, closed=why, in_break=False, ad_open=False)


def record(state: SequenceState, view: EventView, limits: Limits,
           accepted: bool) -> SequenceState:
    """The state after ``view``; unchanged for events the backend would not process."""
    if accepted and view.type == SESSION_START:
        return opened(view)
    # Without a ts in milliseconds Adobe cannot place the event in this session's time.
    if not state.open or view.ts is None or not plausible_ms(view.ts):
        return state
    why = closure(state, view.ts, limits)
    if why:
        return gone(state, why)
    if not accepted:
        return state
    return _apply(_timed(state, view), view)


def _timed(state: SequenceState, view: EventView) -> SequenceState:
    ts = view.ts if view.ts is not None else 0
    moved = view.playhead is not None and view.playhead != state.playhead
    since = state.playhead_since_ts
    noted = state.live_playhead_noted or (
        state.live and live_playhead_off(view.playhead, ts) is not None)
    return replace(
        state, events=state.events + 1, last_ts=max(ts, state.last_ts or ts),
        playhead=view.playhead if moved else state.playhead,
        playhead_since_ts=ts if moved or since is None else since,
        cadence_ts=state.cadence_ts or ts, live_playhead_noted=noted)


def _apply(state: SequenceState, view: EventView) -> SequenceState:
    name = view.type or ""
    ts = view.ts
    handler = _TRANSITIONS.get(name)
    return handler(state, view, ts) if handler else state


def _break_start(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    return replace(s, in_break=True, ad_open=False, ads_in_break=0, pod_positions=frozenset(),
                   breaks=s.breaks + 1, stray_ad_open=False,
                   cadence_ts=ts if s.ad_open or s.stray_ad_open else s.cadence_ts)


def _break_complete(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    if not s.in_break:
        return s
    return replace(s, in_break=False, ad_open=False, ads_in_break=0,
                   pod_positions=frozenset(), cadence_ts=ts if s.ad_open else s.cadence_ts)


def _ad_start(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    if not s.in_break:  # Adobe ignores an ad outside a break (§3.1 rule 2)
        return replace(s, stray_ad_open=True, cadence_ts=ts)
    position = v.params.get("media.ad.podPosition")
    positions = s.pod_positions | ({position} if isinstance(position, int) else set())
    return replace(s, ad_open=True, ads_in_break=s.ads_in_break + 1,
                   pod_positions=frozenset(positions), cadence_ts=ts)


def _ad_end(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    if s.stray_ad_open and not s.in_break:
        return replace(s, stray_ad_open=False, cadence_ts=ts)
    return replace(s, ad_open=False, cadence_ts=ts) if s.ad_open else s


def _state_start(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    name = v.params.get("media.state.name")
    if not isinstance(name, str):
        return s
    name = canonical_state(name)
    if name not in s.state_names and len(s.state_names) >= STATE_LIMIT:
        return s  # the backend drops the 11th distinct name
    return replace(s, open_states=s.open_states | {name}, state_names=s.state_names | {name})


def _state_end(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    name = v.params.get("media.state.name")
    if not isinstance(name, str):
        return s
    return replace(s, open_states=s.open_states - {canonical_state(name)})


def _play(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    return s if s.in_break else replace(s, played=True)


def pings_too_often(s: SequenceState, ts: int | None) -> float | None:
    """Seconds between two main-content pings when far below Adobe's 10 s (§6.1), else None.

    Only pings with no cadence change between them count (an ad's 1 s pings, or a ping just
    after an ad ends, are not content pings too often).
    """
    last, since = s.last_ping_ts, s.cadence_ts
    if ts is None or last is None or s.ad_open or s.stray_ad_open \
            or (since is not None and since > last):
        return None
    gap = (ts - last) / 1000
    return gap if 0 <= gap < CONTENT_PING_S * FREQUENT_PING_SHARE else None


def _ping(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    noted = s.frequent_pings_noted or pings_too_often(s, ts) is not None
    return replace(s, last_ping_ts=ts, frequent_pings_noted=noted)


Transition = Callable[[SequenceState, "EventView", "int | None"], SequenceState]


def _chapter(open_: bool) -> Transition:
    def apply(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
        return replace(s, chapter_open=open_)
    return apply


def _session_end(s: SequenceState, v: EventView, ts: int | None) -> SequenceState:
    return gone(s, "sessionEnd")


_TRANSITIONS: dict[str, Transition] = {
    event(name).name: handler for name, handler in (
        ("adBreakStart", _break_start), ("adBreakComplete", _break_complete),
        ("adStart", _ad_start), ("adComplete", _ad_end), ("adSkip", _ad_end),
        ("chapterStart", _chapter(True)), ("chapterComplete", _chapter(False)),
        ("chapterSkip", _chapter(False)), ("stateStart", _state_start),
        ("stateEnd", _state_end), ("play", _play), ("ping", _ping),
        ("sessionEnd", _session_end),
    )
}
