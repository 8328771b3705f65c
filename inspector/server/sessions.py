"""The session table: sids, lazy timeouts against the server clock, retention, limits.

Nothing runs in the background: every lookup first applies whatever the clock says has
happened (spec §6.2), so a test that advances a ManualClock sees the expiry at once.
"""

from __future__ import annotations

import copy
import itertools
import json
import secrets
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from ..clock import Clock
from ..findings import Finding, Severity
from ..report import SessionReport
from .budget import FINDING_BYTES, ByteBudget, StoreFull
from .config import ServerConfig
from .reorder import ReorderBuffer

__all__ = ["Accepted", "CloseReason", "ServerSession", "SessionTable", "StoreFull",
           "TableFull"]

Body = dict[str, Any]


class Accepted(NamedTuple):
    """A valid event as received: the decoded body, its bytes and its ``playerTime.ts``."""

    body: Body
    raw: bytes
    ts: int

    @classmethod
    def of(cls, body: Body, raw: bytes) -> Accepted:
        return cls(body, raw, int(body["playerTime"]["ts"]))

    def compact(self) -> Accepted:
        """The same event with its bytes re-encoded without whitespace."""
        return self._replace(raw=json.dumps(self.body, separators=(",", ":")).encode())


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


@dataclass(eq=False)
class ServerSession:
    """One sid on the embedded backend: its timers, reorder buffer, accepted events, report.

    Not the player-side :class:`inspector.session.Session`; the distinct name keeps the two
    apart in imports, tracebacks and docs. Accepted events are kept as the bytes received
    (decoded again only for ``/_inspector/``), counted against the table's byte budget.
    """

    sid: str
    created_at: float
    playhead: float
    buffer: ReorderBuffer[Accepted]
    max_events: int
    budget: ByteBudget = field(default_factory=lambda: ByteBudget(1 << 62))
    media_id: str | None = None
    dialect: str = "classic"  # "edge" when opened by /ee/va/v1/sessionStart (spec §9)
    last_event_at: float = 0.0
    playhead_moved_at: float = 0.0
    closed_at: float | None = None
    close_reason: CloseReason | None = None
    report: SessionReport = field(default_factory=SessionReport)
    events: deque[bytes] = field(init=False)
    events_dropped: int = 0
    stored_bytes: int = 0  # this session's share of the budget
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
        at, reason = self.last_event_at + config.idle_timeout, CloseReason.IDLE
        stall = self.playhead_moved_at + config.stall_timeout
        if stall < at:
            at, reason = stall, CloseReason.PLAYHEAD
        if config.max_age is not None and self.created_at + config.max_age < at:
            at, reason = self.created_at + config.max_age, CloseReason.MAX_AGE
        return at, reason

    def receive(self, event: Accepted, now: float) -> None:
        """An accepted event arrived: reset the timers and pass it through the window."""
        self.last_event_at = now
        self._take(len(event.raw))
        playhead = float(event.body["playerTime"]["playhead"])
        if playhead != self.playhead:
            self.playhead, self.playhead_moved_at = playhead, now
        released = self.buffer.push(event, event.ts, now)
        if released:
            self.process(released)

    def admit(self, start: Accepted) -> None:
        """Take the sessionStart that opened this session (it skips the window, §2.3)."""
        self._take(len(start.raw))
        self.process([start])

    def process(self, released: list[Accepted]) -> None:
        """Feed released events, in order, to the report and the accepted-events list."""
        for event in released:
            self._check_order(event.ts, str(event.body["eventType"]))
            if len(self.events) == self.events.maxlen:
                self.events_dropped += 1
                self._release(len(self.events[0]))
            self.events.append(event.raw)
            self.report.add(event.body)

    def close(self, at: float, reason: CloseReason) -> None:
        """Stop taking events: flush the window, then end the report."""
        self.process(self.buffer.flush())
        self.report.close(reason.value)
        self.closed_at, self.close_reason = at, reason

    def forget(self) -> None:
        """Give this session's bytes back to the budget (it is leaving the table)."""
        self._release(self.stored_bytes)

    def report_view(self) -> tuple[dict[str, Any], list[Body]]:
        """The report and event list as if the window were flushed now, without flushing."""
        pending = self.buffer.peek()
        events = [json.loads(raw) for raw in self.events]
        if not pending:
            return self.report.to_dict(), events
        report = copy.deepcopy(self.report)
        for event in pending:
            report.add(event.body)
        return report.to_dict(), [*events, *(event.body for event in pending)]

    def _take(self, size: int) -> None:
        self.stored_bytes += size
        self.budget.take(size)

    def _release(self, size: int) -> None:
        self.stored_bytes -= size
        self.budget.release(size)

    def _check_order(self, ts: int, event_type: str) -> None:
        last, self._last_ts = self._last_ts, max(ts, self._last_ts or ts)
        if last is None or ts > last:
            return
        if len(self.findings) < (self.findings.maxlen or 0):
            self._take(FINDING_BYTES)
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
    """Open and recently closed sessions, bounded in number and in bytes kept."""

    def __init__(self, config: ServerConfig, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self.budget = ByteBudget(config.max_stored_bytes)
        self._all: dict[str, ServerSession] = {}  # creation order, so oldest first
        self._open: dict[str, ServerSession] = {}
        self._closed: OrderedDict[str, ServerSession] = OrderedDict()  # by closing time
        self._last_sweep = clock.now()

    def create(self, start: Accepted) -> ServerSession:
        """Open a session for a valid sessionStart; TableFull or StoreFull at a limit."""
        now = self._clock.now()
        if len(self._open) >= self._config.max_open_sessions or now - self._last_sweep > 60:
            self.sweep()
        if len(self._open) >= self._config.max_open_sessions:
            raise TableFull(len(self._open))
        self.make_room(len(start.raw))
        sid = secrets.token_hex(32)
        media_id = start.body.get("params", {}).get("media.id")
        session = ServerSession(sid, now, float(start.body["playerTime"]["playhead"]),
                                ReorderBuffer(self._config.reorder_window,
                                              self._config.reorder_max_events),
                                self._config.max_events_per_session, self.budget,
                                media_id if isinstance(media_id, str) else None)
        session.admit(start)  # §2.3: sessionStart skips the buffer
        self._open[sid] = self._all[sid] = session
        return session

    def make_room(self, size: int) -> None:
        """Forget the oldest closed sessions until ``size`` more bytes fit; else StoreFull."""
        while not self.budget.fits(size) and self._closed:
            self._forget(next(iter(self._closed)))
        if not self.budget.fits(size):
            raise StoreFull(self.budget.limit)

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
            self._forget(sid)
            return None
        return session

    def end(self, session: ServerSession) -> None:
        """Close ``session`` because of sessionEnd."""
        self._close(session, self._clock.now(), CloseReason.SESSION_END)

    def sweep(self) -> None:
        """Apply timeouts to every open session and forget closed ones past retention."""
        now = self._last_sweep = self._clock.now()
        config = self._config
        for session in [s for s in self._open.values() if s.expiry(config)[0] <= now]:
            self._expire(session, now)
        for sid in [s.sid for s in self._closed.values() if self._past_retention(s, now)]:
            self._forget(sid)

    def page(self, offset: int, limit: int) -> list[ServerSession]:
        """Known sessions ``offset`` to ``offset + limit``, oldest first, after a sweep."""
        self.sweep()
        return list(itertools.islice(self._all.values(), offset, offset + limit))

    def sessions(self) -> list[ServerSession]:
        """Every known session, oldest first, after a sweep."""
        return self.page(0, len(self._all))

    @property
    def open_count(self) -> int:
        return len(self._open)

    @property
    def closed_count(self) -> int:
        return len(self._closed)

    def _flush_due(self, session: ServerSession, now: float) -> None:
        released = session.buffer.due(now)
        if released:
            session.process(released)

    def _expire(self, session: ServerSession, now: float) -> None:
        at, reason = session.expiry(self._config)
        if at <= now:
            self._close(session, at, reason)

    def _close(self, session: ServerSession, at: float, reason: CloseReason) -> None:
        session.close(at, reason)
        self._open.pop(session.sid, None)
        self._closed[session.sid] = session
        while len(self._closed) > self._config.max_closed_sessions:
            self._forget(next(iter(self._closed)))

    def _forget(self, sid: str) -> None:
        session = self._closed.pop(sid)
        del self._all[sid]
        session.forget()

    def _past_retention(self, session: ServerSession, now: float) -> bool:
        return session.closed_at is not None and now >= session.closed_at + self._config.retention
