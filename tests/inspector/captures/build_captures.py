"""Builds the HAR fixtures beside this file, each in the shape one tool writes.

Run it by hand (``python tests/inspector/captures/build_captures.py``) after changing it;
the tests read the committed files, never this script. The shapes follow each tool's own
documentation and exports:

- Chrome DevTools (Network → Export HAR): creator ``WebInspector``, ``pages``, entries
  with ``_initiator``, ``_priority``, ``_resourceType`` (``fetch``, ``preflight``),
  HTTP/2 pseudo-headers (``:authority``...) in lower case, ``redirectURL`` holding the
  Location, ``_transferSize``, ``_error``, ``timings._blocked_queueing``.
- Firefox DevTools (Save All As HAR): creator ``Firefox``, ``browser``, ``postData.params``
  (empty) next to ``text``, a blocked request with ``status: 0`` and no headers.
- Charles Proxy (File → Export Session → HAR): creator ``Charles Proxy``, every response
  body base64 (``content.encoding``), ``comment`` fields, one request repeated (Repeat).
- Proxyman (Export → HAR): creator ``Proxyman``, entries in the order the flows were
  listed rather than by time, one flow whose request body was not kept.
- mitmproxy (``mitmdump --set hardump=FILE``): creator ``mitmproxy``, ISO times with
  microseconds and ``+00:00``, ``serverIPAddress``, base64 only for binary bodies, two
  players' sessions interleaved.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, UTC
from pathlib import Path
from typing import Any

from inspector.protocol.bodies import sample_body

HERE = Path(__file__).resolve().parent
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
TS0 = int(T0.timestamp() * 1000)
HOST = "https://example.hb-api.omtrdc.net"


def _sid(n: int) -> str:
    return f"{n:02d}" * 32


def _body(kind: str, at: float, playhead: float, **params: Any) -> dict[str, Any]:
    body = sample_body(kind, ts=TS0 + round(at * 1000), playhead=playhead)
    if params:
        body.setdefault("params", {}).update(params)
    return body


def _ad_timeline() -> list[tuple[str, float, float, dict[str, Any]]]:
    """A clean session: pre-roll break with one ad, content, pings on the 10 s grid."""
    return [("sessionStart", 0, 0, {}), ("adBreakStart", 0.1, 0, {}),
            ("adStart", 0.2, 0, {}), ("ping", 1, 0, {}), ("adComplete", 1.5, 0, {}),
            ("adBreakComplete", 1.6, 0, {}), ("play", 1.7, 0, {}), ("ping", 10, 8.3, {}),
            ("ping", 20, 18.3, {}), ("sessionComplete", 25, 23.3, {}),
            ("sessionEnd", 25.1, 23.3, {})]


def _ad_outside_break() -> list[tuple[str, float, float, dict[str, Any]]]:
    return [("sessionStart", 0, 0, {}), ("play", 0.5, 0, {}), ("ping", 10, 9.5, {}),
            ("adStart", 12, 11.5, {}), ("adComplete", 17, 11.5, {}), ("play", 17.1, 11.5, {}),
            ("ping", 20, 14.4, {}), ("sessionEnd", 25, 19.4, {})]


def _time(at: float) -> str:
    return (T0 + timedelta(seconds=at)).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _entries(timeline: list[tuple[str, float, float, dict[str, Any]]], sid: str,
             shape: Any) -> list[dict[str, Any]]:
    out = []
    for kind, at, playhead, params in timeline:
        body = _body(kind, at, playhead, **params)
        path = "/api/v1/sessions" if kind == "sessionStart" else \
            f"/api/v1/sessions/{sid}/events"
        status = 201 if kind == "sessionStart" else 204
        location = f"/api/v1/sessions/{sid}" if kind == "sessionStart" else ""
        out += shape(at, path, json.dumps(body, separators=(",", ":")), status, location)
    return out


def _cors(location: str) -> list[dict[str, str]]:
    headers = [{"name": "access-control-allow-origin", "value": "*"},
               {"name": "access-control-expose-headers", "value": "Location"}]
    if location:
        headers.append({"name": "location", "value": location})
    return headers


def _chrome(at: float, path: str, text: str, status: int, location: str) -> list[Any]:
    def entry(method: str, kind: str, when: float, code: int, headers: list[Any],
              post: dict[str, Any] | None) -> dict[str, Any]:
        request: dict[str, Any] = {
            "method": method, "url": HOST + path, "httpVersion": "http/2.0",
            "headers": [{"name": ":authority", "value": HOST.split("//")[1]},
                        {"name": ":method", "value": method}, {"name": ":path", "value": path},
                        {"name": ":scheme", "value": "https"},
                        {"name": "origin", "value": "https://player.example"},
                        {"name": "content-type", "value": "application/json"}],
            "queryString": [], "cookies": [], "headersSize": -1, "bodySize": len(text)}
        if post:
            request["postData"] = post
        return {"_initiator": {"type": "script"}, "_priority": "High",
                "_resourceType": kind, "cache": {}, "connection": "443", "pageref": "page_1",
                "request": request,
                "response": {"status": code, "statusText": "", "httpVersion": "http/2.0",
                             "headers": _cors(location), "cookies": [],
                             "content": {"size": 0, "mimeType": "x-unknown"},
                             "redirectURL": location, "headersSize": -1, "bodySize": 0,
                             "_transferSize": 120, "_error": None},
                "serverIPAddress": "192.0.2.10", "startedDateTime": _time(when),
                "time": 41.7, "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1,
                                          "send": 0.1, "wait": 40.1, "receive": 0.3,
                                          "_blocked_queueing": 0.8}}

    preflight = entry("OPTIONS", "preflight", at - 0.05, 204, [], None)
    return [preflight, entry("POST", "fetch", at, status, [],
                             {"mimeType": "application/json", "text": text})]


def _firefox(at: float, path: str, text: str, status: int, location: str) -> list[Any]:
    headers = [{"name": "Location", "value": location}] if location else []
    return [{"pageref": "page_1", "startedDateTime": _time(at), "time": 38,
             "request": {"bodySize": len(text), "method": "POST", "url": HOST + path,
                         "httpVersion": "HTTP/2", "headers": [
                             {"name": "Host", "value": HOST.split("//")[1]},
                             {"name": "Content-Type", "value": "application/json"}],
                         "cookies": [], "queryString": [], "headersSize": 410,
                         "postData": {"mimeType": "application/json", "params": [],
                                      "text": text}},
             "response": {"status": status, "statusText": "", "httpVersion": "HTTP/2",
                          "headers": headers, "cookies": [],
                          "content": {"mimeType": "", "size": 0, "text": ""},
                          "redirectURL": "", "headersSize": 300, "bodySize": 0},
             "cache": {}, "timings": {"blocked": 0, "dns": 0, "connect": 0, "ssl": 0,
                                      "send": 0, "wait": 38, "receive": 0},
             "serverIPAddress": "192.0.2.10", "connection": "443"}]


def _charles(at: float, path: str, text: str, status: int, location: str) -> list[Any]:
    headers = [{"name": "Location", "value": location}] if location else []
    return [{"startedDateTime": _time(at).replace("Z", "+00:00"), "time": 52,
             "request": {"method": "POST", "url": HOST + path, "httpVersion": "HTTP/1.1",
                         "cookies": [], "headers": [
                             {"name": "Content-Type", "value": "application/json"}],
                         "queryString": [], "headersSize": 250, "bodySize": len(text),
                         "postData": {"mimeType": "application/json", "text": text}},
             "response": {"_charlesStatus": "COMPLETE", "status": status,
                          "statusText": "Created" if status == 201 else "No Content",
                          "httpVersion": "HTTP/1.1", "cookies": [], "headers": headers,
                          "content": {"size": 0, "mimeType": "application/octet-stream",
                                      "text": base64.b64encode(b"").decode(),
                                      "encoding": "base64"},
                          "redirectURL": None, "headersSize": 180, "bodySize": 0},
             "serverIPAddress": "192.0.2.10", "cache": {},
             "timings": {"dns": -1, "connect": -1, "ssl": -1, "send": 1, "wait": 50,
                         "receive": 1}, "comment": ""}]


def _proxyman(at: float, path: str, text: str, status: int, location: str) -> list[Any]:
    headers = [{"name": "Location", "value": location}] if location else []
    return [{"startedDateTime": _time(at), "time": 47, "_id": f"flow-{at}",
             "request": {"method": "POST", "url": HOST + path, "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Content-Type", "value": "application/json"}],
                         "queryString": [], "cookies": [], "headersSize": -1,
                         "bodySize": len(text),
                         "postData": {"mimeType": "application/json", "text": text}},
             "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                          "headers": headers, "cookies": [],
                          "content": {"size": 0, "mimeType": "", "text": ""},
                          "redirectURL": "", "headersSize": -1, "bodySize": 0},
             "cache": {}, "timings": {"send": 0, "wait": 47, "receive": 0}}]


def _mitmproxy(at: float, path: str, text: str, status: int, location: str) -> list[Any]:
    headers = [{"name": "Location", "value": location}] if location else []
    when = (T0 + timedelta(seconds=at)).isoformat(timespec="microseconds")
    return [{"startedDateTime": when, "time": 33.52,
             "request": {"method": "POST", "url": HOST + path, "httpVersion": "HTTP/1.1",
                         "cookies": [], "headers": [
                             {"name": "content-type", "value": "application/json"},
                             {"name": "content-length", "value": str(len(text))}],
                         "queryString": [], "headersSize": 212, "bodySize": len(text),
                         "postData": {"mimeType": "application/json", "text": text}},
             "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                          "cookies": [], "headers": headers,
                          "content": {"size": 0, "compression": 0, "mimeType": "",
                                      "text": ""},
                          "redirectURL": location, "headersSize": 120, "bodySize": 0},
             "cache": {}, "timings": {"connect": -1, "ssl": -1, "send": 0.2, "receive": 0.1,
                                      "wait": 33.2},
             "serverIPAddress": "192.0.2.10"}]


def _har(creator: dict[str, str], entries: list[Any], **extra: Any) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": creator, **extra, "entries": entries}}


def build() -> dict[str, dict[str, Any]]:
    page = {"pages": [{"startedDateTime": _time(-1), "id": "page_1", "title": "player",
                       "pageTimings": {"onContentLoad": 300, "onLoad": 500}}]}
    chrome = _entries(_ad_outside_break(), _sid(1), _chrome)
    firefox = _entries(_ad_timeline(), _sid(2), _firefox)
    firefox.insert(3, {**_firefox(0.9, f"/api/v1/sessions/{_sid(2)}/events",
                                  json.dumps(_body("ping", 0.9, 0)), 0, "")[0],
                       "response": {"status": 0, "statusText": "", "httpVersion": "",
                                    "headers": [], "cookies": [], "content": {
                                        "size": 0, "mimeType": ""}, "redirectURL": "",
                                    "headersSize": -1, "bodySize": -1}})
    charles = _entries(_ad_timeline()[:8] + [("ping", 20, 18.3, {"media.id": "x"}),
                                             *_ad_timeline()[9:]], _sid(3), _charles)
    refused = charles[8]["response"]  # the ping with params: Adobe answers 400 (spec §1.3)
    refused.update(status=400, statusText="Bad Request", content={
        "size": 44, "mimeType": "application/json", "encoding": "base64",
        "text": base64.b64encode(b'{"message": "ping takes no params"}').decode()})
    charles.insert(3, json.loads(json.dumps(charles[2])))  # Repeat: the same call twice
    proxyman = _entries(_ad_timeline(), _sid(4), _proxyman)
    proxyman[2], proxyman[3] = proxyman[3], proxyman[2]  # listed, not time, order
    del proxyman[7]["request"]["postData"]  # the body was not kept for this flow
    first = _entries(_ad_timeline(), _sid(5), _mitmproxy)
    second = _entries([(k, at + 0.3, ph, p) for k, at, ph, p in _ad_outside_break()],
                      _sid(6), _mitmproxy)
    mitm = sorted(first + second, key=lambda e: e["startedDateTime"])
    return {
        "chrome-devtools.har": _har({"name": "WebInspector", "version": "537.36"}, chrome,
                                    **page),
        "firefox-devtools.har": _har({"name": "Firefox", "version": "133.0"}, firefox,
                                     browser={"name": "Firefox", "version": "133.0"}, **page),
        "charles.har": _har({"name": "Charles Proxy", "version": "4.6.6"}, charles),
        "proxyman.har": _har({"name": "Proxyman", "version": "5.10.0"}, proxyman),
        "mitmproxy-hardump.har": _har({"name": "mitmproxy", "version": "11.0.0",
                                       "comment": "mitmproxy version mitmproxy 11.0.0"},
                                      mitm),
    }


if __name__ == "__main__":
    for name, document in build().items():
        (HERE / name).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        print("wrote", HERE / name)
