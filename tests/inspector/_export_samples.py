"""Pinned exchanges, outcomes and JUnit cases for the export golden files (no clock, no network)."""

from __future__ import annotations

import json

from inspector.exchange import ErrorKind, Exchange, ExchangeState
from inspector.export import JUnitCase
from inspector.findings import Finding, Severity
from inspector.scenarios.outcome import ExpectationResult, ScenarioOutcome

SID = "0123456789abcdef" * 4
BASE = "http://127.0.0.1:8080/api/v1/sessions"
T0 = 1767225600.0  # 2026-01-01T00:00:00Z
REQ_HEADERS = [("host", "127.0.0.1:8080"), ("accept", "*/*"),
               ("content-type", "application/json"), ("user-agent", "pinned/1.0")]
CORS = [("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "OPTIONS,POST,PUT"),
        ("Access-Control-Allow-Headers", "Content-Type"),
        ("Access-Control-Expose-Headers", "Location")]
START_PARAMS = {
    "analytics.trackingServer": "metrics.example.org", "analytics.reportSuite": "demo-rs",
    "visitor.marketingCloudOrgId": "ABC123DEF456@AdobeOrg",
    "visitor.marketingCloudUserId": "ECID-0001", "analytics.visitorId": "VID-7",
    "visitor.customerIDs": {"crm": {"id": "cust-99", "authState": 1}},
    "appInstallationId": "install-5", "media.id": "ep-0042", "media.length": 60.33,
    "media.contentType": "vod", "media.playerName": "inspector-player",
    "media.channel": "demo-web", "media.name": "Caf\u00e9 d'\u00e9t\u00e9"}
IDENTIFIERS = ("ABC123DEF456@AdobeOrg", "ECID-0001", "VID-7", "cust-99", "install-5")


def _raw(body: dict) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def sample_exchanges() -> list[Exchange]:
    """sessionStart 201, an ad outside a break (204 + finding), a 400, and a refused call."""
    start = Exchange(
        seq=1, method="POST", url=BASE, event_type="sessionStart",
        request_body=_raw({"playerTime": {"playhead": 0, "ts": 1767225600000},
                           "eventType": "sessionStart", "params": START_PARAMS}),
        request_headers=REQ_HEADERS, channel=1, state=ExchangeState.DONE, status=201,
        response_headers=[("Location", f"/api/v1/sessions/{SID}"),
                          ("Content-Type", "application/octet-stream"),
                          ("Content-Length", "0"), *CORS],
        sid=SID, api_version="v1", queued_at=T0, started_at=T0 + 0.001, duration_ms=3.25,
        playhead=0, ts=1767225600000)
    ad = Exchange(
        seq=2, method="POST", url=f"{BASE}/{SID}/events", event_type="adStart",
        request_body=_raw({"playerTime": {"playhead": 5, "ts": 1767225605000},
                           "eventType": "adStart",
                           "params": {"media.ad.id": "ad-1", "media.ad.length": 15,
                                      "media.ad.podPosition": 1,
                                      "media.ad.playerName": "inspector-ads"}}),
        request_headers=REQ_HEADERS, channel=1, state=ExchangeState.DONE, status=204,
        response_headers=CORS, sid=SID, queued_at=T0 + 5, started_at=T0 + 5.002,
        duration_ms=1.5, playhead=5, ts=1767225605000,
        findings=[Finding("AD_OUTSIDE_BREAK", Severity.ERROR,
                          "adStart outside an ad break: send adBreakStart first",
                          "\u00a73.1 rule 2")])
    bad = Exchange(
        seq=3, method="POST", url=f"{BASE}/{SID}/events", event_type="ping",
        request_body=_raw({"playerTime": {"playhead": 10, "ts": 1767225610000},
                           "eventType": "ping", "params": {}}),
        request_headers=REQ_HEADERS, channel=1, state=ExchangeState.DONE, status=400,
        response_headers=[("Content-Type", "application/json"), *CORS],
        response_body=b'{"message":"ping must not have params"}', sid=SID,
        queued_at=T0 + 10, started_at=T0 + 10.001, duration_ms=2.0, playhead=10,
        ts=1767225610000)
    refused = Exchange(
        seq=4, method="POST", url=f"{BASE}/{SID}/events", event_type="sessionEnd",
        request_body=_raw({"playerTime": {"playhead": 12, "ts": 1767225612000},
                           "eventType": "sessionEnd"}),
        request_headers=REQ_HEADERS, channel=1, state=ExchangeState.FAILED, sid=SID,
        queued_at=T0 + 12, started_at=T0 + 12.0, duration_ms=0.75,
        error="cannot connect: connection refused", error_kind=ErrorKind.CONNECT,
        playhead=12, ts=1767225612000)
    return [start, ad, bad, refused]


def sample_outcomes() -> list[ScenarioOutcome]:
    """One passing scenario, one with unmet expectations, one that could not run."""
    exchanges = sample_exchanges()
    passed = ScenarioOutcome(
        name="timeline-1", source="assets/scenarios/timeline-1.yaml", duration_s=1.25,
        expectations=[ExpectationResult("status 201 for sessionStart", True),
                      ExpectationResult("no finding AD_OUTSIDE_BREAK", True)],
        exchanges=exchanges[:1])
    failed = ScenarioOutcome(
        name="ad-outside-break", source="ad.yaml", duration_s=0.5,
        expectations=[ExpectationResult("finding AD_OUTSIDE_BREAK", True),
                      ExpectationResult("report ads.started == 1", False, "got 0")],
        exchanges=exchanges[:3])
    broken = ScenarioOutcome(name="unreachable", source="far.yaml",
                             error="cannot connect to http://127.0.0.1:9: connection refused")
    return [passed, failed, broken]


def sample_cases() -> list[JUnitCase]:
    """The JUnit records :func:`sample_outcomes` converts to, written out by hand."""
    return [
        JUnitCase("timeline-1", "assets/scenarios/timeline-1.yaml", 1.25,
                  expectations=("ok   status 201 for sessionStart",
                                "ok   no finding AD_OUTSIDE_BREAK"),
                  summary=("events sent: 1", "statuses: 201: 1", "findings: none")),
        JUnitCase("ad-outside-break", "ad.yaml", 0.5,
                  expectations=("ok   finding AD_OUTSIDE_BREAK",
                                "FAIL report ads.started == 1 (got 0)"),
                  failed=("FAIL report ads.started == 1 (got 0)",),
                  summary=("events sent: 3", "statuses: 201: 1, 204: 1, 400: 1",
                           "findings: AD_OUTSIDE_BREAK x1")),
        JUnitCase("unreachable", "far.yaml",
                  error="cannot connect to http://127.0.0.1:9: connection refused",
                  summary=("events sent: 0", "statuses: none", "findings: none"))]
