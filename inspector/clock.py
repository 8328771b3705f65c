"""Simulated time: the session clock, the system clock and a manual clock for tests.

Simulated instants are decided first, wall pacing second. Whoever schedules something (a
scenario step, an auto ping on its grid, a time warp) names the simulated instant and awaits
:meth:`SessionClock.reach`; the clock lets the wall wait ``gap / speed`` and then stands at
that instant exactly, so ``playerTime.ts`` never depends on how late a sleep woke up. The
speed (1x, 10x, 60x, or ``None`` for "as fast as possible") only decides how long the wall
waits.

A clock either *flows* (the window: time moves on its own, at ``speed`` times the wall, and
a click is stamped wherever it has got to) or is *stepped* (scripts, scenario replays: time
stands still between the instants a scheduler reaches). Flowing time never passes the
instant a scheduler is waiting for, so nothing is stamped after a ping that is still due.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Callable, NamedTuple, Protocol, runtime_checkable

__all__ = ["Clock", "SystemClock", "SessionClock", "ManualClock", "Timer", "EPOCH_2026",
           "whole_ms"]

EPOCH_2026 = 1767225600.0  # 2026-01-01T00:00:00Z, a readable default start for tests
_MAX_NAP = 0.5  # longest single wall sleep: a speed change or a warp is noticed sooner anyway


def whole_ms(t: float) -> float:
    """``t`` rounded to the millisecond, so ``ts`` differences are exact at every speed."""
    return round(t * 1000) / 1000


@runtime_checkable
class Clock(Protocol):
    """Seconds since the Unix epoch, as a float."""

    def now(self) -> float: ...


class Timer(Protocol):
    """A shared schedule for many clocks' waits (one heap instead of a timer per nap)."""

    def wake(self, delay: float, waker: asyncio.Future[None]) -> None:
        """Resolve ``waker`` after ``delay`` wall seconds, unless it is done before."""
        ...


def _wake(waker: asyncio.Future[None]) -> None:
    if not waker.done():
        waker.set_result(None)


class SystemClock:
    """The wall clock."""

    def now(self) -> float:
        return time.time()


class _State(NamedTuple):
    sim: float  # simulated time at the anchor
    wall: float  # wall time at the anchor
    speed: float | None  # None: time moves only when a scheduler reaches an instant
    flowing: bool
    horizon: float | None  # an instant a scheduler is on its way to: time stops there


