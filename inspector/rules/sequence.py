"""Sequence rules on time, chapters and player states (spec §2.2, §3.1 rules 5 and 7, §6.1)."""

from __future__ import annotations

from typing import Iterator

from ..findings import Severity
from .base import Advice, Context, kind, rule, seconds
from .body import param_key
from .state import LIVE_LENGTH, STATE_LIMIT, canonical_state

__all__: list[str] = []

WARNING = Severity.WARNING
PING = kind("ping")
CHAPTER_START = kind("chapterStart")
CHAPTER_ENDS = frozenset({kind("chapterComplete"), kind("chapterSkip")})
STATE_START, STATE_END = kind("stateStart"), kind("stateEnd")
STATE_NAME = param_key("media.state.name")


@rule("TS_NOT_INCREASING", Severity.ERROR, "playerTime.ts not after the previous event's",
      "§2.2, §2.3")
def ts_not_increasing(ctx: Context) -> Iterator[Advice]:
    """Adobe sorts a session's events by ts, so ts must grow by at least 1 ms."""
    ts, last = ctx.event.ms, ctx.state.last_ts
    if ts is None or last is None or ts > last:
        return  # in order, or no ts in milliseconds at all (TS_NOT_MILLISECONDS says so)
    if ts == last:
        yield Advice(f"playerTime.ts {ts} equals the previous event's: the backend sorts "
                     "events by ts and cannot order these two; send ts at least 1 ms later "
                     "(ts = max(now, last + 1))", WARNING)
    else:
        yield Advice(f"playerTime.ts {ts} is {seconds(last - ts)} before the latest event's: "
                     "the backend sorts by ts and processes this event before the earlier "
                     "ones; send increasing ts (ts = max(now, last + 1))")


@rule("PLAYHEAD_PAST_LENGTH", WARNING, "playhead beyond media.length (VOD) or the day (live)",
      "§2.2")
def playhead_past_length(ctx: Context) -> Iterator[Advice]:
    """VOD playheads stay within media.length; live ones are a second of the day."""
    playhead, state = ctx.event.playhead, ctx.state
    if playhead is None:
        return
    if state.live and playhead >= LIVE_LENGTH:
        yield Advice(f"playerTime.playhead {playhead:g} is not a second of the day (live "
                     f"content runs 0 to {LIVE_LENGTH:g}): Adobe's time-of-day reports go "
                     "wrong; send the second of the day (UTC)")
    # Equal is allowed: the player stops at media.length and our scenarios complete there (I18).
    elif not state.live and state.media_length is not None and playhead > state.media_length:
        yield Advice(f"playerTime.playhead {playhead:g} is past media.length "
                     f"{state.media_length:g}: Adobe computes progress markers and average "
                     "minute audience against media.length (§10), so they are off; keep the "
                     "playhead within the content, or send the real media.length on "
                     "sessionStart")


@rule("PING_LATE", Severity.INFO, "ping later than its cadence", "§6.1", types={PING})
def ping_late(ctx: Context) -> Iterator[Advice]:
    """Pings every 10 s (1 s while an ad is open) from sessionStart; cadence is not enforced."""
    state, limits, ts = ctx.state, ctx.limits, ctx.event.ms
    if ctx.type != PING or ts is None:
        return
    marks = [m for m in (state.last_ping_ts, state.cadence_ts) if m is not None]
    interval = limits.ad_ping_interval if state.ad_open else limits.ping_interval
    if marks and ts - max(marks) > interval * (1 + limits.ping_tolerance) * 1000:
        where = "in an open ad" if state.ad_open else "in main content"
        yield Advice(f"ping {seconds(ts - max(marks))} after the previous ping or cadence "
                     f"change, {where} the cadence is {interval:g} s: Adobe accepts it and "
                     "never checks cadence (only the 10-minute idle timeout closes a "
                     "session); nothing shows live anyway, since every metric but media "
                     f"starts is reported at the close call (§10); ping every {interval:g} s")


@rule("CHAPTER_OVERLAP", WARNING, "chapterStart while a chapter is open", "§3.1 rule 5",
      types={CHAPTER_START})
def chapter_overlap(ctx: Context) -> Iterator[Advice]:
    """Chapters do not overlap."""
    if ctx.type == CHAPTER_START and ctx.state.chapter_open:
        yield Advice("chapterStart while a chapter is still open: chapters do not overlap, "
                     "so Adobe never sees the open chapter finish; send chapterComplete (or "
                     "chapterSkip) first")


@rule("CHAPTER_END_WITHOUT_START", WARNING, "chapterComplete/chapterSkip with no open chapter",
      "§3.1 rule 5", types=CHAPTER_ENDS)
def chapter_end_without_start(ctx: Context) -> Iterator[Advice]:
    """A chapter must be started before it completes or is skipped."""
    if ctx.type in CHAPTER_ENDS and not ctx.state.chapter_open:
        yield Advice(f"{ctx.type} with no open chapter: Adobe has no chapter to close and "
                     "ignores it; send chapterStart when the chapter begins")


def _state_name(ctx: Context) -> str | None:
    name = ctx.event.params.get(STATE_NAME)
    return canonical_state(name) if isinstance(name, str) else None


@rule("STATE_END_NOT_OPEN", WARNING, "stateEnd for a state that is not open", "§3.1 rule 7",
      types={STATE_END})
def state_end_not_open(ctx: Context) -> Iterator[Advice]:
    """stateEnd closes an earlier stateStart of the same name."""
    name = _state_name(ctx)
    if ctx.type == STATE_END and name is not None and name not in ctx.state.open_states:
        yield Advice(f"stateEnd for {name!r}, which is not open: Adobe has no state to close "
                     f"and ignores it; send stateStart {name!r} first (open: "
                     f"{', '.join(sorted(ctx.state.open_states)) or 'none'})")


@rule("STATE_LIMIT", WARNING, "more than 10 distinct player-state names", "§3.1 rule 7",
      types={STATE_START})
def state_limit(ctx: Context) -> Iterator[Advice]:
    """A session keeps at most 10 distinct state names; a restarted state counts once."""
    name, names = _state_name(ctx), ctx.state.state_names
    if ctx.type == STATE_START and name is not None and name not in names \
            and len(names) >= STATE_LIMIT:
        yield Advice(f"stateStart {name!r} would be distinct state name number "
                     f"{len(names) + 1}: Adobe keeps {STATE_LIMIT} per session and drops "
                     "this one; reuse one of the names already sent")
