"""The Media Edge API on the embedded backend (spec §9), beside ``/api/v1/``.

``POST /ee/va/v1/{event}`` (and ``/ee/{cluster}/va/v1/{event}``, the Web SDK's form once it
knows its location hint) validates the XDM body with the Edge schemas, converts it to the
classic event (``protocol.edge``) and feeds the very same session table: same sids, timeouts,
24 h limit, reorder window, report and metrics as the classic routes. Choices (§9 silent):

- **Mock:** ``configId`` is required on sessionStart only, as in Adobe's OpenAPI (the other
  paths declare no parameters); any non-empty value is taken. Missing → 400 problem.
- **Mock:** sessionStart answers 200 with ``handle[]``: the ``media-analytics:new-session``
  entry (``payload[0].sessionId``) and a ``locationHint:result`` entry (hint ``local``). A
  sessionStart body that fails its schema answers 207 with ``errors[]`` (the OpenAPI's
  example: per-event names ``$.xdm…`` with ``report.eventIndex``) and no sid; a body that is
  no Edge call at all (bad JSON, not one event) is a 400 problem.
- **Mock:** every other failing body is a 400 RFC 7807 problem (``type``, ``status``,
  ``title``, ``detail``, ``report.details[{name, reason}]``, names as ``$.events[0]…``); an
  unknown or closed session is 404 (Edge has no 410: follow the file), its
  ``report.details`` a string as in the OpenAPI; unknown paths are 404 problems.
- **Mock:** ``/downloaded`` (offline playback, one batch per session, OpenAPI
  ``mediaDownloadedEvents``) needs ``configId`` and a first event ``media.sessionStart``; each
  entry is checked as the call its ``mediaEventType`` names would be (the batch's entries carry
  no ``sessionID``: the session is the batch's own). Any failure is one 400 problem naming
  every bad entry (``$.events[0].xdm.mediaDownloadedEvents[i]…``) and nothing is taken;
  otherwise the session is opened and fed the entries in order (their timestamps, through the
  same reorder window), closed at once when one is a sessionEnd, and the answer is 200 with
  the ``media-analytics:new-session`` handle, as the file shows.
- **Mock:** the Web SDK's sessionStart inside ``POST /ee/v1/interact`` (§9, observed SDK) is
  answered like ``/ee/va/v1/sessionStart``; an interact call without a media.sessionStart is
  a 400 problem (this backend takes only media events).
- **Mock:** answers echo ``Origin`` with ``Access-Control-Allow-Credentials: true`` (the
  Web SDK's credentialed simple requests), and ``text/plain`` bodies are read as JSON.
- **Mock:** ``/_inspector/`` keeps the classic body of every accepted event (one event model);
  a session's ``dialect`` there is that of the call that opened it.
- **Mock:** an injected fault (``/_inspector/faults``) applies here as on the classic routes;
  an injected error status answers with a problem body, as every Edge error does.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Awaitable, Callable

from aiohttp import web

from ..protocol.bodies import encode_body
from ..protocol.edge import (
    DOWNLOADED as _DOWNLOADED,
    NEW_SESSION_HANDLE,
    batch_entries,
    batch_entry_call,
    EdgeMappingError,
    event_of_body,
    to_classic_events,
)
from ..protocol.edge_rules import edge_events
from ..protocol.edge_schemas import EdgeError, validate_edge
from . import strict_json
from .sessions import Accepted, ServerSession, StoreFull, TableFull
from .state import STATE_KEY
from .wire import EVENT_TYPE_KEY, SID_KEY, UnreadableBody, read_body

__all__ = ["add_edge_routes", "is_edge_call", "edge_answers", "EDGE_DIALECT"]

EDGE_DIALECT = "edge"
Fault = Callable[[web.Request, "str | None", "str | None"], Awaitable["web.Response | None"]]
_VA = ("/ee/va/v1/{event}", "/ee/{cluster}/va/v1/{event}")
_INTERACT = ("/ee/v1/interact", "/ee/{cluster}/v1/interact")
_ERRORS = "https://ns.adobe.com/aep/errors/"
_FAULT_KEY = web.AppKey("media_inspector_edge_fault", object)
_BATCH = "$.events[0].xdm.mediaDownloadedEvents"
_PLACEHOLDER_SID = "0" * 64  # stands for the batch's own session while its entries are checked


def add_edge_routes(app: web.Application, fault: Fault) -> None:
    """Register the Edge routes; ``fault`` applies an injected fault (app.py owns them)."""
    app[_FAULT_KEY] = fault
    for path in _VA:
        app.router.add_post(path, _post_va)
    for path in _INTERACT:
        app.router.add_post(path, _post_interact)
    for path in _VA + _INTERACT:
        app.router.add_route("OPTIONS", path, _preflight)


def is_edge_call(request: web.BaseRequest) -> bool:
    """True for a call to the Media Edge paths (``/ee/…``)."""
    return request.path.startswith("/ee/")


def _cors(request: web.BaseRequest) -> dict[str, str]:
    origin = request.headers.get("Origin")
    headers = {"Access-Control-Allow-Origin": origin or "*",
               "Access-Control-Allow-Methods": "OPTIONS,POST",
               "Access-Control-Allow-Headers": "Content-Type"}
    if origin:  # credentials need an echoed origin, never "*"
        headers["Access-Control-Allow-Credentials"] = "true"
        headers["Vary"] = "Origin"
    return headers


async def edge_answers(request: web.Request, handler: Any) -> web.StreamResponse:
    """The middleware part of the Edge routes: problems for every error, CORS on all."""
    try:
        response: web.StreamResponse = await handler(request)
    except UnreadableBody as exc:
        response = _problem(400, "Bad Request", str(exc))
        response.force_close()
    except web.HTTPRequestEntityTooLarge:
        limit = request.app[STATE_KEY].config.max_body_bytes
        response = _problem(413, "Payload Too Large", f"request body is larger than {limit} "
                                                      "bytes; a media event is a few hundred")
    except web.HTTPNotFound:
        response = _problem(404, "Not Found", f"no such endpoint: {request.method} "
                            f"{request.path}; media events go to /ee/va/v1/{{event}} (§9)")
    except web.HTTPMethodNotAllowed as exc:
        methods = ",".join(sorted(exc.allowed_methods))
        response = _problem(405, "Method Not Allowed", f"{request.method} is not allowed on "
                            f"{request.path}; allowed: {methods}")
        response.headers["Allow"] = methods
    response.headers.update(_cors(request))
    return response


async def _preflight(request: web.Request) -> web.Response:
    return web.Response(status=204)


def _problem(status: int, title: str, detail: str, details: Any = None,
             code: str = "") -> web.Response:
    """An RFC 7807 problem in the shape of Adobe's OpenAPI."""
    report: dict[str, Any] = {"requestId": str(uuid.uuid4())}
    if details is not None:
        report["details"] = details
    body = {"type": _ERRORS + (code or f"va-edge-0{status}-{status}"), "status": status,
            "title": title, "detail": detail, "report": report}
    return web.json_response(body, status=status, content_type="application/problem+json",
                             dumps=strict_json.dumps)


