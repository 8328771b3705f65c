"""Rules on what Adobe expects of time itself: a live playhead is the time of day (§2.2),
and main content pings every 10 s (§6.1). Each speaks once per session."""

from __future__ import annotations

from typing import Iterator

from ..facts import CONTENT_PING_S, LIVE_PLAYHEAD_TOLERANCE_S, is_live, live_playhead_off
from ..findings import Severity
from .base import Advice, Context, Phase, kind, rule
from .body import param_key
from .state import pings_too_often

__all__: list[str] = []

SESSION_START, PING = kind("sessionStart"), kind("ping")
CONTENT_TYPE = param_key("media.contentType")


def _live_now(ctx: Context) -> bool:
    if ctx.type == SESSION_START:
        return is_live(ctx.event.params.get(CONTENT_TYPE))
    state = ctx.state
    return ctx.type is not None and state.open and state.live and not state.live_playhead_noted


@rule("LIVE_PLAYHEAD_NOT_TIME_OF_DAY", Severity.WARNING, "a live stream's playhead is not "
      "the second of the day", "§2.2", Phase.BODY)
def live_playhead_not_time_of_day(ctx: Context) -> Iterator[Advice]:
    """Live playheads are the UTC second of the day: a stream at noon sends about 43200."""
    off = live_playhead_off(ctx.event.playhead, ctx.event.ms) if _live_now(ctx) else None
    if off is not None:
        expected = (ctx.event.ms or 0) / 1000 % 86400
        yield Advice(f"live playhead {ctx.event.playhead:g} is {off:,.0f} s away from the "
                     f"second of the day of its ts ({expected:,.0f}): for live content Adobe "
                     "reads the playhead as the time of day (0-86399, UTC), so its time-of-day "
                     "and progress figures go wrong; send the current second of the day "
                     f"(we allow {LIVE_PLAYHEAD_TOLERANCE_S:g} s for latency)")


@rule("PING_TOO_OFTEN", Severity.INFO, "main-content pings far more often than every 10 s",
      "§6.1", types={PING})
def ping_too_often(ctx: Context) -> Iterator[Advice]:
    """Adobe asks for a ping every 10 s in main content; much more often only costs calls."""
    if ctx.type != PING or ctx.state.frequent_pings_noted:
        return
    gap = pings_too_often(ctx.state, ctx.event.ms)
    if gap is not None:
        yield Advice(f"main-content ping {gap:g} s after the previous one: Adobe asks for one "
                     f"every {CONTENT_PING_S:g} s (1 s only inside an ad); more often changes "
                     "nothing Adobe counts, since time comes from the events' ts, but it "
                     "multiplies the calls; ping every 10 s (said once per session)")