class SessionClock:
    """The one clock of a session: player, advisor, report, views and the embedded backend.

    Reading it is safe from another thread (the embedded backend's): its state is one tuple
    that is replaced, never mutated. ``timer``, when given (many viewers on one loop), is
    the shared schedule its waits go on; each then sleeps its whole gap, since every change
    of time wakes it anyway.
    """

    def __init__(self, speed: float | None = 1.0, start: float | None = None, *,
                 flowing: bool = True, wall: Callable[[], float] = time.time,
                 timer: Timer | None = None) -> None:
        self._wall = wall
        self._timer = timer
        now = wall()
        self._s = _State(whole_ms(now if start is None else start), now, speed, flowing, None)
        self._wakers: set[asyncio.Future[None]] = set()
        self._generation = 0  # bumped by interrupt(): a reach begun earlier gives up
        self.epoch = 0  # bumped by reanchor(): ts may start lower in the next session

    # -- reading ------------------------------------------------------------------------

    def now(self) -> float:
        """The simulated instant now: where flowing time has got to, or the last one reached."""
        s = self._s
        if not s.speed or not (s.flowing or s.horizon is not None):
            return s.sim
        t = s.sim + (self._wall() - s.wall) * s.speed
        return t if s.horizon is None or t < s.horizon else s.horizon

    @property
    def speed(self) -> float | None:
        return self._s.speed

    @property
    def flowing(self) -> bool:
        return self._s.flowing

    def ahead(self) -> float:
        """Seconds the simulated clock is ahead of the wall clock (negative: behind)."""
        return self.now() - self._wall()

    # -- changing -----------------------------------------------------------------------

    def _anchor(self, sim: float | None = None, **changes: object) -> None:
        s = self._s
        if sim is None:
            # Flowing time keeps pace with the wall behind a horizon; stepped time is held.
            sim = self._flow() if s.flowing else self.now()
        self._s = s._replace(sim=sim, wall=self._wall(), **changes)  # type: ignore[arg-type]
        self._poke()

    def _flow(self) -> float:
        s = self._s
        return s.sim + (self._wall() - s.wall) * s.speed if s.speed else s.sim

    def _poke(self) -> None:
        for waker in self._wakers:
            _wake(waker)

    def set_speed(self, speed: float | None) -> None:
        """Change the speed from now on (0 holds time); simulated time stays continuous."""
        self._anchor(speed=speed)

    def set_flowing(self, flowing: bool) -> None:
        """Flowing (the window) or stepped (scripts and replays), from the current instant."""
        self._anchor(flowing=flowing)

    def advance(self, seconds: float) -> None:
        """Jump ahead at once (a time warp); what was scheduled before recomputes."""
        if seconds < 0:
            raise ValueError("a clock never runs backwards")
        self._anchor(self.now() + seconds, horizon=None)
        self.interrupt()

    def reanchor(self, start: float | None = None) -> None:
        """Begin a new session at ``start`` (default: the wall clock, so nothing is future).

        The only way the clock moves backwards; it happens between sessions, never inside one.
        """
        self._anchor(whole_ms(self._wall() if start is None else start), horizon=None)
        self.epoch += 1
        self.interrupt()

    def interrupt(self) -> None:
        """Make a pending :meth:`reach` return False: what it waited for may have changed."""
        self._generation += 1
        self._poke()

    # -- scheduling ---------------------------------------------------------------------

    async def reach(self, t: float) -> bool:
        """Wait (``gap / speed`` of wall time) until simulated instant ``t``, then stand on it.

        True once the clock is at ``t`` (at once if it is already there or past it); False
        when :meth:`interrupt` was called meanwhile, so the caller can recompute its instant.
        ``t`` may be ``math.inf``: wait for an interrupt, time flowing as it does.
        """
        generation = self._generation
        if t <= self.now():
            return True
        if t != math.inf:
            self._anchor(horizon=t)
        try:
            while generation == self._generation:
                s = self._s
                if t != math.inf and (s.speed is None or self.now() >= t):
                    self._arrive(t)
                    return True
                gap = t - self.now()
                await self._nap(gap / s.speed if s.speed else _MAX_NAP)
            return False
        finally:
            if self._s.horizon == t:
                self._anchor(horizon=None)

    def _arrive(self, t: float) -> None:
        s = self._s
        if s.flowing and s.speed:  # keep flowing in step with the wall: no drift, no jump back
            self._s = s._replace(horizon=None)
        else:
            self._s = s._replace(sim=t, wall=self._wall(), horizon=None)

    async def _nap(self, seconds: float) -> None:
        """Sleep ``seconds`` of wall time, or less if time changes (:meth:`_poke`)."""
        loop = asyncio.get_running_loop()
        waker: asyncio.Future[None] = loop.create_future()
        self._wakers.add(waker)
        handle = None
        if self._timer is None:
            handle = loop.call_later(min(max(seconds, 0.0), _MAX_NAP), _wake, waker)
        else:
            self._timer.wake(max(seconds, 0.0), waker)
        try:
            await waker
        finally:
            self._wakers.discard(waker)
            if handle is not None:
                handle.cancel()


class ManualClock(SessionClock):
    """A stepped clock at full speed that moves only when told to: tests never sleep."""

    def __init__(self, start: float = EPOCH_2026) -> None:
        super().__init__(None, start, flowing=False)

    def set(self, t: float) -> None:
        if t < self.now():
            raise ValueError("a clock never runs backwards")
        self.advance(t - self.now())