def _invalid(errors: list[EdgeError]) -> web.Response:
    return _problem(400, "Bad Request", "Invalid request. Please check your input and try "
                    "again.", [{"name": e.name, "reason": e.reason} for e in errors])


async def _read_json(request: web.Request) -> tuple[Any, web.Response | None]:
    raw = await read_body(request)  # any Content-Type: the Web SDK posts text/plain (§9)
    try:
        return strict_json.loads(raw.decode("utf-8"), raw), None
    except UnicodeDecodeError:
        return None, _invalid([EdgeError("$", "body is not UTF-8")])
    except strict_json.JsonRefused as exc:
        return None, _invalid([EdgeError("$", str(exc))])
    except json.JSONDecodeError as exc:
        return None, _invalid([EdgeError("$", f"invalid JSON: {exc.msg} at line "
                                               f"{exc.lineno} column {exc.colno}")])


async def _post_va(request: web.Request) -> web.Response:
    path_event = request.match_info["event"]
    request[EVENT_TYPE_KEY] = path_event
    if path_event not in edge_events() and path_event != _DOWNLOADED:
        return _problem(404, "Not Found", f"no Media Edge event /{path_event}; Media Edge "
                        f"events: {', '.join((*edge_events(), _DOWNLOADED))} (§9)")
    body, bad = await _read_json(request)
    if bad is not None:
        return bad
    if path_event == _DOWNLOADED:
        return await _downloaded(request, body)
    return await _handle(request, path_event, body)


