"""HAR 1.2 from Exchanges: one entry per exchange, timings, findings in ``_findings``.

HAR lets tools add fields whose names start with an underscore; ours are ``_findings``,
``_seq``, ``_channel``, ``_state``, ``_sid``, ``_attempt`` and ``_error``.
"""

from __future__ import annotations

from datetime import datetime, UTC
from http import HTTPStatus
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlsplit

from .. import __version__
from ..exchange import Exchange
from .records import finding_to_dict
from .redact import Redactor

__all__ = ["har_entry", "har_log"]


def _iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _headers(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "value": v} for k, v in pairs]


def _header(pairs: list[tuple[str, str]], name: str, default: str = "") -> str:
    return next((v for k, v in pairs if k.lower() == name.lower()), default)


def _status_text(status: int | None) -> str:
    if status is None:
        return ""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _request(exchange: Exchange, body: bytes) -> dict[str, Any]:
    mime = _header(exchange.request_headers, "content-type", "application/json")
    return {
        "method": exchange.method, "url": exchange.url, "httpVersion": "HTTP/1.1",
        "cookies": [], "headers": _headers(exchange.request_headers),
        "queryString": [{"name": k, "value": v}
                        for k, v in parse_qsl(urlsplit(exchange.url).query)],
        "postData": {"mimeType": mime, "text": body.decode("utf-8", "replace")},
        "headersSize": -1, "bodySize": len(body),
    }


def _response(exchange: Exchange) -> dict[str, Any]:
    body = exchange.response_body
    content: dict[str, Any] = {"size": len(body),
                               "mimeType": _header(exchange.response_headers, "content-type")}
    if body:
        content["text"] = body.decode("utf-8", "replace")
    if exchange.response_truncated:  # HAR's size is the body's length; the text is a prefix
        content["size"] = exchange.response_truncated
        content["comment"] = (f"cut by Media Inspector to its first {len(body):,} of "
                              f"{exchange.response_truncated:,} bytes")
    response: dict[str, Any] = {
        # HAR: status 0 when no response was received.
        "status": exchange.status or 0, "statusText": _status_text(exchange.status),
        "httpVersion": "HTTP/1.1" if exchange.status else "", "cookies": [],
        "headers": _headers(exchange.response_headers), "content": content,
        "redirectURL": "", "headersSize": -1, "bodySize": len(body) if exchange.status else -1,
    }
    if exchange.error:
        response["_error"] = exchange.error
    return response


def har_entry(exchange: Exchange, *, redact: bool = False) -> dict[str, Any]:
    """One HAR entry; the whole duration is ``wait`` (httpx gives us no finer split)."""
    if redact:
        exchange = Redactor([exchange]).exchange(exchange)
    body = exchange.request_body
    started = exchange.started_at if exchange.started_at is not None else exchange.queued_at
    wait = round(exchange.duration_ms, 3) if exchange.duration_ms is not None else 0
    entry: dict[str, Any] = {
        "startedDateTime": _iso(started), "time": wait,
        "request": _request(exchange, body), "response": _response(exchange),
        "cache": {},
        "timings": {"blocked": -1, "dns": -1, "connect": -1, "send": 0, "wait": wait,
                    "receive": 0, "ssl": -1},
        "_seq": exchange.seq, "_channel": exchange.channel, "_attempt": exchange.attempt,
        "_state": exchange.state.value, "_sid": exchange.sid,
        "_findings": [finding_to_dict(f) for f in exchange.findings],
    }
    if exchange.error:
        entry["_error"] = exchange.error
    if exchange.chaos:  # what client-side delivery chaos did to it (inspector/chaos/)
        entry["_chaos"] = exchange.chaos
    if exchange.dialect != "classic":  # spec §9: the Edge call's classic event and fields
        entry["_dialect"] = exchange.dialect
        if exchange.classic_body is not None:
            entry["_classicBody"] = exchange.classic_body.decode("utf-8", "replace")
        if exchange.field_errors:
            entry["_fieldErrors"] = [{"name": k, "reason": r} for k, r in exchange.field_errors]
    return entry


def har_log(exchanges: Iterable[Exchange], *, redact: bool = False,
            version: str = __version__, comment: str = "") -> dict[str, Any]:
    """``{"log": ...}``: a HAR 1.2 document with one entry per exchange, in order."""
    items = list(exchanges)
    if redact:  # one redactor for all: an id learned in one entry is replaced in every one
        redactor = Redactor(items)
        items, comment = redactor.exchanges(items), redactor.text(comment)
    log: dict[str, Any] = {
        "version": "1.2",
        "creator": {"name": "media-inspector", "version": version},
        "entries": [har_entry(e) for e in items],
    }
    if comment:
        log["comment"] = comment
    return {"log": log}
