"""The backend's per-session reorder window (spec §2.3).

Adobe buffers a session's events for 5 s or 10 events, whichever comes first, sorts them
by ``playerTime.ts`` and only then processes them. HTTP answers are not affected: the
buffer sits behind the HTTP layer. Equal ``ts`` cannot be ordered; ties keep their
arrival order (a stable sort), and the session records a finding for them.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Generic, TypeVar

__all__ = ["ReorderBuffer"]

T = TypeVar("T")
_TS = itemgetter(0)


class ReorderBuffer(Generic[T]):
    """Holds one session's events until the window closes, then releases them sorted."""

    def __init__(self, window: float, max_events: int) -> None:
        self._window = window
        self._max = max_events
        self._items: list[tuple[int, T]] = []
        self._opened = 0.0
        self._enabled = window > 0 and max_events > 1

    @property
    def enabled(self) -> bool:
        return self._enabled

    def __len__(self) -> int:
        return len(self._items)

    def push(self, item: T, ts: int, now: float) -> list[T]:
        """Buffer ``item`` (its ``playerTime.ts``, arrived at ``now``); return what the window
        releases: first what was due by ``now``, then everything once ``max_events`` wait."""
        if not self._enabled:
            return [item]
        released = self.due(now)
        if not self._items:
            self._opened = now
        self._items.append((ts, item))
        if len(self._items) >= self._max:
            released += self.flush()
        return released

    def due(self, now: float) -> list[T]:
        """Release the buffer if its window has been open ``window`` seconds by ``now``."""
        if self._items and now - self._opened >= self._window:
            return self.flush()
        return []

    def flush(self) -> list[T]:
        """Release everything, sorted by ts; ties stay in arrival order."""
        released = self.peek()
        self._items.clear()
        return released

    def peek(self) -> list[T]:
        """What ``flush`` would release, without releasing it."""
        return [item for _, item in sorted(self._items, key=_TS)]
