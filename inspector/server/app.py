"""The embedded Media Collection backend as an aiohttp application (spec §1).

``create_app`` wires the API under ``/api/v1/`` and the inspector's own tools under
``/_inspector/``. Every API answer carries the CORS headers of spec §1.2 (``/_inspector/``
answers carry none: see ``guard``), and every error is ``{"message": ...}`` JSON. The mock
answers 5xx only through fault injection.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from ..clock import Clock, SystemClock
from ..protocol.catalogue import EVENT_NAMES
from ..protocol.schemas import schema_for
from .config import ServerConfig
from .edge_routes import add_edge_routes, edge_answers, is_edge_call
from .guard import is_inspector_call, refusal
from .inspect_routes import add_inspector_routes
from .sessions import Accepted, StoreFull, TableFull
from .state import STATE_KEY, ServerClock, ServerState
from .validation import Checked, Endpoint, check_body
from .wire import (
    CORS_HEADERS,
    EVENT_TYPE_KEY,
    SID_KEY,
    UnreadableBody,
    error_response,
    read_body,
)

__all__ = ["create_app", "api_answer", "post_event", "EVENTS_ROUTE_KEY"]

# The route of POST /api/v1/sessions/{sid}/events, for runner.BackendRunner's short path.
EVENTS_ROUTE_KEY = web.AppKey("media_inspector_events_route", web.AbstractRoute)

_NEW_SESSION = "start a new session with POST /api/v1/sessions"


def create_app(clock: Clock | None = None, config: ServerConfig | None = None) -> web.Application:
    """A fresh backend with its own session table; ``clock`` drives every timeout."""
    config = config or ServerConfig()
    app = web.Application(middlewares=[_answers], client_max_size=config.max_body_bytes)
    app[STATE_KEY] = ServerState(config, ServerClock(clock or SystemClock()))
    app.router.add_post("/api/v1/sessions", _start_session)
    app[EVENTS_ROUTE_KEY] = app.router.add_post("/api/v1/sessions/{sid}/events", post_event)
    app.router.add_get("/api/v1/schemas/{eventType}", _get_schema)
    for path in ("/api/v1/sessions", "/api/v1/sessions/{sid}/events",
                 "/api/v1/schemas/{eventType}"):
        app.router.add_route("OPTIONS", path, _preflight)
    add_edge_routes(app, _fault)  # spec §9: /ee/va/v1/{event} over the same sessions
    add_inspector_routes(app)
    return app


@web.middleware
async def _answers(request: web.Request, handler: Any) -> web.StreamResponse:
    """One middleware (each costs every call): the guard of ``/_inspector/``, JSON errors,
    and the CORS headers of spec §1.2 on every other answer."""
    if not request.path.startswith("/api/"):  # the API's calls skip the two path tests
        if is_inspector_call(request):
            return refusal(request) or await _json_errors(request, handler)
        if is_edge_call(request):
            return await edge_answers(request, handler)  # problems and echoed-Origin CORS
    return await api_answer(request, handler)


async def api_answer(request: web.Request, handler: Any) -> web.StreamResponse:
    """``handler``'s answer to an ``/api/`` call: errors as JSON, the CORS headers of spec
    §1.2 on all (the middleware's part for the API, and runner.BackendRunner's)."""
    try:
        response: web.StreamResponse = await handler(request)
    except (web.HTTPException, UnreadableBody) as exc:
        response = json_error(request, exc)
    response.headers.extend(CORS)
    return response


CORS = CIMultiDictProxy(CIMultiDict(CORS_HEADERS))  # built once: extend copies it fastest


async def _json_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Turn aiohttp's plain-text 404/405/413 into the API's JSON errors."""
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except (web.HTTPException, UnreadableBody) as exc:
        return json_error(request, exc)


def json_error(request: web.Request, exc: Exception) -> web.StreamResponse:
    """The API's JSON error for ``exc`` (re-raised when it is not an error, e.g. a 3xx)."""
    if isinstance(exc, web.HTTPMethodNotAllowed):
        methods = sorted(exc.allowed_methods)
        return error_response(405, f"{request.method} is not allowed on {request.path}; "
                                   f"allowed: {', '.join(methods)}", Allow=",".join(methods))
    if isinstance(exc, UnreadableBody):
        response = error_response(400, str(exc))
        response.force_close()  # the rest of the stream is garbage: never reuse it
        return response
    if isinstance(exc, web.HTTPRequestEntityTooLarge):
        limit = request.app[STATE_KEY].config.max_body_bytes
        return error_response(413, f"request body is larger than {limit} bytes; "
                                   "a Media Collection event is a few hundred bytes")
    if isinstance(exc, web.HTTPNotFound):
        return error_response(404, f"no such endpoint: {request.method} {request.path}; the "
                                   "Media Collection API is under /api/v1/")
    assert isinstance(exc, web.HTTPException)
    if exc.status < 400:
        raise exc
    return error_response(exc.status, exc.reason)


