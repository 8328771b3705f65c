"""The Exchange record: one request and what came back (or why nothing did)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .findings import Finding, Severity

__all__ = ["ExchangeState", "ErrorKind", "Exchange", "RESPONSE_BODY_LIMIT", "body_fields"]

# A response body is kept up to this many bytes (after Content-Encoding is decoded); the
# rest is read and counted, never kept, and the exchange says how long the body was.
# Media Collection answers are empty or a short JSON error, so only a hostile or wrong
# server reaches it.
RESPONSE_BODY_LIMIT = 64 * 1024


class ExchangeState(str, Enum):
    """Where an exchange is in its life."""

    QUEUED = "queued"  # waiting for the sid (sessionStart still pending)
    SENDING = "sending"  # on the wire
    DONE = "done"  # a response arrived (any status)
    FAILED = "failed"  # no usable response: network error, timeout, malformed reply
    UNSENT = "unsent"  # never sent: no session (sessionStart failed)
    DISCARDED = "discarded"  # the user dropped an unsent event


class ErrorKind(str, Enum):
    """Why an exchange has no usable response."""

    CONNECT = "connection refused"
    DNS = "DNS failure"
    TIMEOUT = "timeout"
    TLS = "TLS failure"
    PROTOCOL = "malformed response"
    NETWORK = "network error"
    LOCATION = "bad Location header"
    NO_SESSION = "no session"
    CANCELLED = "cancelled"  # the client was closed first (state FAILED)


@dataclass(eq=False)
class Exchange:
    """One call to the Media Collection API as the user sees it in the log."""

    seq: int
    method: str
    url: str
    event_type: str
    request_body: bytes
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    channel: int = 0  # which simulated session it belongs to
    state: ExchangeState = ExchangeState.QUEUED
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    response_truncated: int | None = None  # the body's full length when it was cut
    sid: str | None = None
    api_version: str | None = None
    queued_at: float = 0.0  # wall clock, seconds since the epoch
    started_at: float | None = None
    duration_ms: float | None = None
    error: str | None = None
    error_kind: ErrorKind | None = None
    attempt: int = 1
    playhead: float | None = None
    ts: int | None = None
    findings: list[Finding] = field(default_factory=list)
    chaos: str | None = None  # what a client-side chaos rule did to it (inspector/chaos/)
    # Spec §9: "edge" for a Media Edge call. Its request_body is the XDM body that went on
    # the wire; classic_body is the classic event it was made from (the Session's model).
    dialect: str = "classic"
    classic_body: bytes | None = None
    # The fields a Media Edge 400 problem or 207 names: (classic key, or the Edge JSONPath
    # when it maps to none, reason), e.g. ("media.ad.id", "Missing required field").
    field_errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def status_class(self) -> str:
        """'2xx', '4xx', ... for a status; the state name otherwise."""
        if self.status is None:
            return self.state.value
        return f"{self.status // 100}xx"

    @property
    def worst_severity(self) -> Severity | None:
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def body_json(self) -> Any:
        """The event as a classic body (an Edge call's classic event), or None if not JSON."""
        try:
            return json.loads(self.classic_body if self.classic_body is not None
                              else self.request_body)
        except ValueError:
            return None

    def response_header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == lname), None)


def body_fields(body: Any) -> tuple[str, float | None, int | None]:
    """(eventType, playhead, ts) of a decoded body, each None-safe for malformed bodies."""
    if not isinstance(body, dict):
        return "?", None, None
    event_type = body.get("eventType")
    pt = body.get("playerTime")
    ph = pt.get("playhead") if isinstance(pt, dict) else None
    ts = pt.get("ts") if isinstance(pt, dict) else None
    return (event_type if isinstance(event_type, str) else "?",
            ph if isinstance(ph, (int, float)) and not isinstance(ph, bool) else None,
            ts if isinstance(ts, int) and not isinstance(ts, bool) else None)
