"""The migration view's content (issue 15): a session's calls in both dialects, and a
checklist of what the Media Edge API cannot carry (spec §9).

Each logged call becomes a row: its classic call and body beside its Edge call and body,
whichever dialect it was sent in (``to_edge`` for a classic call; for an Edge call, the
classic event it was made from, else ``to_classic_events``). The checklist gathers the keys
``no_edge_counterpart`` leaves out (``analytics.*`` moves to the datastream, ``visitor.*`` to
``identityMap``…), once per key, with the reason, the events that carried it and Adobe's page
for the key where ``docs.py`` has one.

- Retries (attempt > 1) are the same call: left out. A body that is not JSON, or an Edge
  body with no classic event, is a row with ``problem`` set and no other side.
- Classic rows have no datastream id: their Edge call shows ``?configId={datastreamId}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import urlsplit

from .docs import adobe_page
from .exchange import Exchange
from .explain400 import spec_section
from .protocol.edge import (
    EdgeMappingError,
    edge_path,
    no_counterpart_why,
    no_edge_counterpart,
    parse_edge_path,
    to_classic_events,
    to_edge,
)

__all__ = ["MigrationRow", "ChecklistItem", "migration_rows", "checklist", "session_numbers",
           "classic_call", "CONFIG_PLACEHOLDER"]

CONFIG_PLACEHOLDER = "{datastreamId}"


@dataclass(frozen=True)
class MigrationRow:
    """One call in both dialects; ``sent_as`` is the dialect it went out in."""

    seq: int
    event_type: str
    sent_as: str
    classic_call: str
    classic_body: dict[str, Any] | None
    edge_call: str
    edge_body: dict[str, Any] | None
    left_out: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class ChecklistItem:
    """A key the Edge body cannot carry: why, where it was sent, and Adobe's page for it."""

    key: str
    reason: str
    events: tuple[str, ...]
    count: int
    section: str
    doc: tuple[str, str] | None  # (title, url)


def classic_call(event_type: str, sid: str | None) -> str:
    """The classic request line of an event (spec §1.1)."""
    if event_type == "sessionStart":
        return "POST /api/v1/sessions"
    return f"POST /api/v1/sessions/{sid or '{sid}'}/events"


def session_numbers(exchanges: Iterable[Exchange]) -> list[int]:
    """The session (channel) numbers in the log, in first-seen order."""
    return list(dict.fromkeys(e.channel for e in exchanges))


def migration_rows(exchanges: Iterable[Exchange], session: int | None = None
                   ) -> list[MigrationRow]:
    """The rows for ``session``'s calls (every session when None), in log order."""
    rows: list[MigrationRow] = []
    for exchange in exchanges:
        if exchange.attempt > 1 or (session is not None and exchange.channel != session):
            continue
        rows += _rows_of(exchange)
    return rows


def _rows_of(exchange: Exchange) -> list[MigrationRow]:
    if exchange.dialect == "edge":
        return _from_edge(exchange)
    body = exchange.body_json()
    if not isinstance(body, dict):
        return [_problem(exchange, "classic", "the body is not a JSON object: no Edge call")]
    call = to_edge(body, exchange.sid)
    edge = f"POST {edge_path(call.path_event)}?configId={CONFIG_PLACEHOLDER}"
    return [MigrationRow(exchange.seq, exchange.event_type, "classic",
                         classic_call(exchange.event_type, exchange.sid), body, edge, call.body,
                         tuple(no_edge_counterpart(body)))]


def _from_edge(exchange: Exchange) -> list[MigrationRow]:
    wire = _json(exchange.request_body)
    url = urlsplit(exchange.url)
    found = parse_edge_path(url.path)
    edge = f"POST {url.path}" + (f"?{url.query}" if url.query else "")
    if exchange.classic_body is not None:  # the classic event it was made from (§9)
        classic = [exchange.body_json()]
    else:
        try:
            classic = to_classic_events(found[1] if found else exchange.event_type, wire) \
                if isinstance(wire, dict) else []
        except EdgeMappingError as exc:
            return [_problem(exchange, "edge", str(exc), edge, wire)]
    return [MigrationRow(exchange.seq, body.get("eventType", exchange.event_type), "edge",
                         classic_call(str(body.get("eventType")), exchange.sid), body, edge,
                         wire if isinstance(wire, dict) else None,
                         tuple(no_edge_counterpart(body)))
            for body in classic if isinstance(body, dict)] or \
        [_problem(exchange, "edge", "the body is not a JSON object", edge, None)]


def _problem(exchange: Exchange, sent_as: str, why: str, edge: str = "",
             edge_body: Any = None) -> MigrationRow:
    return MigrationRow(exchange.seq, exchange.event_type, sent_as,
                        classic_call(exchange.event_type, exchange.sid), None, edge,
                        edge_body if isinstance(edge_body, dict) else None, (), why)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def checklist(rows: Iterable[MigrationRow]) -> list[ChecklistItem]:
    """Each left-out key once, in first-seen order, with its reason and Adobe's page."""
    seen: dict[str, list[str]] = {}
    for row in rows:
        for key in row.left_out:
            seen.setdefault(key, []).append(row.event_type)
    items = []
    for key, events in seen.items():
        classic = key if key.startswith("qoeData.") else f"params.{key}"
        section = spec_section(classic)
        items.append(ChecklistItem(key, no_counterpart_why(key), tuple(dict.fromkeys(events)),
                                   len(events), section, adobe_page(section)))
    return items
