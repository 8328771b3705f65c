"""Captured exchanges (a proxy's or a HAR file's) judged like the tool's own sessions.

Each Media Collection call is grouped by sid (from the sessionStart's ``Location``, spec
§1.4, then from the events path) and run through a per-session :class:`Advisor` and
:class:`SessionReport`, exactly as :class:`~inspector.session.Session` does for the calls
it sends: every body is advised in the order the player sent it, the report takes the
bodies that got a 2xx, and a 404/410 tells the advisor the session is gone. Time is the
bodies' own ``playerTime.ts``; nothing here reads a clock.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..advisor import Advisor
from ..client import parse_location
from ..exchange import Exchange, ExchangeState
from ..findings import Finding, Severity
from ..report import SessionReport
from .edge import as_classic, edge_sid, edge_start_sid
from .paths import ApiCall, classify

__all__ = ["CapturedSession", "CaptureAnalyzer", "CaptureLog", "MAX_SESSIONS", "MAX_KEPT"]

MAX_SESSIONS = 10_000  # a proxy left running for days keeps the newest sessions only
MAX_KEPT = 200_000  # exchanges kept for the exports of a long listen


@dataclass(eq=False)
class CapturedSession:
    """One player session rebuilt from captured calls."""

    key: str  # the sid, or "no-sid-N" for a sessionStart that got none
    sid: str | None
    advisor: Advisor = field(default_factory=Advisor)
    report: SessionReport = field(default_factory=SessionReport)
    exchanges: list[Exchange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for e in self.exchanges for f in e.findings]

    def finding_counts(self) -> Counter[str]:
        """How often each finding code appeared in this session."""
        return Counter(f.code for f in self.findings)

    @property
    def errors(self) -> int:
        """Findings at error level."""
        return sum(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: sid, calls, findings by code, notes and the report."""
        return {"sid": self.sid, "calls": len(self.exchanges),
                "findings": dict(sorted(self.finding_counts().items())),
                "errors": self.errors, "notes": list(self.notes),
                "report": self.report.to_dict()}


class CaptureAnalyzer:
    """Feeds captured exchanges, in the order the player sent them, to per-sid sessions."""

    def __init__(self, max_sessions: int = MAX_SESSIONS) -> None:
        self.sessions: dict[str, CapturedSession] = {}
        self.ignored = 0  # calls that are not Media Collection POSTs (OPTIONS, schemas, ...)
        self._max = max_sessions
        self._unnamed = itertools.count(1)

    def add(self, exchange: Exchange) -> CapturedSession | None:
        """Judge one exchange (its findings are set here); None when it is not an API call."""
        call = classify(exchange.method, exchange.url)
        if call is None:
            self.ignored += 1
            return None
        exchange.api_version = call.api_version
        bodies = self._edge(exchange, call) if call.dialect == "edge" else None
        if bodies == []:  # an interact call without a media.sessionStart: not ours
            self.ignored += 1
            return None
        if call.start:
            session = self._started(exchange)
        else:
            session = self._session_for(str(call.sid or edge_sid(exchange) or "?"))
        exchange.sid = session.sid
        self._judge(session, exchange, bodies)
        return session

    @staticmethod
    def _edge(exchange: Exchange, call: ApiCall) -> list[Any]:
        """A Media Edge call's classic bodies (spec §9); [] for an interact call that is
        no media sessionStart; [None] (judged as unreadable) for a body that maps to nothing."""
        bodies: list[Any] = as_classic(exchange, call.path_event)
        if call.path_event is None and (not bodies or bodies[0]["eventType"] != "sessionStart"):
            return []
        return bodies or [None]

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.sessions.values())

    def _started(self, exchange: Exchange) -> CapturedSession:
        found = parse_location(exchange.response_header("Location")) \
            if exchange.dialect == "classic" else ("v1", edge_start_sid(exchange))
        if found is None or found[1] is None:
            key = f"no-sid-{next(self._unnamed)}"
            session = self._keep(CapturedSession(key, None))
            session.notes.append(_no_sid_note(exchange))
            return session
        sid = found[1]
        if sid in self.sessions:
            self.sessions[sid].notes.append(f"a second sessionStart answered with sid {sid}; "
                                            "it starts the session over")
        return self._keep(CapturedSession(sid, sid))

    def _session_for(self, sid: str) -> CapturedSession:
        session = self.sessions.get(sid)
        if session is None:
            session = self._keep(CapturedSession(sid, sid))
            session.notes.append("the capture begins mid-session: no sessionStart was seen "
                                 "for this sid, so the first events are judged without it")
        return session

    def _keep(self, session: CapturedSession) -> CapturedSession:
        self.sessions.pop(session.key, None)
        self.sessions[session.key] = session
        while len(self.sessions) > self._max:
            del self.sessions[next(iter(self.sessions))]
        return session

    @staticmethod
    def _judge(session: CapturedSession, exchange: Exchange,
               bodies: list[Any] | None = None) -> None:
        events = bodies or [exchange.body_json()]  # an Edge statesUpdate may hold several
        session.exchanges.append(exchange)
        exchange.findings = [f for body in events for f in session.advisor.advise(body)]
        if exchange.state is not ExchangeState.DONE:
            return
        if exchange.ok and session.sid:
            for body in events:
                if isinstance(body, dict):
                    session.report.add(body)
        elif exchange.status in (404, 410):
            session.advisor.session_gone(exchange.status)


def _no_sid_note(exchange: Exchange) -> str:
    if exchange.status is None:
        return "the sessionStart got no response, so no sid (spec §1.4)"
    if not exchange.ok:
        return f"the sessionStart was answered {exchange.status}, so no session began (§1.3)"
    if exchange.dialect == "edge":
        return ("the sessionStart's answer has no media-analytics:new-session handle with "
                "payload[0].sessionId, so no sid (spec §9)")
    return ("the sessionStart's answer has no usable Location header, so no sid "
            "(spec §1.4: Location: /api/v1/sessions/{sid})")


@dataclass
class CaptureLog:
    """Every captured exchange (the newest :data:`MAX_KEPT`, for exports) and the analyzer
    that judged them; what ``listen`` and the window's Listen target fill."""

    analyzer: CaptureAnalyzer = field(default_factory=CaptureAnalyzer)
    exchanges: list[Exchange] = field(default_factory=list)

    def record(self, exchange: Exchange) -> CapturedSession | None:
        """Keep and judge one exchange; its session, or None for a non-API call."""
        self.exchanges.append(exchange)
        if len(self.exchanges) > MAX_KEPT:
            del self.exchanges[: len(self.exchanges) - MAX_KEPT]
        return self.analyzer.add(exchange)