async def _post_interact(request: web.Request) -> web.Response:
    body, bad = await _read_json(request)
    if bad is not None:
        return bad
    if event_of_body(body) != "sessionStart":
        return _problem(400, "Bad Request", "the embedded backend takes only a "
                        "media.sessionStart in /ee/v1/interact; later media events go to "
                        "/ee/va/v1/{event} (§9)")
    request[EVENT_TYPE_KEY] = "sessionStart"
    return await _handle(request, "sessionStart", body)


async def _handle(request: web.Request, path_event: str, body: Any) -> web.Response:
    sid = _sid_of(body)
    if sid:
        request[SID_KEY] = sid
    faulted = await _injected(request, sid, path_event)
    if faulted is not None:
        return faulted
    if path_event == "sessionStart":
        return _start(request, body)
    errors = validate_edge(path_event, body)
    if errors:
        return _invalid(errors)
    return _event(request, path_event, body, str(sid))


async def _injected(request: web.Request, sid: str | None,
                    path_event: str) -> web.Response | None:
    """An injected fault's answer (``/_inspector/faults``), as a problem when it is an error."""
    if not request.app[STATE_KEY].faults:
        return None
    fault: Any = request.app[_FAULT_KEY]
    faulted: web.Response | None = await fault(request, sid, path_event)
    if faulted is None or faulted.status < 300:
        return faulted
    return _problem(faulted.status, "Injected fault", f"injected fault: status "
                    f"{faulted.status} (set through /_inspector/faults)")


def _sid_of(body: Any) -> str | None:
    try:
        sid = body["events"][0]["xdm"]["mediaCollection"]["sessionID"]
    except (KeyError, IndexError, TypeError):
        return None
    return sid if isinstance(sid, str) else None


def _classic(path_event: str, body: Any) -> list[Accepted] | web.Response:
    try:
        classic = to_classic_events(path_event, body)
    except EdgeMappingError as exc:
        return _invalid([EdgeError("$", str(exc))])
    return [Accepted.of(b, encode_body(b)) for b in classic]


def _no_config(request: web.Request, path_event: str) -> web.Response | None:
    """The 400 for a call that opens a session without ``configId`` (the datastream id)."""
    if request.query.get("configId"):
        return None
    return _problem(400, "Invalid datastream ID", f"configId (the datastream id) is required "
                    f"on {path_event}: POST /ee/va/v1/{path_event}?configId=… (§9)",
                    code="EXEG-0003-400")


def _start(request: web.Request, body: Any) -> web.Response:
    missing = _no_config(request, "sessionStart")
    if missing is not None:
        return missing
    errors = validate_edge("sessionStart", body)
    if errors and not any(e.name.startswith("$.events[0]") for e in errors):
        return _invalid(errors)  # not one Edge event at all: no 207 can name it
    if errors:
        return _partial(errors)
    accepted = _classic("sessionStart", body)
    if isinstance(accepted, web.Response):
        return accepted
    session = _open(request, accepted[0])
    return session if isinstance(session, web.Response) else _new_session(session.sid)


def _open(request: web.Request, start: Accepted, later: int = 0) -> ServerSession | web.Response:
    """A new Edge session for ``start`` (room made for ``later`` more bytes), or the 503."""
    state = request.app[STATE_KEY]
    try:
        if later:
            state.sessions.make_room(len(start.raw) + later)
        session = state.sessions.create(start)
    except TableFull:
        return _problem(503, "Service Unavailable", f"too many open sessions "
                        f"({state.sessions.open_count}, the limit max_open_sessions)")
    except StoreFull as full:
        return _problem(503, "Service Unavailable", f"the backend keeps at most {full.limit} "
                        "bytes of accepted events (max_stored_bytes, spec §8)")
    session.dialect = EDGE_DIALECT
    request[SID_KEY] = session.sid
    return session


