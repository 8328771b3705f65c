"""Realistic log rows for the log tests: httpx-style headers, a finding on every 20th row."""

from __future__ import annotations

import json

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Finding, Severity

EVENTS = ("ping", "play", "adStart", "pauseStart", "bitrateChange")
AD = Finding("AD_OUTSIDE_BREAK", Severity.ERROR, "ad event with no open ad break", "§3.1 rule 2")


def exchange(i: int, state: ExchangeState = ExchangeState.DONE) -> Exchange:
    """Row ``i``: events in turn, 400 on every 10th, AD_OUTSIDE_BREAK on every 20th."""
    event = EVENTS[i % len(EVENTS)]
    body = json.dumps({"eventType": event, "playerTime": {"playhead": i, "ts": 1767225600000 + i},
                       "qoeData": {"media.qoe.bitrate": 35000}}).encode()
    e = Exchange(seq=i + 1, method="POST", url="http://127.0.0.1:8080/api/v1/sessions/s1/events",
                 event_type=event, request_body=body,
                 request_headers=[("host", "127.0.0.1:8080"), ("accept", "*/*"),
                                  ("accept-encoding", "gzip, deflate"),
                                  ("connection", "keep-alive"),
                                  ("user-agent", "python-httpx/0.28.1"),
                                  ("content-type", "application/json"),
                                  ("content-length", str(len(body)))],
                 channel=i % 3, state=state, playhead=float(i), ts=1767225600000 + i,
                 queued_at=1767225600.0 + i / 100, sid="s1", api_version="v1")
    if state is ExchangeState.DONE:
        e.status = 400 if i % 10 == 0 else 204
        e.duration_ms = 1.0 + i % 7
        e.response_headers = [("Access-Control-Allow-Origin", "*"),
                              ("Date", "Tue, 01 Dec 2026 10:00:00 GMT"),
                              ("Server", "Python/3.11 aiohttp/3.10"), ("Content-Length", "0")]
    if i % 20 == 0:
        e.findings = [AD]
    return e
