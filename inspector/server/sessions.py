"""The session table: sids, lazy timeouts against the server clock, retention, limits.

Nothing runs in the background: every lookup first applies whatever the clock says has
happened (spec §6.2), so a test that advances a ManualClock sees the expiry at once.
"""

from __future__ import annotations

import copy
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..clock import Clock
from ..findings import Finding, Severity
from ..report import SessionReport
from .config import ServerConfig
from .reorder import ReorderBuffer

__all__ = ["CloseReason", "ServerSession", "SessionTable", "TableFull"]

Body = dict[str, Any]


class CloseReason(str, Enum):
    """Why a session stopped taking events."""

    SESSION_END = "sessionEnd"
    IDLE = "idle_timeout"
    PLAYHEAD = "playhead_timeout"
    MAX_AGE = "max_age"

    def describe(self, config: ServerConfig) -> str:
        return {
            "sessionEnd": "closed by sessionEnd",
            "idle_timeout": f"no events for {duration_text(config.idle_timeout)}",
            "playhead_timeout": f"playhead unmoved for {duration_text(config.stall_timeout)}",
            "max_age": f"older than {duration_text(config.max_age or 0)}",
        }[self.value]


def duration_text(seconds: float) -> str:
    """``5 s``, ``10 min``, ``24 h``: the largest unit that reads well."""
    if seconds >= 3600:
        return f"{seconds / 3600:.4g} h"
    if seconds >= 60:
        return f"{seconds / 60:.4g} min"
    return f"{seconds:.4g} s"


class TableFull(Exception):
    """The cap on open sessions is reached."""


@dataclass
class ServerSession:
    """One sid on the embedded backend: its timers, reorder buffer, accepted events, report.

    Not the player-side :class:`inspector.session.Session`; the distinct name keeps the two
    apart in imports, tracebacks and docs.
    """

    sid: str
    created_at: float
    playhead: float
    buffer: ReorderBuffer
    max_events: int
    last_event_at: float = 0.0
    playhead_moved_at: float = 0.0
    closed_at: float | None = None
    close_reason: CloseReason | None = None
    report: SessionReport = field(default_factory=SessionReport)
    events: deque[Body] = field(init=False)
    events_dropped: int = 0
    findings: deque[Finding] = field(default_factory=lambda: deque(maxlen=200))
    _last_ts: int | None = None

    def __post_init__(self) -> None:
        self.events = deque(maxlen=self.max_events)
        self.last_event_at = self.playhead_moved_at = self.created_at

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def expiry(self, config: ServerConfig) -> tuple[float, CloseReason]:
        """When and why this session times out if nothing else arrives."""
        candidates = [(self.last_event_at + config.idle_timeout, CloseReason.IDLE),
                      (self.playhead_moved_at + config.stall_timeout, CloseReason.PLAYHEAD)]
        if config.max_age is not None:
            candidates.append((self.created_at + config.max_age, CloseReason.MAX_AGE))
        return min(candidates, key=lambda c: c[0])

    def receive(self, body: Body, now: float) -> None:
        """An accepted event arrived: reset the timers and pass it through the window."""
        self.last_event_at = now
        playhead = float(body["playerTime"]["playhead"])
        if playhead != self.playhead:
            self.playhead, self.playhead_moved_at = playhead, now
        self.process(self.buffer.push(body, now))

    def process(self, bodies: list[Body]) -> None:
        """Feed released events, in order, to the report and the accepted-events list."""
        for body in bodies:
            self._check_order(int(body["playerTime"]["ts"]), str(body["eventType"]))
            if len(self.events) == self.events.maxlen:
                self.events_dropped += 1
            self.events.append(body)
            self.report.add(body)

    def close(self, at: float, reason: CloseReason) -> None:
        """Stop taking events: flush the window, then end the report."""
        self.process(self.buffer.flush())
        self.report.close(reason.value)
        self.closed_at, self.close_reason = at, reason

    def report_view(self) -> tuple[dict[str, Any], list[Body]]:
        """The report and event list as if the window were flushed now, without flushing."""
        pending = self.buffer.peek()
        if not pending:
            return self.report.to_dict(), list(self.events)
        report = copy.deepcopy(self.report)
        for body in pending:
            report.add(body)
        return report.to_dict(), [*self.events, *pending]

    def _check_order(self, ts: int, event_type: str) -> None:
        last, self._last_ts = self._last_ts, max(ts, self._last_ts or ts)
        if last is None or ts > last:
            return
        if ts == last:
            self.findings.append(Finding(
                "EQUAL_TS", Severity.WARNING, f"{event_type} has the same ts ({ts}) as the "
                "event before it: the backend cannot order them, so arrival order was kept; "
                "make every ts at least 1 ms later than the last", "§2.2, §2.3"))
        else:
            self.findings.append(Finding(
                "LATE_EVENT", Severity.WARNING, f"{event_type} (ts {ts}) was processed after "
                f"an event with ts {last}: it arrived too late for the reorder window",
                "§2.3"))


