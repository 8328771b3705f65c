"""Gate rules: is there an open session for this event at all? (spec §3.1 rules 1, 9; §6.2).

An error from a gate means the backend never processes the event, so the sequence rules
are skipped for it. The timeout helpers also serve ``Advisor.expiry_findings``.
"""

from __future__ import annotations

from typing import Iterator

from ..findings import Severity
from .base import Advice, Context, Phase, kind, rule, seconds
from .state import Limits, SequenceState

__all__ = ["idle_advice", "stall_advice"]

GATE = Phase.GATE
SESSION_START, SESSION_END = kind("sessionStart"), kind("sessionEnd")
_NEW_SESSION = "send sessionStart for a new session (media.resume: true to continue this content)"


def _in_session(ctx: Context) -> bool:
    return ctx.type is not None and ctx.type != SESSION_START


@rule("EVENT_BEFORE_SESSION", Severity.ERROR, "an event before any sessionStart",
      "§3.1 rule 1", GATE)
def event_before_session(ctx: Context) -> Iterator[Advice]:
    """Everything but sessionStart needs the sid that sessionStart's 201 returns."""
    if _in_session(ctx) and not ctx.state.started and ctx.state.closed is None:
        yield Advice(f"{ctx.type} before any accepted sessionStart: there is no session id "
                     "to send it to, so Adobe never sees it; send sessionStart first and wait "
                     "for its 201")


@rule("EVENT_AFTER_SESSION_END", Severity.ERROR, "an event after the session was closed",
      "§3.1 rule 9, §6.2, §10", GATE)
def event_after_session_end(ctx: Context) -> Iterator[Advice]:
    """After sessionEnd, a 404/410 or a timeout Adobe discards everything; a repeated
    sessionEnd is harmless (Adobe: safe to send more than once)."""
    if not _in_session(ctx) or ctx.state.closed is None:
        return
    if ctx.type == SESSION_END and ctx.state.closed == "sessionEnd":
        yield Advice("a second sessionEnd: Adobe says sessionEnd is safe to send more than "
                     "once and need not be guarded against; it changes nothing Adobe counts. "
                     "Only our backend answers it with 410 (I14); nothing to fix",
                     Severity.INFO)
        return
    yield Advice(f"{ctx.type} after the session was closed by {ctx.state.closed}: Adobe "
                 "discards it and counts nothing from it (our backend answers 410, I14); "
                 f"{_NEW_SESSION}")


def idle_advice(state: SequenceState, now_ms: int, limits: Limits,
                ahead: bool = False) -> Advice | None:
    """Advice about the 10-minute idle timeout at ``now_ms``; ``ahead`` for a proactive check."""
    if not state.open or state.last_ts is None:
        return None
    gap, limit = now_ms - state.last_ts, limits.idle_timeout * 1000
    if gap >= limit:
        return Advice(f"no event for {seconds(gap)} (limit {seconds(limit)}): Adobe has "
                      "closed the session and reports it now (our backend answers 410); "
                      f"{_NEW_SESSION}")
    if gap >= limit - limits.warn_margin * 1000:
        when = "will close" if ahead else "nearly closed"
        return Advice(f"no event for {seconds(gap)}: Adobe {when} the session after "
                      f"{seconds(limit)} without events; send a ping at least every "
                      f"{limits.ping_interval:g} s", Severity.WARNING)
    return None


def stall_advice(state: SequenceState, now_ms: int, limits: Limits,
                 ahead: bool = False) -> Advice | None:
    """Advice about the 30-minute unmoved-playhead timeout at ``now_ms``."""
    if not state.open or state.playhead_since_ts is None:
        return None
    gap, limit = now_ms - state.playhead_since_ts, limits.stall_timeout * 1000
    if gap >= limit:
        return Advice(f"playhead unmoved for {seconds(gap)} (limit {seconds(limit)}): Adobe "
                      "has closed the session and reports it now (our backend answers 410); "
                      f"{_NEW_SESSION}")
    if gap >= limit - limits.warn_margin * 1000:
        when = "will close" if ahead else "nearly closed"
        return Advice(f"playhead unmoved for {seconds(gap)}: Adobe {when} the session "
                      f"after {seconds(limit)}, and pings while paused do not help; resume "
                      "playback, or end the session and start a new one later",
                      Severity.WARNING)
    return None


@rule("SESSION_IDLE_EXPIRY", Severity.ERROR, "10 minutes (or nearly) without events",
      "§6.2", GATE)
def session_idle_expiry(ctx: Context) -> Iterator[Advice]:
    """The gap since the previous event reached (error) or neared (warning) 10 minutes."""
    if _in_session(ctx) and ctx.event.ms is not None:
        advice = idle_advice(ctx.state, ctx.event.ms, ctx.limits)
        if advice:
            yield advice


@rule("PLAYHEAD_STALL_EXPIRY", Severity.ERROR, "playhead unmoved for 30 minutes (or nearly)",
      "§6.2", GATE)
def playhead_stall_expiry(ctx: Context) -> Iterator[Advice]:
    """The playhead has not moved for 30 minutes by this event (pause pings do not count)."""
    if not _in_session(ctx) or ctx.event.ms is None:
        return
    idle = idle_advice(ctx.state, ctx.event.ms, ctx.limits)
    if idle is not None and idle.severity is None:
        return  # already closed by the idle timeout: one error is enough
    advice = stall_advice(ctx.state, ctx.event.ms, ctx.limits)
    if advice:
        yield advice
