"""Facts about Adobe's backend that the advisor, the report and the metrics all read (spec).

One place, so the advisor never warns about something the report counts differently:
how player-state names are matched (§3.1 rule 7, I11), the state limit, what a live stream
is and what its playhead must be (§2.2, §4.2), and the ping cadence Adobe asks for (§6.1).
"""

from __future__ import annotations

from .protocol.catalogue import LIVE_CONTENT_TYPES, STANDARD_STATES, STATE_ALIASES

__all__ = ["STANDARD_STATES", "STATE_ALIASES", "STATE_LIMIT", "LIVE_TYPES", "LIVE_LENGTH",
           "CONTENT_PING_S", "AD_PING_S", "LIVE_PLAYHEAD_TOLERANCE_S", "canonical_state",
           "miscased_standard", "is_live", "second_of_day", "live_playhead_off"]

STATE_LIMIT = 10  # distinct player-state names per session, §3.1 rule 7
LIVE_TYPES = LIVE_CONTENT_TYPES
LIVE_LENGTH = 86400.0  # §2.2: a live playhead is the second of the day (UTC)
CONTENT_PING_S, AD_PING_S = 10.0, 1.0  # §6.1
# Choice: how far a live playhead may sit from the UTC second of the day of its ts (stream
# latency, a player clock a little off) before we say it is not the time of day.
LIVE_PLAYHEAD_TOLERANCE_S = 300.0
_MIN_MS, _MAX_MS = 10**11, 10**14  # plausible ms since the epoch (as the advisor's rules)


def canonical_state(name: str) -> str:
    """The name the backend counts a player state under.

    Names are case-sensitive: Adobe documents one alias only, ``fullScreen`` for
    ``fullscreen`` (I11), and our backend merges just that. ``Mute`` is a custom state.
    """
    return STATE_ALIASES.get(name, name)


def miscased_standard(name: str) -> str | None:
    """The standard state ``name`` differs from only in case (``Mute`` → ``mute``), if any."""
    if canonical_state(name) in STANDARD_STATES:
        return None
    same = [s for s in STANDARD_STATES if s.lower() == name.lower()]
    return same[0] if same else None


def is_live(content_type: object) -> bool:
    """True for the content types whose playhead is the second of the day (§2.2)."""
    return isinstance(content_type, str) and content_type.lower() in LIVE_TYPES


def second_of_day(ts_ms: int) -> float:
    """The UTC second of the day of a ts in milliseconds (what a live playhead should be)."""
    return (ts_ms / 1000) % LIVE_LENGTH


def live_playhead_off(playhead: float | None, ts_ms: int | None) -> float | None:
    """How many seconds a live ``playhead`` is from the second of the day of ``ts_ms``, when
    more than the tolerance (the distance wraps at midnight); None when close or unknown."""
    if playhead is None or ts_ms is None or not _MIN_MS <= ts_ms <= _MAX_MS:
        return None
    diff = abs(playhead - second_of_day(ts_ms)) % LIVE_LENGTH
    off = min(diff, LIVE_LENGTH - diff)
    return off if off > LIVE_PLAYHEAD_TOLERANCE_S else None
