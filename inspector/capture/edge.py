"""Captured Media Edge calls (spec §9) seen as the classic events they stand for.

``listen`` and ``lint`` judge Edge traffic with the same advisor and report: a call to
``/ee/va/v1/{event}``, ``/ee/{cluster}/va/v1/{event}`` or the Web SDK's sessionStart inside
``/ee/v1/interact`` keeps its wire body, gains its classic event (``classic_body``) and
takes its sid from the body (``mediaCollection.sessionID``) or, for a start, from the
answer's ``media-analytics:new-session`` handle.

**Client (listen/lint):** an Edge sessionStart has no ``analytics.*``/``visitor.*``: they are
datastream settings (§9). The classic event we judge fills the ones the classic schema
requires with :data:`FROM_DATASTREAM`, so the advisor does not flag what Edge never sends.
"""

from __future__ import annotations

import json
from typing import Any

from ..exchange import Exchange, body_fields
from ..protocol.bodies import encode_body
from ..protocol.catalogue import params_for
from ..protocol.edge import (
    EdgeMappingError,
    event_of_body,
    session_id_from_response,
    no_edge_counterpart,
    to_classic_events,
)

__all__ = ["as_classic", "edge_sid", "edge_start_sid", "FROM_DATASTREAM"]

FROM_DATASTREAM = "(datastream setting)"


def _with_datastream(body: dict[str, Any]) -> dict[str, Any]:
    """A classic sessionStart with the required keys Edge keeps in the datastream."""
    if body.get("eventType") != "sessionStart":
        return body
    required = {p.key: FROM_DATASTREAM for p in params_for("sessionStart")
                if p.required("sessionStart")}
    probe = {"eventType": "sessionStart", "params": required}
    missing = {k: v for k, v in required.items() if k in no_edge_counterpart(probe)}
    return {**body, "params": {**missing, **body.get("params", {})}}


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def as_classic(exchange: Exchange, path_event: str | None) -> list[dict[str, Any]]:
    """Mark ``exchange`` as an Edge call and give it its classic event; every classic body
    it stands for (several for a multi-state statesUpdate), [] when it maps to none (the
    exchange's ``error`` then says why; it is judged as not JSON)."""
    exchange.dialect = "edge"
    wire = _json(exchange.request_body)
    event = path_event or event_of_body(wire)
    try:
        bodies = [_with_datastream(b) for b in to_classic_events(event or "?", wire)]
    except EdgeMappingError as exc:
        exchange.error = exchange.error or f"not a Media Edge call we can read: {exc}"
        return []
    exchange.classic_body = encode_body(bodies[0])
    exchange.event_type, exchange.playhead, exchange.ts = body_fields(bodies[0])
    return bodies


def edge_sid(exchange: Exchange) -> str | None:
    """The ``mediaCollection.sessionID`` an Edge event carries."""
    try:
        sid = _json(exchange.request_body)["events"][0]["xdm"]["mediaCollection"]["sessionID"]
    except (KeyError, IndexError, TypeError):
        return None
    return sid if isinstance(sid, str) and sid else None


def edge_start_sid(exchange: Exchange) -> str | None:
    """The sid in a sessionStart's 2xx answer (``handle[]``, §9)."""
    if not exchange.ok:
        return None
    return session_id_from_response(_json(exchange.response_body))