class SessionTable:
    """Open and recently closed sessions, bounded in number."""

    def __init__(self, config: ServerConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._open: dict[str, ServerSession] = {}
        self._closed: OrderedDict[str, ServerSession] = OrderedDict()
        self._last_sweep = clock.now()

    def create(self, start: Body) -> ServerSession:
        """Open a session for a valid sessionStart; TableFull when the cap is reached."""
        now = self._clock.now()
        if len(self._open) >= self._config.max_open_sessions or now - self._last_sweep > 60:
            self.sweep()
        if len(self._open) >= self._config.max_open_sessions:
            raise TableFull(len(self._open))
        sid = secrets.token_hex(32)
        session = ServerSession(sid, now, float(start["playerTime"]["playhead"]),
                                ReorderBuffer(self._config.reorder_window,
                                              self._config.reorder_max_events),
                                self._config.max_events_per_session)
        session.process([start])  # §2.3: sessionStart skips the buffer
        self._open[sid] = session
        return session

    def lookup(self, sid: str) -> ServerSession | None:
        """The session for ``sid`` after applying timeouts; None once unknown or forgotten."""
        now = self._clock.now()
        session = self._open.get(sid)
        if session is not None:
            self._flush_due(session, now)
            self._expire(session, now)
            return session
        session = self._closed.get(sid)
        if session is not None and self._past_retention(session, now):
            del self._closed[sid]
            return None
        return session

    def end(self, session: ServerSession) -> None:
        """Close ``session`` because of sessionEnd."""
        self._close(session, self._clock.now(), CloseReason.SESSION_END)

    def sweep(self) -> None:
        """Apply timeouts to every open session and forget closed ones past retention."""
        now = self._last_sweep = self._clock.now()
        for session in list(self._open.values()):
            self._expire(session, now)
        for sid in [s.sid for s in self._closed.values() if self._past_retention(s, now)]:
            del self._closed[sid]

    def sessions(self) -> list[ServerSession]:
        """Every known session, oldest first, after a sweep."""
        self.sweep()
        return sorted([*self._open.values(), *self._closed.values()],
                      key=lambda s: s.created_at)

    @property
    def open_count(self) -> int:
        return len(self._open)

    def _flush_due(self, session: ServerSession, now: float) -> None:
        session.process(session.buffer.due(now))

    def _expire(self, session: ServerSession, now: float) -> None:
        at, reason = session.expiry(self._config)
        if at <= now:
            self._close(session, at, reason)

    def _close(self, session: ServerSession, at: float, reason: CloseReason) -> None:
        session.close(at, reason)
        self._open.pop(session.sid, None)
        self._closed[session.sid] = session
        while len(self._closed) > self._config.max_closed_sessions:
            self._closed.popitem(last=False)

    def _past_retention(self, session: ServerSession, now: float) -> bool:
        return session.closed_at is not None and now >= session.closed_at + self._config.retention
