"""Rules on single values of a body: ts, playhead, bitrate, error id, player-state names."""

from __future__ import annotations

import json
from datetime import datetime, UTC
from typing import Iterator

from ..facts import STATE_ALIASES, canonical_state, miscased_standard
from ..findings import Severity
from ..protocol.catalogue import STANDARD_STATES
from ..protocol.schemas import json_type_name
from .base import MAX_MS, MIN_MS, Advice, Context, Phase, kind, rule
from .body import param_key

__all__: list[str] = []

BODY = Phase.BODY
BITRATE_CHANGE, ERROR_EVENT = kind("bitrateChange"), kind("error")
STATE_EVENTS = frozenset({kind("stateStart"), kind("stateEnd")})
BITRATE = param_key("media.qoe.bitrate")
_STATE_NAME = param_key("media.state.name")
ERROR_IDS = (param_key("media.errorId"), param_key("media.qoe.errorID"))  # I9: both accepted


def _dated(ms: int) -> str:
    try:
        return f" (it dates the event to {datetime.fromtimestamp(ms / 1000, UTC).year})"
    except (OverflowError, OSError, ValueError):
        return ""


def _ts_problem(raw: object) -> str | None:
    if isinstance(raw, str):
        return (f"is the string {json.dumps(raw)[:40]} (I1): the backend answers 400; "
                "send a JSON integer of milliseconds since the epoch")
    if isinstance(raw, float):
        how = "has a .0" if raw.is_integer() else "is not a whole number"
        return (f"{how} ({raw!r}): ts is an integer count of milliseconds, the backend answers "
                "400; send a JSON integer")
    if not isinstance(raw, int) or isinstance(raw, bool):
        return (f"expected integer milliseconds, got {json_type_name(raw)}: the backend "
                "answers 400; send a JSON integer")
    if raw < 0:
        return (f"{raw} is negative: the backend answers 400; send milliseconds since the "
                "epoch (UTC)")
    if raw < MIN_MS:
        return (f"{raw} looks like seconds, not milliseconds{_dated(raw)}: Adobe files the "
                "event decades off; multiply by 1000")
    if raw > MAX_MS:
        return (f"{raw} is too large for milliseconds (micro- or nanoseconds?){_dated(raw)}: "
                "Adobe cannot place the event in time; send milliseconds since the epoch")
    return None


@rule("TS_NOT_MILLISECONDS", Severity.ERROR, "playerTime.ts is not integer milliseconds",
      "§2.2", BODY)
def ts_not_milliseconds(ctx: Context) -> Iterator[Advice]:
    """ts must be a JSON integer of ms since the epoch: not a string, fraction or seconds."""
    if ctx.event.has_ts:
        problem = _ts_problem(ctx.event.raw_ts)
        if problem:
            yield Advice(f"playerTime.ts {problem}")


@rule("PLAYHEAD_NEGATIVE", Severity.ERROR, "playerTime.playhead is below 0", "§2.2", BODY)
def playhead_negative(ctx: Context) -> Iterator[Advice]:
    """The playhead is a content position, never negative."""
    playhead = ctx.event.playhead
    if playhead is not None and playhead < 0:
        yield Advice(f"playerTime.playhead {playhead:g} is negative: the backend answers 400; "
                     "send the main-content position in seconds (0 at the start)")


@rule("BITRATE_CHANGE_WITHOUT_BITRATE", Severity.WARNING, "bitrateChange without "
      "media.qoe.bitrate", "§3, §4.6", BODY, types={BITRATE_CHANGE})
def bitrate_change_without_bitrate(ctx: Context) -> Iterator[Advice]:
    """A quality switch that does not say the new bitrate."""
    if ctx.type == BITRATE_CHANGE and BITRATE not in ctx.event.qoe \
            and BITRATE not in ctx.event.params:
        yield Advice(f"bitrateChange without {BITRATE}: Adobe records a switch but keeps the "
                     f"old bitrate in its quality reports; send qoeData {{\"{BITRATE}\": <bps>}}")


@rule("ERROR_WITHOUT_ID", Severity.INFO, "error event without an error id", "§4.5, I9", BODY,
      types={ERROR_EVENT})
def error_without_id(ctx: Context) -> Iterator[Advice]:
    """Allowed (Adobe's timeline 2 sends none), but reports cannot tell errors apart."""
    if ctx.type == ERROR_EVENT and not any(
            key in ctx.event.params or key in ctx.event.qoe for key in ERROR_IDS):
        yield Advice(f"error without an id: Adobe counts an error but cannot say which; add "
                     f"params {ERROR_IDS[0]} (and media.errorSource player or external)")


def _state_name(ctx: Context) -> str | None:
    name = ctx.event.params.get(_STATE_NAME)
    return name if ctx.type in STATE_EVENTS and isinstance(name, str) else None


@rule("STATE_UNKNOWN", Severity.INFO, "a custom (non-standard) player-state name",
      "§3.1 rule 7", BODY, types=STATE_EVENTS)
def state_unknown(ctx: Context) -> Iterator[Advice]:
    """Custom names are allowed; a wrongly cased standard name is probably a typo."""
    name = _state_name(ctx)
    if name is None or canonical_state(name) in STANDARD_STATES:
        return
    standard = miscased_standard(name)
    if standard:
        yield Advice(f"state {name!r} is not the standard {standard!r}: names are case-"
                     "sensitive (Adobe documents only fullScreen as another spelling, I11), "
                     "so it counts as a separate custom state, in Adobe's reports and in ours; "
                     f"send {standard!r}", Severity.WARNING)
    else:
        yield Advice(f"state {name!r} is a custom state: Adobe counts it, but not as one of "
                     f"the standard states ({', '.join(STANDARD_STATES)})")


@rule("STATE_NAME_VARIANT", Severity.INFO, "fullScreen instead of fullscreen", "§3.1 rule 7, I11",
      BODY, types=STATE_EVENTS)
def state_name_variant(ctx: Context) -> Iterator[Advice]:
    """Adobe's docs spell one state two ways; the backend treats them as one."""
    name = _state_name(ctx)
    if name in STATE_ALIASES:
        yield Advice(f"state {name!r} is Adobe's other spelling of {STATE_ALIASES[name]!r} "
                     f"(I11): the backend counts both as one state; send "
                     f"{STATE_ALIASES[name]!r}")
