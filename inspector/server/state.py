"""Everything one running backend holds: settings, clock, session table and faults."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from ..clock import Clock, SystemClock
from .config import ServerConfig
from .faults import FaultTable
from .sessions import SessionTable

__all__ = ["ServerClock", "ServerState", "STATE_KEY"]


class ServerClock:
    """The clock it follows plus an offset that ``/_inspector/clock`` can push forward.

    Wrapping (rather than requiring a ManualClock) lets a user of ``serve`` jump past the
    10- and 30-minute timeouts while the server keeps following the real clock. The
    embedded backend can :meth:`follow` a session's clock instead, so a 60x session expires
    after 10 wall seconds and a time warp reaches the backend too. It never runs backwards:
    when the followed clock does (a new session re-anchored to the wall clock), the server
    keeps its own time and moves on at the followed clock's pace.
    """

    def __init__(self, base: Clock) -> None:
        self.base = base  # set by follow() from any thread; the rest only on the server's
        self.offset = 0.0
        self._last = base.now()

    def follow(self, base: Clock) -> None:
        """Keep ``base``'s time from now on (safe to call from another thread)."""
        self.base = base

    def now(self) -> float:
        t = self.base.now() + self.offset
        if t < self._last:
            self.offset += self._last - t
            t = self._last
        self._last = t
        return t

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the server clock never runs backwards")
        self.offset += seconds


@dataclass
class ServerState:
    """The mutable state of one app; it lives on the server's event loop only."""

    config: ServerConfig = field(default_factory=ServerConfig)
    clock: ServerClock = field(default_factory=lambda: ServerClock(SystemClock()))
    faults: FaultTable = field(init=False)
    sessions: SessionTable = field(init=False)

    def __post_init__(self) -> None:
        self.faults = FaultTable(self.config.max_fault_rules)
        self.sessions = SessionTable(self.config, self.clock)


STATE_KEY = web.AppKey("media_inspector_state", ServerState)
