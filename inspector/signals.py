"""A small typed signal for core observers (no Qt in the core)."""

from __future__ import annotations

import logging
from typing import Callable, Generic, ParamSpec

__all__ = ["Signal"]

P = ParamSpec("P")
_log = logging.getLogger(__name__)


class Signal(Generic[P]):
    """Plain-Python observer list: ``connect`` callbacks, ``emit`` calls them in order.

    A failing observer is logged and skipped so one broken view never stops the others
    (or the session) from seeing an event.
    """

    def __init__(self) -> None:
        self._slots: list[Callable[P, object]] = []
        # What emit calls: a tuple rebuilt on (dis)connect, so a slot connecting or
        # disconnecting during an emit changes the next emit, never the current one.
        self._calls: tuple[Callable[P, object], ...] = ()

    def connect(self, slot: Callable[P, object]) -> None:
        if slot not in self._slots:
            self._slots.append(slot)
            self._calls = tuple(self._slots)

    def disconnect(self, slot: Callable[P, object]) -> None:
        if slot in self._slots:
            self._slots.remove(slot)
            self._calls = tuple(self._slots)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for slot in self._calls:
            try:
                slot(*args, **kwargs)
            except Exception:  # an observer's bug must not break the session
                _log.exception("observer %r failed", slot)