def _batch_calls(body: Any) -> tuple[list[tuple[str, dict[str, Any]]], list[EdgeError]]:
    """Each entry of a ``/downloaded`` batch as (path event, its single-event Edge body),
    and every failure, named by the entry's JSONPath."""
    entries = batch_entries(body)
    if entries is None:
        return [], [EdgeError(_BATCH, "one event whose xdm holds a non-empty "
                                      "mediaDownloadedEvents array is required (§9)")]
    calls, errors = [], []
    for i, entry in enumerate(entries):
        where = f"{_BATCH}[{i}]"
        path_event, call = batch_entry_call(entry, _PLACEHOLDER_SID)
        if path_event not in edge_events():
            kind = entry.get("mediaEventType") if isinstance(entry, dict) else None
            errors.append(EdgeError(f"{where}.mediaEventType", f"{kind!r} is not a Media "
                                    "Edge event type (media.sessionStart, media.play…)"))
            continue
        if (i == 0) != (path_event == "sessionStart"):
            errors.append(EdgeError(f"{where}.mediaEventType", "a batch starts with one "
                                    "media.sessionStart, and only the first entry is one"))
            continue
        errors += [EdgeError(e.name.replace("$.events[0].xdm.timestamp",
                                            f"{where}.mediaEventTimestamp")
                             .replace("$.events[0].xdm", where), e.reason)
                   for e in validate_edge(path_event, call)]
        calls.append((path_event, call))
    return calls, errors


async def _downloaded(request: web.Request, body: Any) -> web.Response:
    """An offline session in one batch (``/downloaded``): all of it taken, or none."""
    state = request.app[STATE_KEY]
    missing = _no_config(request, _DOWNLOADED)
    if missing is not None:
        return missing
    faulted = await _injected(request, None, _DOWNLOADED)
    if faulted is not None:
        return faulted
    calls, errors = _batch_calls(body)
    if errors:
        return _invalid(errors)
    accepted: list[list[Accepted]] = []
    for path_event, call in calls:
        taken = _classic(path_event, call)
        if isinstance(taken, web.Response):
            return taken
        accepted.append(taken)
    (start,), rest = accepted[0], [a for batch in accepted[1:] for a in batch]
    session = _open(request, start, sum(len(a.raw) for a in rest))
    if isinstance(session, web.Response):
        return session
    now = state.clock.now()
    for event in rest:
        session.receive(event, now)
        if event.body.get("eventType") == "sessionEnd":
            state.sessions.end(session)
            break
    return _new_session(session.sid)


def _new_session(sid: str) -> web.Response:
    return web.json_response({"requestId": str(uuid.uuid4()), "handle": [
        {"payload": [{"sessionId": sid}], "type": NEW_SESSION_HANDLE, "eventIndex": 0},
        {"payload": [{"scope": "EdgeNetwork", "hint": "local", "ttlSeconds": 1800}],
         "type": "locationHint:result"}]})


def _partial(errors: list[EdgeError]) -> web.Response:
    """207: the call was read, its one event refused (the OpenAPI's sessionStart example)."""
    details = [{"name": "$" + e.name.removeprefix("$.events[0]"), "reason": e.reason}
               for e in errors]
    return web.json_response({"requestId": str(uuid.uuid4()), "handle": [], "errors": [
        {"type": _ERRORS + "va-edge-0400-400", "status": 400, "title": "Invalid request",
         "report": {"eventIndex": 0, "details": details}}]}, status=207)


def _event(request: web.Request, path_event: str, body: Any, sid: str) -> web.Response:
    state = request.app[STATE_KEY]
    session = state.sessions.lookup(sid)
    if session is None or not session.is_open:
        return _gone(session, sid, state)
    accepted = _classic(path_event, body)
    if isinstance(accepted, web.Response):
        return accepted
    size = sum(len(a.raw) for a in accepted)
    try:
        state.sessions.make_room(size)
    except StoreFull as full:
        if path_event != "sessionEnd":
            return _problem(503, "Service Unavailable", f"the backend keeps at most "
                            f"{full.limit} bytes of accepted events (max_stored_bytes, §8)")
    now = state.clock.now()
    for event in accepted:
        session.receive(event, now)
    if path_event == "sessionEnd":
        state.sessions.end(session)
    return web.Response(status=204)


def _gone(session: ServerSession | None, sid: str, state: Any) -> web.Response:
    if session is None:
        why = "unknown, or closed longer ago than the retention period"
    else:
        reason = session.close_reason
        why = f"closed ({reason.describe(state.config) if reason else 'closed'})"
    return _problem(404, "Not Found", "The requested resource could not be found but may be "
                    "available again in the future.",
                    f"session {sid} is {why}; the Media Edge API answers 404 where the "
                    "classic one says 410 (§9). Start a new session with "
                    "POST /ee/va/v1/sessionStart")
