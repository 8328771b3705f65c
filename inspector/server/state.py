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
    """The injected clock plus an offset that ``/_inspector/clock`` can push forward.

    Wrapping (rather than requiring a ManualClock) lets a user of ``serve`` jump past the
    10- and 30-minute timeouts while the server keeps following the real clock.
    """

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = 0.0

    def now(self) -> float:
        return self.base.now() + self.offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the server clock never runs backwards")
        self.offset += seconds


@dataclass
class ServerState:
    """The mutable state of one app; it lives on the server's event loop only."""

    config: ServerConfig = field(default_factory=ServerConfig)
    clock: ServerClock = field(default_factory=lambda: ServerClock(SystemClock()))
    faults: FaultTable = field(default_factory=FaultTable)
    sessions: SessionTable = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = SessionTable(self.config, self.clock)


STATE_KEY = web.AppKey("media_inspector_state", ServerState)
