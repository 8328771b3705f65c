"""Exchanges as plain JSON-ready dicts and back; the JSON document of a whole run."""

from __future__ import annotations

import base64
from typing import Any, Iterable, Mapping

from .. import __version__
from ..exchange import ErrorKind, Exchange, ExchangeState
from ..findings import Finding, Severity
from .redact import Redactor

__all__ = ["exchange_to_dict", "exchange_from_dict", "finding_to_dict", "run_document",
           "body_text", "edge_fields", "RUN_FORMAT"]

RUN_FORMAT = "media-inspector-run"


def body_text(raw: bytes) -> dict[str, str]:
    """``{"text": ...}`` for UTF-8 bodies, ``{"base64": ...}`` for anything else."""
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode("ascii")}


def _body_bytes(data: Mapping[str, str]) -> bytes:
    if "base64" in data:
        return base64.b64decode(data["base64"])
    return str(data.get("text", "")).encode("utf-8")


def finding_to_dict(finding: Finding) -> dict[str, str]:
    return {"code": finding.code, "severity": finding.severity.value,
            "message": finding.message, "spec": finding.spec}


def exchange_to_dict(exchange: Exchange, *, redact: bool = False) -> dict[str, Any]:
    """Every field of an exchange as JSON-ready data (bodies as text or base64)."""
    if redact:
        exchange = Redactor([exchange]).exchange(exchange)
    request = exchange.request_body
    return {
        "seq": exchange.seq, "channel": exchange.channel, "attempt": exchange.attempt,
        "method": exchange.method, "url": exchange.url, "eventType": exchange.event_type,
        "state": exchange.state.value, "status": exchange.status,
        "sid": exchange.sid, "apiVersion": exchange.api_version,
        "playhead": exchange.playhead, "ts": exchange.ts,
        "queuedAt": exchange.queued_at, "startedAt": exchange.started_at,
        "durationMs": exchange.duration_ms,
        "error": exchange.error,
        "errorKind": exchange.error_kind.name if exchange.error_kind else None,
        "requestHeaders": [list(h) for h in exchange.request_headers],
        "requestBody": body_text(request),
        "responseHeaders": [list(h) for h in exchange.response_headers],
        "responseBody": body_text(exchange.response_body),
        "findings": [finding_to_dict(f) for f in exchange.findings],
        **({"chaos": exchange.chaos} if exchange.chaos else {}),  # inspector/chaos/
        # The body was cut to RESPONSE_BODY_LIMIT: its full length, only when it was cut.
        **({"responseTruncated": exchange.response_truncated}
           if exchange.response_truncated else {}),
        **edge_fields(exchange),
    }


def edge_fields(exchange: Exchange) -> dict[str, Any]:
    """A Media Edge exchange's extras (spec §9): its dialect, the classic event it was made
    from and the fields a problem named; nothing for a classic one (older files unchanged)."""
    if exchange.dialect == "classic":
        return {}
    extra: dict[str, Any] = {"dialect": exchange.dialect}
    if exchange.classic_body is not None:
        extra["classicBody"] = body_text(exchange.classic_body)
    if exchange.field_errors:
        extra["fieldErrors"] = [{"name": k, "reason": r} for k, r in exchange.field_errors]
    return extra


def exchange_from_dict(data: Mapping[str, Any]) -> Exchange:
    """The inverse of :func:`exchange_to_dict` (for reopening stored runs)."""
    kind = data.get("errorKind")
    return Exchange(
        seq=int(data["seq"]), method=data.get("method", "POST"), url=data.get("url", ""),
        event_type=data.get("eventType", "?"),
        request_body=_body_bytes(data.get("requestBody", {})),
        request_headers=[(str(k), str(v)) for k, v in data.get("requestHeaders", [])],
        channel=int(data.get("channel", 0)), state=ExchangeState(data.get("state", "done")),
        status=data.get("status"),
        response_headers=[(str(k), str(v)) for k, v in data.get("responseHeaders", [])],
        response_body=_body_bytes(data.get("responseBody", {})),
        sid=data.get("sid"), api_version=data.get("apiVersion"),
        queued_at=float(data.get("queuedAt") or 0.0), started_at=data.get("startedAt"),
        duration_ms=data.get("durationMs"), error=data.get("error"),
        error_kind=ErrorKind[kind] if kind else None, attempt=int(data.get("attempt", 1)),
        playhead=data.get("playhead"), ts=data.get("ts"),
        response_truncated=data.get("responseTruncated"),
        chaos=data.get("chaos"),
        dialect=str(data.get("dialect", "classic")),
        classic_body=_body_bytes(data["classicBody"]) if "classicBody" in data else None,
        field_errors=[(str(f.get("name", "")), str(f.get("reason", "")))
                      for f in data.get("fieldErrors", []) if isinstance(f, Mapping)],
        findings=[Finding(f["code"], Severity(f["severity"]), f.get("message", ""),
                          f.get("spec", "")) for f in data.get("findings", [])],
    )


def run_document(exchanges: Iterable[Exchange], *, report: Mapping[str, Any] | None = None,
                 meta: Mapping[str, Any] | None = None, redact: bool = False,
                 version: str = __version__) -> dict[str, Any]:
    """The JSON export of a whole run: metadata, every exchange and the report."""
    items, run, summary = list(exchanges), dict(meta or {}), report
    if redact:
        redactor = Redactor(items)
        items, run = redactor.exchanges(items), redactor.tree(run)
        summary = None if report is None else redactor.tree(dict(report))
    return {
        "format": RUN_FORMAT, "formatVersion": 1, "creator": {"name": "media-inspector",
                                                             "version": version},
        "run": run,
        "exchanges": [exchange_to_dict(e) for e in items],
        "report": None if summary is None else dict(summary),
    }