async def _preflight(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def _get_schema(request: web.Request) -> web.Response:
    name = request.match_info["eventType"]
    if name not in EVENT_NAMES:
        return error_response(404, f"no schema for {name!r}; event types: "
                                   f"{', '.join(EVENT_NAMES)}")
    base_url = f"{request.scheme}://{request.host}"
    return web.json_response(schema_for(name, base_url))


async def _fault(request: web.Request, sid: str | None,
                 event_type: str | None) -> web.Response | None:
    """Apply an injected fault to this call, if one matches: delay, drop or a status."""
    fault = request.app[STATE_KEY].faults.take(sid, event_type)
    if fault is None:
        return None
    if fault.delay_ms:
        await asyncio.sleep(fault.delay_ms / 1000)
    if fault.drop:
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError  # nothing is written to a dropped connection
    if fault.status is None:
        return None
    if fault.status < 300:
        return web.Response(status=fault.status)
    return error_response(fault.status, f"injected fault: status {fault.status} "
                                        "(set through /_inspector/faults)")


async def _read_checked(request: web.Request, endpoint: Endpoint, sid: str | None,
                        state: ServerState) -> tuple[Checked, bytes, web.Response | None]:
    """The validated body, its bytes, and an injected fault's answer if one applies."""
    raw = await read_body(request)
    checked = check_body(raw, endpoint, state.config)
    if checked.event_type:
        request[EVENT_TYPE_KEY] = checked.event_type
    faulted = await _fault(request, sid, checked.event_type) if state.faults else None
    return checked, raw, faulted


def _store_full(limit: int) -> web.Response:
    return error_response(503, f"the backend keeps at most {limit} bytes of accepted events "
                               "(max_stored_bytes, the embedded backend's limit, spec §8) and "
                               "its open sessions fill them; end sessions with sessionEnd or "
                               "restart the backend")


async def _start_session(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    checked, raw, faulted = await _read_checked(request, "sessions", None, state)
    if faulted is not None:
        return faulted
    if checked.error or checked.body is None:
        return error_response(400, checked.error or "invalid body")
    try:
        session = state.sessions.create(Accepted.of(checked.body, raw))
    except TableFull:
        return error_response(503, f"too many open sessions ({state.sessions.open_count}, the "
                                   "limit max_open_sessions); end some with sessionEnd or wait "
                                   "for them to time out")
    except StoreFull as full:
        return _store_full(full.limit)
    request[SID_KEY] = session.sid
    return web.Response(status=201, content_type="application/octet-stream",
                        headers={"Location": f"/api/v1/sessions/{session.sid}"})


async def post_event(request: web.Request) -> web.StreamResponse:
    """``POST /api/v1/sessions/{sid}/events``: 204 when the event is taken, else the error's
    answer (the route's handler; runner.BackendRunner's short path calls it too)."""
    state, sid = request.app[STATE_KEY], request.match_info["sid"]
    request[SID_KEY] = sid
    checked, raw, faulted = await _read_checked(request, "events", sid, state)
    if faulted is not None:
        return faulted
    event_type = checked.event_type
    session = state.sessions.lookup(sid)
    if session is None:
        return error_response(404, f"no session {sid}: unknown, or closed longer ago than "
                                   f"the retention period; {_NEW_SESSION}")
    if not session.is_open:
        reason = session.close_reason.describe(state.config) if session.close_reason else ""
        return error_response(410, f"session {sid} is closed ({reason}); {_NEW_SESSION}")
    body = checked.body
    if checked.error or body is None:
        return error_response(400, checked.error or "invalid body")
    event = Accepted.of(body, raw)
    try:
        state.sessions.make_room(len(raw))
    except StoreFull as full:
        if event_type != "sessionEnd":
            return _store_full(full.limit)
        event = event.compact()  # a session can always end: its few bytes go over the limit
    session.receive(event, state.clock.now())
    if event_type == "sessionEnd":
        state.sessions.end(session)
    return web.StreamResponse(status=204)  # the bytes of Response(status=204), cheaper
