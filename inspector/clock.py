"""Simulated time: a Clock protocol, the system clock, a speed-factor clock and a manual one.

Every simulated time (playhead, ts, ping cadence, server timeouts) reads a Clock so runs can
go at 1x, 60x or as fast as possible, and tests can jump forward without sleeping.
"""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "SystemClock", "VirtualClock", "ManualClock", "EPOCH_2026"]

EPOCH_2026 = 1767225600.0  # 2026-01-01T00:00:00Z, a readable default start for tests


@runtime_checkable
class Clock(Protocol):
    """Seconds since the Unix epoch, as a float."""

    def now(self) -> float: ...


class SystemClock:
    """The wall clock."""

    def now(self) -> float:
        return time.time()


class VirtualClock:
    """Wall time scaled by ``speed`` from the moment it was created.

    Changing the speed mid-run re-anchors the clock, so simulated time never jumps.
    ``speed=None`` means "as fast as possible": time only moves through ``advance``.
    """

    def __init__(self, speed: float | None = 1.0, start: float | None = None,
                 source: Clock | None = None) -> None:
        self._source = source or SystemClock()
        self._anchor_real = self._source.now()
        self._anchor_sim = self._anchor_real if start is None else start
        self._speed = speed

    @property
    def speed(self) -> float | None:
        return self._speed

    def set_speed(self, speed: float | None) -> None:
        """Change the speed from now on; simulated time stays continuous."""
        self._anchor_sim = self.now()
        self._anchor_real = self._source.now()
        self._speed = speed

    def advance(self, seconds: float) -> None:
        """Jump simulated time forward (used at max speed and for deliberate skips)."""
        if seconds < 0:
            raise ValueError("a clock never runs backwards")
        self._anchor_sim += seconds

    def now(self) -> float:
        if self._speed is None:
            return self._anchor_sim
        return self._anchor_sim + (self._source.now() - self._anchor_real) * self._speed


class ManualClock:
    """A clock that moves only when told to: deterministic tests never sleep."""

    def __init__(self, start: float = EPOCH_2026) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock never runs backwards")
        self._now += seconds

    def set(self, t: float) -> None:
        if t < self._now:
            raise ValueError("a clock never runs backwards")
        self._now = t
