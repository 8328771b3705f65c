"""The backend's own tools under ``/_inspector/``: session reports, faults, clock control.

Never under ``/api/v1/``: a player pointed at the mock sees only Adobe's API there.
"""

from __future__ import annotations

import json
from datetime import datetime, UTC
from typing import Any

from aiohttp import web

from . import strict_json
from .faults import FaultError, FaultTableFull, parse_fault
from .sessions import ServerSession
from .state import STATE_KEY, ServerState
from .wire import read_body

__all__ = ["add_inspector_routes", "session_summary", "session_detail"]


def add_inspector_routes(app: web.Application) -> None:
    """Register every ``/_inspector/`` route on ``app``."""
    app.router.add_get("/_inspector/sessions", _list_sessions)
    app.router.add_get("/_inspector/sessions/{sid}", _get_session)
    app.router.add_get("/_inspector/faults", _list_faults)
    app.router.add_post("/_inspector/faults", _add_fault)
    app.router.add_delete("/_inspector/faults", _clear_faults)
    app.router.add_get("/_inspector/clock", _get_clock)
    app.router.add_post("/_inspector/clock", _set_clock)


def _json(data: Any, status: int = 200) -> web.Response:
    """A JSON answer that browsers can parse (never NaN or Infinity)."""
    return web.json_response(data, status=status, dumps=strict_json.dumps)


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds")


def session_summary(session: ServerSession, state: ServerState) -> dict[str, Any]:
    """One line of the session list."""
    reason = session.close_reason
    expires = None if reason else session.expiry(state.config)
    return {
        "sid": session.sid,
        "dialect": session.dialect,  # the API that opened it: "classic" or "edge" (§9)
        "state": "open" if session.is_open else "closed",
        "created_at": _iso(session.created_at),
        "last_event_at": _iso(session.last_event_at),
        "closed_at": _iso(session.closed_at),
        "close_reason": reason.value if reason else None,
        "close_message": reason.describe(state.config) if reason else None,
        "times_out_at": _iso(expires[0]) if expires else None,
        "times_out_because": expires[1].describe(state.config) if expires else None,
        "forgotten_at": _iso(session.closed_at + state.config.retention)
        if session.closed_at is not None else None,
    }


def session_detail(session: ServerSession, state: ServerState) -> dict[str, Any]:
    """A session's summary, report, findings and ordered accepted events."""
    report, events = session.report_view()
    return {**session_summary(session, state),
            "pending_in_reorder_window": len(session.buffer),
            "report": report,
            "findings": [{"code": f.code, "severity": f.severity.value, "message": f.message,
                          "spec": f.spec} for f in session.findings],
            "events_dropped": session.events_dropped,
            "events_limit": state.config.max_events_per_session,
            "events": events}


_PAGE, _MAX_PAGE = 100, 1000


def _page_args(request: web.Request) -> tuple[int, int] | str:
    """(offset, limit) from the query, or what is wrong with them."""
    values = []
    for name, default, high in (("offset", 0, 10**9), ("limit", _PAGE, _MAX_PAGE)):
        text = request.query.get(name, str(default))
        if not text.isdigit() or len(text) > 10 or not 0 <= int(text) <= high or (
                name == "limit" and int(text) == 0):
            low = 1 if name == "limit" else 0
            return f"{name} must be an integer from {low} to {high}, got {text[:20]!r}"
        values.append(int(text))
    return values[0], values[1]


async def _list_sessions(request: web.Request) -> web.Response:
    """One page of sessions, oldest first: ``?offset=0&limit=100`` (at most 1000)."""
    state = request.app[STATE_KEY]
    args = _page_args(request)
    if isinstance(args, str):
        return _bad(args)
    offset, limit = args
    table = state.sessions
    sessions = table.page(offset, limit)
    total = table.open_count + table.closed_count
    following = offset + len(sessions)
    return _json({
        "now": _iso(state.clock.now()),
        "open": table.open_count,
        "closed": table.closed_count,
        "total": total, "offset": offset, "limit": limit,
        "next": f"/_inspector/sessions?offset={following}&limit={limit}"
        if following < total else None,
        "stored_bytes": table.budget.used, "max_stored_bytes": table.budget.limit,
        "sessions": [{**session_summary(s, state), "events": len(s.events) + len(s.buffer),
                      "media.id": s.media_id} for s in sessions],
    })


async def _get_session(request: web.Request) -> web.Response:
    state, sid = request.app[STATE_KEY], request.match_info["sid"]
    session = state.sessions.lookup(sid)
    if session is None:
        return _json({"message": f"no session {sid} (unknown or forgotten after "
                                             "the retention period)"}, status=404)
    return _json(session_detail(session, state))


async def _read_json(request: web.Request) -> Any:
    raw = await read_body(request)
    try:
        return strict_json.loads(raw.decode("utf-8"), raw)
    except strict_json.JsonRefused as exc:
        raise web.HTTPBadRequest(reason=f"{exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise web.HTTPBadRequest(reason=f"expected a JSON body ({exc})") from exc


def _bad(message: str) -> web.Response:
    return _json({"message": message}, status=400)


async def _list_faults(request: web.Request) -> web.Response:
    rules = request.app[STATE_KEY].faults.rules()
    return _json({"faults": [f.to_dict() for f in rules]})


async def _add_fault(request: web.Request) -> web.Response:
    try:
        fault = parse_fault(await _read_json(request))
        request.app[STATE_KEY].faults.add(fault)
    except FaultError as exc:
        return _bad(str(exc))
    except FaultTableFull as full:
        return _json({"message": f"too many fault rules ({full.limit}, the limit "
                                             "max_fault_rules); clear them with DELETE "
                                             "/_inspector/faults"}, status=503)
    return _json({"added": fault.to_dict()}, status=201)


async def _clear_faults(request: web.Request) -> web.Response:
    return _json({"cleared": request.app[STATE_KEY].faults.clear()})


async def _get_clock(request: web.Request) -> web.Response:
    clock = request.app[STATE_KEY].clock
    return _json({"now": clock.now(), "iso": _iso(clock.now()),
                              "offset": clock.offset})


async def _set_clock(request: web.Request) -> web.Response:
    spec = await _read_json(request)
    seconds = spec.get("advance") if isinstance(spec, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not (
            0 <= seconds <= 10 * 365 * 86400):
        return _bad('expected {"advance": seconds}, a number from 0 up; the clock never '
                    "runs backwards")
    request.app[STATE_KEY].clock.advance(float(seconds))
    return await _get_clock(request)
