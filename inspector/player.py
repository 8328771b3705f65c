"""The simulated player: state machine, playhead, ping cadence and generated parameters.

Every transition goes through :meth:`Player.apply`. The playhead is the main-content
position (spec §2.2, §6.4): it moves with the clock only while content plays and holds still
in ad breaks, pauses and buffering; VOD stops at ``media.length``, live uses second-of-day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .clock import Clock
from .protocol.bodies import PlayerTime
from .protocol.catalogue import LIVE_CONTENT_TYPES, STANDARD_STATES

__all__ = ["PlayerState", "PingOptions", "Player", "DAY"]

DAY = 86400.0


class PlayerState(str, Enum):
    """Where the simulated player is."""

    IDLE = "idle"
    STARTING = "starting"  # sessionStart sent, content not yet playing
    PLAYING = "playing"
    PAUSED = "paused"
    BUFFERING = "buffering"
    IN_BREAK = "in ad break"
    IN_AD = "in ad"
    ENDED = "ended"  # sessionComplete: the session lives on until timeout or sessionEnd
    CLOSED = "closed"  # sessionEnd sent, or the server answered 404/410


@dataclass
class PingOptions:
    """Auto-ping cadence (spec §6.1): on by default, 10 s in content, 1 s in an open ad."""

    enabled: bool = True
    interval: float = 10.0
    ad_interval: float = 1.0


@dataclass
class _Counters:
    pod: int = 0  # pods opened this session
    pod_position: int = 0  # ads in the open pod
    ads: int = 0  # ads this session
    chapter: int = 0
    error: int = 0


@dataclass
class Player:
    """One simulated media player's state, driven by the events it is told about."""

    clock: Clock
    media_length: float = 1800.0
    live: bool = False
    pings: PingOptions = field(default_factory=PingOptions)
    ad_length: float = 15.0
    chapter_length: float = 60.0
    state: PlayerState = PlayerState.IDLE
    chapter_open: int | None = None
    open_states: list[str] = field(default_factory=list)
    in_break: bool = False
    ad_open: bool = False
    session_started_at: float | None = None
    last_ts: int = 0
    last_ping_at: float | None = None
    _cadence_since: float = 0.0  # when the ping interval last changed (an ad opened/closed)
    _break_resume: PlayerState = PlayerState.STARTING
    _before_ad: PlayerState = PlayerState.PLAYING
    _ph_anchor: float = 0.0
    _t_anchor: float = 0.0
    _count: _Counters = field(default_factory=_Counters)
    _epoch: int = 0  # the clock's epoch the last session began in

    # -- time ---------------------------------------------------------------------------

    @property
    def moving(self) -> bool:
        """True while main content plays, so the playhead advances."""
        return self.state is PlayerState.PLAYING

    @property
    def playhead(self) -> float:
        """The main-content position now, in seconds."""
        return self._playhead_at(self.clock.now())

    @property
    def anchor(self) -> tuple[float, float]:
        """(playhead, instant) where the playhead was last set: a seek or a state change."""
        return self._ph_anchor, self._t_anchor

    def stamp(self, at: float | None = None) -> PlayerTime:
        """playerTime for an event now (or at simulated time ``at``); ts rises by >= 1 ms."""
        when = self.clock.now() if at is None else at
        # round, not int: an instant scheduled at a whole millisecond keeps it exactly
        ts = max(round(when * 1000), self.last_ts + 1)
        self.last_ts = ts
        return PlayerTime(round(self._playhead_at(when), 3), ts)

    def _playhead_at(self, when: float) -> float:
        if not self.moving:
            return self._ph_anchor
        position = self._ph_anchor + max(0.0, when - self._t_anchor)
        return position % DAY if self.live else min(position, self.media_length)

    def _freeze(self) -> None:
        self._ph_anchor, self._t_anchor = self.playhead, self.clock.now()

    def seek(self, to: float) -> None:
        """Jump the playhead (a seek is a playhead jump: there is no seek event)."""
        limit = DAY if self.live else self.media_length
        self._ph_anchor = max(0.0, min(float(to), limit))
        self._t_anchor = self.clock.now()

    # -- the one transition method ------------------------------------------------------

    def apply(self, event_type: str, params: dict[str, Any] | None = None) -> None:
        """Move the state machine for an event the user (or the pinger) is sending."""
        params = params or {}
        self._freeze()
        ad_was_open = self.ad_open
        handler = getattr(self, f"_on_{event_type}", None)
        if handler is not None:
            handler(params)
        if self.ad_open != ad_was_open:
            self._cadence_since = self.clock.now()

    def close(self) -> None:
        """The session is gone (sessionEnd answered, or 404/410): no more pings."""
        self._freeze()
        self.state = PlayerState.CLOSED
        self.ad_open = self.in_break = False

    def _on_sessionStart(self, params: dict[str, Any]) -> None:
        length = params.get("media.length")
        if isinstance(length, (int, float)) and not isinstance(length, bool) and length > 0:
            self.media_length = float(length)
        content_type = str(params.get("media.contentType", "")).lower()
        self.live = content_type in LIVE_CONTENT_TYPES
        self.state, self.session_started_at = PlayerState.STARTING, self.clock.now()
        epoch = getattr(self.clock, "epoch", 0)
        if epoch != self._epoch:  # re-anchored for this session: it may begin earlier
            self._epoch, self.last_ts = epoch, 0
        self._cadence_since = self.clock.now()
        self.last_ping_at, self.chapter_open, self.open_states = None, None, []
        self.in_break = self.ad_open = False
        self._count = _Counters()
        self._ph_anchor = (self.clock.now() % DAY) if self.live else 0.0

    def _on_play(self, _: dict[str, Any]) -> None:
        if self.in_break:  # the advisor flags it; the break still decides the state
            self._break_resume = PlayerState.PLAYING
            return
        self.state = PlayerState.PLAYING

    def _on_pauseStart(self, _: dict[str, Any]) -> None:
        self._hold(PlayerState.PAUSED)

    def _on_bufferStart(self, _: dict[str, Any]) -> None:
        self._hold(PlayerState.BUFFERING)

    def _hold(self, state: PlayerState) -> None:
        if self.in_break:
            self._break_resume = state
        else:
            self.state = state

    def _on_adBreakStart(self, _: dict[str, Any]) -> None:
        if not self.in_break:
            # A lone ad still open when the break starts was shown over playing content.
            self._break_resume = (PlayerState.PLAYING if self.state is PlayerState.IN_AD
                                  else self.state)
        self.in_break, self.state = True, PlayerState.IN_BREAK
        self._count.pod += 1
        self._count.pod_position = 0

    def _on_adStart(self, _: dict[str, Any]) -> None:
        if not self.ad_open and not self.in_break:
            self._before_ad = self.state
        self.ad_open, self.state = True, PlayerState.IN_AD
        self._count.ads += 1
        self._count.pod_position += 1

    def _on_adComplete(self, _: dict[str, Any]) -> None:
        self.ad_open = False
        self.state = PlayerState.IN_BREAK if self.in_break else self._before_ad

    _on_adSkip = _on_adComplete

    def _on_adBreakComplete(self, _: dict[str, Any]) -> None:
        if self.in_break:
            self.in_break = self.ad_open = False
            self.state = self._break_resume
            self._count.pod_position = 0

    def _on_chapterStart(self, params: dict[str, Any]) -> None:
        self._count.chapter += 1
        index = params.get("media.chapter.index")
        self.chapter_open = index if isinstance(index, int) else self._count.chapter

    def _on_chapterComplete(self, _: dict[str, Any]) -> None:
        self.chapter_open = None

    _on_chapterSkip = _on_chapterComplete

    def _on_stateStart(self, params: dict[str, Any]) -> None:
        name = str(params.get("media.state.name", ""))
        if name and name not in self.open_states:
            self.open_states.append(name)

    def _on_stateEnd(self, params: dict[str, Any]) -> None:
        name = str(params.get("media.state.name", ""))
        if name in self.open_states:
            self.open_states.remove(name)

    def _on_error(self, _: dict[str, Any]) -> None:
        self._count.error += 1

    def _on_sessionComplete(self, _: dict[str, Any]) -> None:
        self.state, self.ad_open, self.in_break = PlayerState.ENDED, False, False

    def _on_sessionEnd(self, _: dict[str, Any]) -> None:
        self.close()

    # -- pings --------------------------------------------------------------------------

    @property
    def ping_interval(self) -> float:
        """The cadence in force: the ad interval while an ad is open, else the content one."""
        return self.pings.ad_interval if self.ad_open else self.pings.interval

    def next_ping_at(self) -> float | None:
        """Simulated time of the next auto ping, on its grid from session start; None if off."""
        if (not self.pings.enabled or self.session_started_at is None
                or self.state in (PlayerState.IDLE, PlayerState.CLOSED)):
            return None
        start, step = self.session_started_at, self.ping_interval
        # A shorter cadence starts from the moment it took effect: no catch-up pings.
        after = max(self.last_ping_at if self.last_ping_at is not None else start,
                    self._cadence_since)
        k = math.floor((after - start) / step + 1e-9) + 1
        return start + k * step

    def ping_sent(self, at: float) -> None:
        self.last_ping_at = at

    def skip_pings_until(self, t: float) -> None:
        """The player was silent until ``t`` (an idle warp): the next ping is the grid's next."""
        if self.session_started_at is not None:
            self.last_ping_at = max(t, self.last_ping_at or t)

    # -- generated parameters -----------------------------------------------------------

    def defaults(self, event_type: str) -> dict[str, Any]:
        """Sensible parameters for the next event of this type (the caller may override)."""
        c, ph = self._count, round(self.playhead, 3)
        if event_type == "adBreakStart":
            name = "pre-roll" if ph == 0 else "post-roll" if ph >= self.media_length else "mid-roll"
            return {"media.ad.podIndex": c.pod + 1, "media.ad.podSecond": ph,
                    "media.ad.podFriendlyName": name}
        if event_type == "adStart":
            n = c.ads + 1
            return {"media.ad.id": f"ad-{n}", "media.ad.name": f"Ad #{n}",
                    "media.ad.length": self.ad_length, "media.ad.podPosition": c.pod_position + 1,
                    "media.ad.playerName": "inspector-ads"}
        if event_type == "chapterStart":
            n = c.chapter + 1
            length = self.chapter_length if self.live else max(
                0.0, min(self.chapter_length, self.media_length - ph))
            return {"media.chapter.index": n, "media.chapter.offset": ph,
                    "media.chapter.length": length, "media.chapter.friendlyName": f"Chapter {n}"}
        if event_type == "stateStart":
            free = [s for s in STANDARD_STATES if s not in self.open_states]
            return {"media.state.name": free[0] if free else "custom"}
        if event_type == "stateEnd":
            return {"media.state.name": self.open_states[-1] if self.open_states
                    else STANDARD_STATES[0]}
        if event_type == "error":
            return {"media.errorId": f"E-{c.error + 1}", "media.errorSource": "player"}
        return {}
