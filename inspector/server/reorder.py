"""The backend's per-session reorder window (spec §2.3).

Adobe buffers a session's events for 5 s or 10 events, whichever comes first, sorts them
by ``playerTime.ts`` and only then processes them. HTTP answers are not affected: the
buffer sits behind the HTTP layer. Equal ``ts`` cannot be ordered; ties keep their
arrival order (a stable sort), and the session records a finding for them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ReorderBuffer"]

Body = dict[str, Any]


class ReorderBuffer:
    """Holds one session's events until the window closes, then releases them sorted."""

    def __init__(self, window: float, max_events: int) -> None:
        self._window = window
        self._max = max_events
        self._items: list[tuple[int, Body]] = []
        self._opened = 0.0

    @property
    def enabled(self) -> bool:
        return self._window > 0 and self._max > 1

    def __len__(self) -> int:
        return len(self._items)

    def push(self, body: Body, now: float) -> list[Body]:
        """Buffer ``body`` (arrived at ``now``); return whatever the window releases."""
        if not self.enabled:
            return [body]
        released = self.due(now)
        if not self._items:
            self._opened = now
        self._items.append((_ts(body), body))
        if len(self._items) >= self._max:
            released += self.flush()
        return released

    def due(self, now: float) -> list[Body]:
        """Release the buffer if its window has been open ``window`` seconds by ``now``."""
        if self._items and now - self._opened >= self._window:
            return self.flush()
        return []

    def flush(self) -> list[Body]:
        """Release everything, sorted by ts; ties stay in arrival order."""
        released = self.peek()
        self._items.clear()
        return released

    def peek(self) -> list[Body]:
        """What ``flush`` would release, without releasing it."""
        return [body for _, body in sorted(self._items, key=lambda item: item[0])]


def _ts(body: Body) -> int:
    # Bodies reach the buffer validated, so playerTime.ts is an integer.
    return int(body["playerTime"]["ts"])
