"""The client's Media Edge dialect (spec §9): what a lane does differently for ``/ee/va/v1``.

A lane queues classic bodies as for the classic API; at delivery ``prepare`` turns the body
into its Edge call (so ``mediaCollection.sessionID`` is the sid once known), points the
exchange at ``{base}/ee/va/v1/{event}?configId=…`` and keeps the classic body beside the wire
bytes. ``start_outcome`` reads the sid from the 200's handle; ``note_problems`` keeps a 207's
or a 400's fields on the exchange, named by classic key (the Edge JSONPath when none).

- **Client:** ``configId`` goes on every call when set (Adobe requires it on sessionStart
  only; the Web SDK sends it on all); without one the backend's 400 problem says so.
- **Client:** a 207 is a failed start (no sid): its ``errors[]`` reasons are on the exchange
  per field and queued events stay unsent (§6.3), as for a classic start that failed.
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache
from typing import Any, Iterable
from urllib.parse import quote

from .exchange import Exchange
from .findings import Finding, Severity
from .protocol.catalogue import PARAMS
from .protocol.edge import (
    classic_field,
    edge_field,
    edge_path,
    no_edge_counterpart,
    problem_details,
    problem_summary,
    session_id_from_response,
    to_edge,
)
from .protocol.edge_rules import no_counterpart_reason

__all__ = ["DIALECTS", "EDGE", "CLASSIC", "edge_url", "prepare", "left_out", "start_outcome",
           "note_problems", "problem_text", "phrased"]

CLASSIC, EDGE = "classic", "edge"
DIALECTS = (CLASSIC, EDGE)


def edge_url(base_url: str, path_event: str, config_id: str | None) -> str:
    """``{base}/ee/va/v1/{event}``, with ``?configId=`` when a datastream id is set."""
    query = f"?configId={quote(config_id, safe='')}" if config_id else ""
    return f"{base_url}{edge_path(path_event)}{query}"


def prepare(exchange: Exchange, sid: str | None, base_url: str,
            config_id: str | None) -> None:
    """Turn a queued classic exchange into its Edge call (idempotent: a retry keeps it)."""
    if exchange.classic_body is not None:
        return
    decoded = exchange.body_json()
    exchange.dialect = EDGE
    if not isinstance(decoded, dict):  # not JSON: sent as typed, for the backend to judge
        exchange.url = edge_url(base_url, exchange.event_type, config_id)
        return
    call = to_edge(decoded, sid)
    exchange.findings = [*exchange.findings, *left_out(decoded)]
    exchange.classic_body = exchange.request_body
    exchange.request_body = json.dumps(call.body, separators=(",", ":"),
                                       ensure_ascii=False).encode()
    exchange.url = edge_url(base_url, call.path_event, config_id)


def left_out(body: dict[str, Any]) -> list[Finding]:
    """What the Edge body could not carry, said on the exchange (nothing dropped silently).

    Keys the datastream holds on Edge (``analytics.*``, ``visitor.*``…) are an INFO; a key
    with no field on this event's Edge body (params on ping, an ad key on adBreakStart) is
    a WARNING: the classic API would have received it."""
    moved: list[str] = []
    lost: list[str] = []
    for key in no_edge_counterpart(body):
        (moved if no_counterpart_reason(key.removeprefix("qoeData.")) else lost).append(key)
    found: list[Finding] = []
    if lost:
        found.append(Finding(
            "EDGE_FIELD_LEFT_OUT", Severity.WARNING,
            f"not sent: {', '.join(lost)} has no field in the Edge body of "
            f"{body.get('eventType')} (Adobe's mapping, spec §9), so Adobe never sees it; "
            "the classic API would have received it", "§9"))
    if moved:
        found.append(Finding(
            "EDGE_DATASTREAM_FIELDS", Severity.INFO,
            f"left out of the Edge body: {', '.join(moved)}. On the Media Edge API these "
            "come from the datastream settings or identityMap (spec §9)", "§9"))
    return found


def _json(exchange: Exchange) -> Any:
    try:
        return json.loads(exchange.response_body)
    except ValueError:
        return None


def start_outcome(result: Exchange) -> str | None:
    """The sid of an Edge sessionStart's answer; None after noting why there is none."""
    data = _json(result)
    sid = session_id_from_response(data) if result.status == 200 else None
    if sid is not None:
        return sid
    note_problems(result, data)
    if result.status in (200, 207) and not result.error:
        reasons = "; ".join(f"{k}: {r}" for k, r in result.field_errors) or \
            "no media-analytics:new-session handle with payload[0].sessionId"
        result.error = f"sessionStart refused ({result.status}): {reasons} (§9)"
    return None


def note_problems(result: Exchange, data: Any = None) -> None:
    """Keep a 207's or 400's fields on the exchange, by classic key (Edge path if none)."""
    if result.status not in (207, 400):
        return
    data = _json(result) if data is None else data
    result.field_errors = [(classic_field(name) or name, reason)
                           for name, reason in problem_details(data)]


def problem_text(result: Exchange) -> str | None:
    """``title: detail`` of an Edge problem answer, for a log line; None if it has none."""
    return problem_summary(_json(result)) if result.dialect == EDGE else None


@cache
def _field_names() -> re.Pattern[str]:
    keys = sorted({p.key for p in PARAMS} | {"playerTime.playhead", "playerTime.ts"},
                  key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:params\.|qoeData\.)?(" +
                      "|".join(map(re.escape, keys)) + r")(?![\w])")


def phrased(findings: Iterable[Finding], event_type: str) -> list[Finding]:
    """The findings with each field they name in its Edge form (``media.ad.podIndex`` →
    ``xdm.mediaCollection.advertisingPodDetails.index``); codes and advice stay the same."""
    def edge_name(found: re.Match[str]) -> str:
        path = edge_field(event_type, found.group(0))
        return path.removeprefix("events[0].") if path else found.group(0)

    return [dataclasses.replace(f, message=_field_names().sub(edge_name, f.message))
            for f in findings]
