"""HAR 1.2 captures (Chrome/Firefox DevTools, Charles, Proxyman, mitmproxy, our own) read
into Exchanges, with a plain note for everything messy about them.

Real captures are messy: bodies missing or base64-encoded, duplicate entries, entries out
of ``startedDateTime`` order, requests that never got a response. None of these is an
error of the player's, so none becomes a finding; each becomes a note, never a traceback.
Only a file that is not HAR at all is unreadable (:class:`CaptureError`).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..exchange import Exchange, ExchangeState, body_fields
from .edge import as_classic
from .paths import classify

__all__ = ["Capture", "CaptureError", "read_har", "parse_har"]


class CaptureError(Exception):
    """The file cannot be read as HAR; the message says why."""


@dataclass
class Capture:
    """A HAR file's calls in the order the player sent them, and notes about the file."""

    source: str
    creator: str = "?"
    exchanges: list[Exchange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: int = 0


def read_har(path: str | Path) -> Capture:
    """The capture in ``path``; CaptureError with the reason when it cannot be read."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CaptureError(exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise CaptureError(f"not UTF-8 text ({exc.reason} at byte {exc.start}), so not "
                           "HAR") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CaptureError(f"not JSON, so not HAR: {exc}") from exc
    return parse_har(data, str(path))


def parse_har(data: Any, source: str = "") -> Capture:
    """A decoded HAR document as a :class:`Capture` (CaptureError if it is not HAR)."""
    log = data.get("log") if isinstance(data, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(log, dict) or not isinstance(entries, list):
        raise CaptureError("not HAR: expected {\"log\": {\"entries\": [...]}} (HAR 1.2)")
    found = log.get("creator")
    creator: dict[str, Any] = found if isinstance(found, dict) else {}
    capture = Capture(source, f"{creator.get('name', '?')} {creator.get('version', '')}".strip(),
                      entries=len(entries))
    read = [_entry(i, e, capture.notes) for i, e in enumerate(entries)]
    kept = _without_duplicates([x for x in read if x is not None], capture.notes)
    capture.exchanges = _in_time_order(kept, capture.notes)
    return capture


def _text(obj: dict[str, Any], where: str, index: int, notes: list[str]) -> bytes | None:
    """A HAR body (``postData`` or ``content``): its text, base64-decoded if it says so."""
    text = obj.get("text")
    if not isinstance(text, str):
        return None
    if str(obj.get("encoding", obj.get("_encoding", ""))).lower() != "base64":
        return text.encode("utf-8")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        notes.append(f"entry {index + 1}: its {where} says base64 but is not; read as text")
        return text.encode("utf-8")


def _pairs(obj: Any) -> list[tuple[str, str]]:
    headers = obj.get("headers") if isinstance(obj, dict) else None
    if not isinstance(headers, list):
        return []
    return [(str(h.get("name", "")), str(h.get("value", ""))) for h in headers
            if isinstance(h, dict) and not str(h.get("name", "")).startswith(":")]


def _when(entry: dict[str, Any]) -> float | None:
    text = entry.get("startedDateTime")
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _entry(index: int, entry: Any, notes: list[str]) -> Exchange | None:
    request = entry.get("request") if isinstance(entry, dict) else None
    if not isinstance(request, dict) or not request.get("method") or not request.get("url"):
        notes.append(f"entry {index + 1} has no request method or URL; skipped")
        return None
    method, url = str(request["method"]).upper(), str(request["url"])
    call = classify(method, url)
    post = request.get("postData")
    body = _text(post, "request body", index, notes) if isinstance(post, dict) else None
    if call is not None and body is None:
        notes.append(f"entry {index + 1} ({method} {url}): the capture has no request body "
                     "(the tool did not save it), so it cannot be judged; skipped")
        return None
    exchange = Exchange(seq=index + 1, method=method, url=url, event_type="?",
                        request_body=body or b"", request_headers=_pairs(request))
    exchange.event_type, exchange.playhead, exchange.ts = body_fields(exchange.body_json())
    if call is not None and call.dialect == "edge":  # spec §9: the classic event it carries
        as_classic(exchange, call.path_event)
    started = _when(entry)
    if started is None:
        notes.append(f"entry {index + 1} has no readable startedDateTime; kept where the "
                     "file has it")
    exchange.queued_at = exchange.started_at = started if started is not None else 0.0
    elapsed = entry.get("time")
    if isinstance(elapsed, (int, float)) and not isinstance(elapsed, bool) and elapsed >= 0:
        exchange.duration_ms = float(elapsed)
    _response(index, entry, exchange, notes if call is not None else [])
    return exchange


def _response(index: int, entry: dict[str, Any], exchange: Exchange,
              notes: list[str]) -> None:
    response = entry.get("response")
    status = response.get("status") if isinstance(response, dict) else None
    if not isinstance(response, dict) or not isinstance(status, int) or status <= 0:
        # Chrome says why in _error (net::ERR_FAILED for a CORS refusal, ...).
        why = (response.get("_error") if isinstance(response, dict) else None) or \
            entry.get("_error")
        exchange.state = ExchangeState.FAILED
        exchange.error = f"no response in the capture{f' ({why})' if why else ''}"
        notes.append(f"entry {index + 1} ({exchange.event_type}): the request never got a "
                     f"response{f' ({why})' if why else ''}; judged as sent, not counted")
        return
    exchange.state, exchange.status = ExchangeState.DONE, status
    exchange.response_headers = _pairs(response)
    redirect = response.get("redirectURL")
    if exchange.response_header("Location") is None and isinstance(redirect, str) and redirect:
        exchange.response_headers.append(("Location", redirect))  # Chrome copies it there
    content = response.get("content")
    exchange.response_body = (_text(content, "response body", index, notes) or b"") if \
        isinstance(content, dict) else b""


def _without_duplicates(exchanges: list[Exchange], notes: list[str]) -> list[Exchange]:
    seen: dict[tuple[Any, ...], int] = {}
    kept = []
    for exchange in exchanges:
        # Two players can send the same body at the same millisecond: their answers differ.
        key = (exchange.started_at, exchange.method, exchange.url, exchange.request_body,
               exchange.status, exchange.response_header("Location"))
        if key in seen:
            notes.append(f"entry {exchange.seq} repeats entry {seen[key]} (same time, URL, "
                         "body and answer); the copy is ignored")
            continue
        seen[key] = exchange.seq
        kept.append(exchange)
    return kept


def _in_time_order(exchanges: list[Exchange], notes: list[str]) -> list[Exchange]:
    ordered = sorted(exchanges, key=lambda e: e.started_at or 0.0)  # stable: ties keep order
    moved = sum(a is not b for a, b in zip(ordered, exchanges, strict=True))
    if moved:
        notes.append(f"the entries are not in startedDateTime order ({moved} out of place); "
                     "they are judged in the order they were sent")
    return ordered
