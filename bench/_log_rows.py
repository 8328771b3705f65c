"""Realistic log rows for the UI benchmarks: what a live session really records.

httpx-style request headers, aiohttp-style response headers, a full event body, and a
finding on every 20th row (the issue's "realistic rows").
"""

from __future__ import annotations

import json

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Finding, Severity

EVENTS = ("ping", "ping", "ping", "play", "bitrateChange", "pauseStart", "adStart", "adComplete")
AD = Finding("AD_OUTSIDE_BREAK", Severity.ERROR,
             "adStart was sent outside an ad break: Adobe ignores the ad", "§3.1 rule 2")
SID = "9f0c6a1d2b3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a"


def realistic(i: int, t0: float = 1767225600.0) -> Exchange:
    """Row ``i`` of a long session: answered, headers and all."""
    event = EVENTS[i % len(EVENTS)]
    body = json.dumps({"eventType": event,
                       "playerTime": {"playhead": i * 0.5, "ts": int((t0 + i) * 1000)},
                       "qoeData": {"media.qoe.bitrate": 35000 + i % 7 * 1000,
                                   "media.qoe.droppedFrames": i % 3}}).encode()
    url = f"http://127.0.0.1:52731/api/v1/sessions/{SID}/events"
    e = Exchange(
        seq=i + 1, method="POST", url=url, event_type=event, request_body=body,
        request_headers=[("host", "127.0.0.1:52731"), ("accept", "*/*"),
                         ("accept-encoding", "gzip, deflate, br, zstd"),
                         ("connection", "keep-alive"), ("user-agent", "python-httpx/0.28.1"),
                         ("content-type", "application/json"),
                         ("content-length", str(len(body)))],
        state=ExchangeState.DONE, status=204,
        response_headers=[("Access-Control-Allow-Origin", "*"),
                          ("Access-Control-Expose-Headers", "Location"),
                          ("Date", f"Tue, 01 Dec 2026 10:{i // 60 % 60:02d}:{i % 60:02d} GMT"),
                          ("Server", "Python/3.11 aiohttp/3.11.18"), ("Content-Length", "0")],
        sid=SID, api_version="v1", queued_at=t0 + i, started_at=t0 + i,
        duration_ms=0.8 + (i % 13) / 10, playhead=i * 0.5, ts=int((t0 + i) * 1000))
    if i % 20 == 0:
        e.findings = [AD]
    return e


def plain_match(exchanges: list[Exchange], needle: str) -> list[int]:
    """The sceptic's baseline: a plain loop matching the log's fields of each exchange."""
    return [i for i, e in enumerate(exchanges)
            if needle in f"{e.seq}\n{e.queued_at}\n{e.event_type}\n{e.playhead}\n{e.ts}\n"
                         f"{e.status}\n{e.duration_ms}\n"
                         f"{', '.join(f.code for f in e.findings) or e.error}".lower()]
