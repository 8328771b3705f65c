"""Builds ``edge-websdk.har``: a Media Edge session as Chrome DevTools saves what Adobe's Web
SDK sends (spec §9, "What Adobe's Web SDK actually sends").

Run it by hand after changing it; the tests read the committed file. The shape: the
sessionStart inside ``POST /ee/v1/interact?configId=…`` with the SDK's ``meta``/``query``
blocks, every later event as a ``text/plain`` POST to ``/ee/or2/va/v1/{event}`` carrying
``mediaCollection.sessionID``, answers echoing the Origin with credentials. The player sends
an ad with no ad break open (``adStart`` after ``play``), which Adobe ignores (§3.1 rule 2).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, UTC
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
EDGE = "https://edge.adobedc.net"
ORIGIN = "https://player.example.com"
CONFIG = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
SID = "c3" * 32


def _stamp(at: float) -> str:
    return (T0 + timedelta(seconds=at)).isoformat(timespec="milliseconds").replace("+00:00",
                                                                                   "Z")


def _xdm(event: str, at: float, playhead: int, **details: Any) -> dict[str, Any]:
    mc: dict[str, Any] = {"playhead": playhead, **details}
    if event != "sessionStart":
        mc["sessionID"] = SID
    return {"xdm": {"eventType": f"media.{event}", "timestamp": _stamp(at),
                    "mediaCollection": mc}}


_SESSION = {"name": "ep-0042", "friendlyName": "Demo episode", "length": 1815,
            "contentType": "vod", "playerName": "html5-player", "channel": "demo-web"}
_AD = {"name": "spot-77", "friendlyName": "Spring sale", "length": 5, "podPosition": 1,
       "playerName": "html5-player"}
STEPS: list[tuple[str, float, int, dict[str, Any]]] = [
    ("sessionStart", 0, 0, {"sessionDetails": _SESSION}),
    ("play", 0.5, 0, {}), ("ping", 10.5, 10, {}),
    ("adStart", 12, 12, {"advertisingDetails": _AD}),  # no adBreakStart before it
    ("ping", 13, 12, {}), ("adComplete", 17, 12, {}), ("play", 17.1, 12, {}),
    ("ping", 27.1, 22, {}), ("sessionEnd", 30, 25, {}),
]


def _headers(pairs: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs.items()]


def _entry(event: str, at: float, playhead: int, details: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"events": [_xdm(event, at, playhead, **details)]}
    if event == "sessionStart":
        url = f"{EDGE}/ee/v1/interact?configId={CONFIG}&requestId=7f3e2a10"
        body["meta"] = {"state": {"domain": "example.com", "cookiesEnabled": True}}
        body["query"] = {"identity": {"fetch": ["ECID"]}}
        answer = {"requestId": "7f3e2a10", "handle": [
            {"payload": [{"scope": "EdgeNetwork", "hint": "or2", "ttlSeconds": 1800}],
             "type": "locationHint:result"},
            {"payload": [{"sessionId": SID}], "type": "media-analytics:new-session",
             "eventIndex": 0}]}
        status, text, mime = 200, json.dumps(answer), "application/json"
    else:
        url = f"{EDGE}/ee/or2/va/v1/{event}?configId={CONFIG}"
        status, text, mime = 204, "", "x-unknown"
    posted = json.dumps(body, separators=(",", ":"))
    return {
        "_initiator": {"type": "script"}, "_priority": "High", "_resourceType": "fetch",
        "cache": {}, "connection": "443", "startedDateTime": _stamp(at), "time": 41.2,
        "request": {"method": "POST", "url": url, "httpVersion": "http/2.0",
                    "headers": _headers({":authority": "edge.adobedc.net", ":method": "POST",
                                         "content-type": "text/plain;charset=UTF-8",
                                         "origin": ORIGIN}),
                    "queryString": [], "cookies": [], "headersSize": -1,
                    "bodySize": len(posted),
                    "postData": {"mimeType": "text/plain;charset=UTF-8", "text": posted}},
        "response": {"status": status, "statusText": "", "httpVersion": "http/2.0",
                     "headers": _headers({"access-control-allow-origin": ORIGIN,
                                          "access-control-allow-credentials": "true"}),
                     "cookies": [], "content": {"size": len(text), "mimeType": mime,
                                                **({"text": text} if text else {})},
                     "redirectURL": "", "headersSize": -1, "bodySize": len(text),
                     "_transferSize": 120 + len(text), "_error": None},
        "serverIPAddress": "192.0.2.10",
        "timings": {"blocked": 1.1, "dns": -1, "ssl": -1, "connect": -1, "send": 0.2,
                    "wait": 39.0, "receive": 0.9, "_blocked_queueing": 0.6},
    }


def build() -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                    "pages": [], "entries": [_entry(*step) for step in STEPS]}}


if __name__ == "__main__":
    (HERE / "edge-websdk.har").write_text(json.dumps(build(), indent=2) + "\n",
                                          encoding="utf-8")
