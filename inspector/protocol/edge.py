"""The Media Edge API dialect (spec §9): classic bodies to XDM bodies and back.

One event model, two wire formats: a classic body (§2) maps to ``POST /ee/va/v1/{event}``
with ``{"events": [{"xdm": {"eventType": "media.<event>", "timestamp", "mediaCollection"}}]}``
through §9's rules applied to the catalogue (``edge_rules``); nothing lists Edge fields twice.
Where §9's bullets and Adobe's OpenAPI (``../shared/reference/adobe-media-edge.openapi.yaml``)
differ we follow the file for bodies and status codes. They differ here:

- The file's 207 names a field relative to its event (``$.xdm.mediaCollection…`` with
  ``report.eventIndex``) under ``errors[].report.details`` (its schema says ``report.report``;
  its example, which we follow, ``report.details``); a 400's names are ``$.events[0].xdm…``.
- The file's sessionStart 400 (a bad datastream id) and every 404 carry no field list: the
  404's ``report.details`` is a string. §9's "404 for unknown or expired sessions" is also what
  a closed session gets: Edge has no 410.
- ``configId`` is a required query parameter of sessionStart only; the other paths declare
  none. §9 lists ``downloaded`` (offline batches), which we neither send nor serve.

Where both are silent we chose:

- **Client:** ``playhead`` is an integer (OpenAPI), rounded half up like the Web SDK's
  ``Math.round`` (§9, observed SDK): 7.5 → 8. ``to_classic`` gives that integer back.
- **Client:** ``xdm.timestamp`` is ``playerTime.ts`` (same session clock) as ISO-8601 UTC with
  milliseconds, ``2026-01-01T00:00:00.350Z``, so ts survives the round trip to the ms.
  **Mock:** accepts any ISO-8601 instant with a zone (``Z`` or ``+hh:mm``); none → 400.
- **Client:** ``customMetadata`` becomes ``[{name, value}]`` in the body's key order, each name
  unchanged. Adobe's XDM wants ``_<tenant>.<field>`` names, and we do not know the tenant: write
  the key with its tenant prefix (``_acme.series_tier``) where Adobe must see one (the classic
  key pattern allows it). **Mock:** takes any name of the classic pattern, prefixed or not.
- **Client:** ``analytics.*``, ``visitor.*``, ``appInstallationId``, ``media.libraryVersion``
  and the Swagger's ``media.qoe.errorID``/``errorSource`` have no Edge field (datastream settings,
  ``identityMap``, or none in the file) and are left out; ``no_edge_counterpart`` lists them
  for the migration checklist. So does ``media.ad.podFriendlyName`` on adStart (I12: ignored
  there; adStart carries no pod object).
- **Client:** numbers pass through (lengths, offsets): the OpenAPI types ``length``/``offset``
  as integers, our catalogue as numbers (60.33 s content, §7). **Mock:** takes numbers, so the
  average minute audience matches the classic run (§10).
- **Mock:** required fields come from the catalogue, as for the classic schemas: the file's
  required ``errorDetails`` on error and ``qoeDataDetails`` on bitrateChange are optional here
  (Timeline 2 sends an error without params, I9 requires neither).
- **Mock:** exactly one event per call (the Web SDK never sends more, §9); every object under
  ``xdm`` is closed like the classic schemas; ``identityMap`` is accepted on sessionStart only
  and not otherwise read.
- **Mock:** a statesUpdate becomes one classic stateEnd per ``statesEnd`` entry, then one
  stateStart per ``statesStart`` entry, ts 1 ms apart (§2.2 needs distinct ts). ``to_classic``
  maps a one-state statesUpdate; ``to_classic_events`` maps any.
- **Client:** ``mediaCollection.sessionID`` is left out while the sid is unknown (a body
  previewed before the sessionStart answer); the lane fills it at delivery.
- **Client:** scenarios are dialect-neutral: an expected classic status is met by its Edge
  counterpart (``edge_status``: 201 → 200, 410 → 404).
- ``edge_field`` names a field as JSONPath without ``$.`` (``events[0].xdm.mediaCollection.
  advertisingPodDetails.index``); ``classic_field`` reads Adobe's forms (``$.events[0].xdm…``
  in a 400, ``$.xdm…`` with an ``eventIndex`` in a 207) and answers the bare classic key
  (``media.ad.podIndex``), ``playerTime.playhead``, ``playerTime.ts``, ``eventType``,
  ``customMetadata`` or ``params``/``qoeData`` for a whole object; None for ``sessionID``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Mapping

from .catalogue import EVENT_NAMES, Location, event, qoe_params
from .edge_rules import (
    STATE_EVENTS,
    STATES_OBJECT,
    Place,
    classic_events,
    edge_event,
    home_object,
    key_for,
    no_counterpart_reason,
    place_of,
)

__all__ = [
    "EdgeCall",
    "EdgeMappingError",
    "NEW_SESSION_HANDLE",
    "EDGE_PATH",
    "to_edge",
    "to_classic",
    "to_classic_events",
    "DOWNLOADED",
    "batch_entries",
    "batch_entry_call",
    "edge_field",
    "classic_field",
    "no_edge_counterpart",
    "no_counterpart_why",
    "session_id_from_response",
    "problem_details",
    "problem_summary",
    "edge_path",
    "parse_edge_path",
    "event_of_body",
    "edge_status",
    "classic_statuses",
]

NEW_SESSION_HANDLE = "media-analytics:new-session"
EDGE_PATH = "/ee/va/v1/{event}"
DOWNLOADED = "downloaded"  # the offline batch path (OpenAPI /downloaded): a whole session
# §9: /ee/va/v1/{event}, or /ee/{cluster}/va/v1/{event} with the location hint (or2, va6…).
_PATH_RE = re.compile(r"^/ee/(?:([A-Za-z0-9_-]+)/)?va/v1/([A-Za-z]+)$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
_MC = "events[0].xdm.mediaCollection"


class EdgeMappingError(ValueError):
    """An Edge body that has no classic equivalent; the message says which part."""


@dataclass(frozen=True)
class EdgeCall:
    """One Media Edge call: the path event (``/ee/va/v1/{path_event}``) and its XDM body."""

    path_event: str
    body: dict[str, Any]


def edge_path(path_event: str, cluster: str | None = None) -> str:
    """``/ee/va/v1/{event}``, or ``/ee/{cluster}/va/v1/{event}`` with a location hint."""
    return f"/ee/{cluster}/va/v1/{path_event}" if cluster else EDGE_PATH.format(event=path_event)


def parse_edge_path(path: str) -> tuple[str | None, str] | None:
    """(cluster, path event) of a Media Edge path; None for any other path."""
    found = _PATH_RE.match(path)
    return (found.group(1), found.group(2)) if found else None


# ---------------------------------------------------------------- classic → Edge


def to_edge(classic_body: Mapping[str, Any], session_id: str | None) -> EdgeCall:
    """The Edge call for a classic body; keys without an Edge field are left out (see
    ``no_edge_counterpart``), wrong values pass through for the backend to judge."""
    event_type = str(classic_body.get("eventType", ""))
    path_event = edge_event(event_type)
    timing = classic_body.get("playerTime")
    timing = timing if isinstance(timing, Mapping) else {}
    mc: dict[str, Any] = {}
    if "playhead" in timing:
        mc["playhead"] = _edge_playhead(timing["playhead"])
    if session_id is not None and event_type != "sessionStart":
        mc["sessionID"] = session_id
    mc.update(_detail_objects(event_type, classic_body))
    xdm: dict[str, Any] = {"eventType": f"media.{path_event}"}
    if "ts" in timing:
        xdm["timestamp"] = _timestamp(timing["ts"])
    xdm["mediaCollection"] = mc
    return EdgeCall(path_event, {"events": [{"xdm": xdm}]})


def _detail_objects(event_type: str, body: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    home = home_object(event_type)
    for key, value in _items(body.get("params")):
        place = place_of(key)
        if place is None or (place.obj != home and place.obj != "qoeDataDetails"):
            continue
        if place.obj == STATES_OBJECT:
            out.setdefault(STATE_EVENTS[event_type], []).append({place.field: value})
        else:
            out.setdefault(place.obj, {})[place.field] = value
    for key, value in _items(body.get("qoeData")):
        place = place_of(key, Location.QOE)
        if place is not None:
            out.setdefault(place.obj, {})[place.field] = value
    metadata = body.get("customMetadata")
    if isinstance(metadata, Mapping) and event_type in EVENT_NAMES \
            and event(event_type).custom_metadata:
        out["customMetadata"] = [{"name": k, "value": v} for k, v in metadata.items()]
    return out


def _items(obj: Any) -> list[tuple[str, Any]]:
    return [(str(k), v) for k, v in obj.items()] if isinstance(obj, Mapping) else []


def _edge_playhead(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return value
    return int(math.floor(value + 0.5))  # Math.round, as the Web SDK does (§9)


def _timestamp(ts: Any) -> Any:
    if isinstance(ts, bool) or not isinstance(ts, int):
        return ts  # not an instant: the backend's schema names it
    try:
        instant = _EPOCH + ts * _MS
    except OverflowError:
        return ts
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


def no_edge_counterpart(classic_body: Mapping[str, Any]) -> list[str]:
    """The body's keys that the Edge body cannot carry (the migration checklist), in order."""
    event_type = str(classic_body.get("eventType", ""))
    home = home_object(event_type)
    missing = [k for k, _ in _items(classic_body.get("params"))
               if (p := place_of(k)) is None or p.obj not in (home, "qoeDataDetails")]
    missing += [f"qoeData.{k}" for k, _ in _items(classic_body.get("qoeData"))
                if place_of(k, Location.QOE) is None]
    return missing


def no_counterpart_why(key: str) -> str:
    """Why a key listed by ``no_edge_counterpart`` has no Edge field, for the checklist."""
    return no_counterpart_reason(key.removeprefix("qoeData.")) or \
        "not a field of this event's Edge detail object"


# ---------------------------------------------------------------- Edge → classic


def event_of_body(edge_body: Any) -> str | None:
    """The path event named by the body's ``xdm.eventType`` (``media.play`` → ``play``)."""
    try:
        name = edge_body["events"][0]["xdm"]["eventType"]
    except (KeyError, IndexError, TypeError):
        return None
    return name.removeprefix("media.") if isinstance(name, str) and \
        name.startswith("media.") else None


def to_classic(path_event: str, edge_body: Mapping[str, Any]) -> dict[str, Any]:
    """The one classic body an Edge call stands for; EdgeMappingError when it has none."""
    bodies = to_classic_events(path_event, edge_body)
    if len(bodies) != 1:
        raise EdgeMappingError(f"statesUpdate carries {len(bodies)} states: it stands for "
                               f"{len(bodies)} classic events (use to_classic_events)")
    return bodies[0]


def batch_entries(edge_body: Any) -> list[Any] | None:
    """The ``mediaDownloadedEvents`` of a ``/downloaded`` batch (offline playback, OpenAPI),
    or None when the body is not one batch event holding a non-empty list of them."""
    try:
        (event,) = edge_body["events"]
        entries = event["xdm"]["mediaDownloadedEvents"]
    except (KeyError, TypeError, ValueError):
        return None
    return entries if isinstance(entries, list) and entries else None


def batch_entry_call(entry: Any, session_id: str | None) -> tuple[str, dict[str, Any]]:
    """One batch entry as the single-event call its ``mediaEventType`` names: (path event,
    Edge body). The entry carries no ``sessionID`` (the batch is its own session): given
    ``session_id`` is put in for events after the start. The path event is "" when the
    entry names no ``media.<event>``."""
    entry = entry if isinstance(entry, Mapping) else {}
    kind = entry.get("mediaEventType")
    path_event = kind.removeprefix("media.") if isinstance(kind, str) and \
        kind.startswith("media.") else ""
    mc = entry.get("mediaCollection")
    mc = dict(mc) if isinstance(mc, Mapping) else mc
    if isinstance(mc, dict) and session_id is not None and path_event != "sessionStart":
        mc["sessionID"] = session_id
    return path_event, {"events": [{"xdm": {"eventType": kind, "mediaCollection": mc,
                                            "timestamp": entry.get("mediaEventTimestamp")}}]}


def to_classic_events(path_event: str, edge_body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The classic bodies an Edge call stands for (several for a multi-state statesUpdate,
    a whole session for a ``/downloaded`` batch)."""
    if path_event == DOWNLOADED:
        entries = batch_entries(edge_body)
        if entries is None:
            raise EdgeMappingError("a /downloaded batch is one event whose xdm holds a "
                                   "non-empty mediaDownloadedEvents array (§9)")
        bodies = []
        for i, entry in enumerate(entries):
            event, call = batch_entry_call(entry, None)
            try:
                bodies += to_classic_events(event or "?", call)
            except EdgeMappingError as exc:
                raise EdgeMappingError(f"mediaDownloadedEvents[{i}]: {exc}") from None
        return bodies
    xdm = _single_xdm(edge_body)
    if xdm.get("eventType") != f"media.{path_event}":
        raise EdgeMappingError(f"xdm.eventType is {xdm.get('eventType')!r} on "
                               f"/{path_event}; expected 'media.{path_event}' (§9)")
    if not classic_events(path_event):
        raise EdgeMappingError(f"/{path_event} has no Media Collection event (§9)")
    mc = xdm.get("mediaCollection")
    if not isinstance(mc, Mapping):
        raise EdgeMappingError("xdm.mediaCollection is missing or not an object (§9)")
    timing = {"playhead": mc.get("playhead"), "ts": _ms(xdm.get("timestamp"))}
    if path_event == "statesUpdate":
        return _state_bodies(mc, timing)
    return [_classic_body(path_event, mc, timing)]


def _single_xdm(edge_body: Any) -> Mapping[str, Any]:
    events = edge_body.get("events") if isinstance(edge_body, Mapping) else None
    if not isinstance(events, list) or len(events) != 1:
        count = len(events) if isinstance(events, list) else "no"
        raise EdgeMappingError(f"body has {count} events; a Media Edge call carries exactly "
                               "one in events[] (§9)")
    xdm = events[0].get("xdm") if isinstance(events[0], Mapping) else None
    if not isinstance(xdm, Mapping):
        raise EdgeMappingError("events[0].xdm is missing or not an object (§9)")
    return xdm


def _ms(stamp: Any) -> int:
    if not isinstance(stamp, str):
        raise EdgeMappingError("xdm.timestamp must be an ISO-8601 string (§9)")
    try:
        instant = datetime.fromisoformat(stamp.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise EdgeMappingError(f"xdm.timestamp {stamp!r} is not ISO-8601 (§9)") from None
    if instant.tzinfo is None:
        raise EdgeMappingError(f"xdm.timestamp {stamp!r} has no zone; add Z (§9)")
    return (instant - _EPOCH) // _MS


def _classic_body(event_type: str, mc: Mapping[str, Any], timing: dict[str, Any]
                  ) -> dict[str, Any]:
    params: dict[str, Any] = {}
    qoe: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    home = home_object(event_type)
    for name, value in mc.items():
        if name in ("playhead", "sessionID"):
            continue
        if name == "customMetadata" and isinstance(value, list):
            metadata.update(_metadata(value))
        elif name in (home, "qoeDataDetails") and isinstance(value, Mapping):
            target = qoe if name == "qoeDataDetails" else params
            target.update(_keys(name, value))
        else:
            raise EdgeMappingError(f"mediaCollection.{name} is not part of "
                                   f"media.{event_type} (§9)")
    return _assemble(event_type, timing, params, qoe, metadata)


def _keys(obj: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in fields.items():
        found = key_for(Place(obj, str(name)))
        if found is None:
            raise EdgeMappingError(f"mediaCollection.{obj}.{name} has no Media Collection "
                                   "key (§9)")
        out[found[1]] = value
    return out


def _metadata(entries: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise EdgeMappingError("mediaCollection.customMetadata entries are "
                                   "{name, value} objects (§9)")
        out[entry["name"]] = entry.get("value")
    return out


def _assemble(event_type: str, timing: dict[str, Any], params: dict[str, Any],
              qoe: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"playerTime": dict(timing), "eventType": event_type}
    spec = event(event_type)
    if spec.allows_params and (params or spec.requires_params):
        body["params"] = params
    if qoe:
        body["qoeData"] = qoe
    if metadata:
        body["customMetadata"] = metadata
    return body


def _state_bodies(mc: Mapping[str, Any], timing: dict[str, Any]) -> list[dict[str, Any]]:
    extra = sorted(set(mc) - {"playhead", "sessionID", "statesStart", "statesEnd",
                              "qoeDataDetails"})
    if extra:
        raise EdgeMappingError(f"mediaCollection.{extra[0]} is not part of media.statesUpdate")
    qoe = _keys("qoeDataDetails", mc["qoeDataDetails"]) \
        if isinstance(mc.get("qoeDataDetails"), Mapping) else {}
    bodies: list[dict[str, Any]] = []
    for event_type, array in (("stateEnd", "statesEnd"), ("stateStart", "statesStart")):
        for entry in mc.get(array) or []:
            if not isinstance(entry, Mapping) or "name" not in entry:
                raise EdgeMappingError(f"mediaCollection.{array} entries are {{name}} objects")
            at = dict(timing, ts=timing["ts"] + len(bodies))  # distinct ts, §2.2
            bodies.append(_assemble(event_type, at, {"media.state.name": entry["name"]},
                                    qoe, {}))
    if not bodies:
        raise EdgeMappingError("statesUpdate carries neither statesStart nor statesEnd (§9)")
    return bodies


# ---------------------------------------------------------------- field names


def edge_field(event_type: str, classic_key: str) -> str | None:
    """The Edge JSONPath (without ``$.``) of a classic key or body path on ``event_type``;
    None when the key has no Edge field there."""
    fixed = {"playerTime.playhead": f"{_MC}.playhead", "playerTime.ts": "events[0].xdm."
             "timestamp", "eventType": "events[0].xdm.eventType"}
    if classic_key in fixed:
        return fixed[classic_key]
    if classic_key == "customMetadata" or classic_key.startswith("customMetadata."):
        return f"{_MC}.customMetadata"
    if classic_key in ("params", "qoeData"):
        obj = home_object(event_type) if classic_key == "params" else "qoeDataDetails"
        return f"{_MC}.{STATE_EVENTS.get(event_type, obj)}" if obj else None
    location, key = _split(classic_key)
    place = place_of(key, location)
    if place is None or (location is Location.PARAMS
                         and place.obj not in (home_object(event_type), "qoeDataDetails")):
        return None
    if place.obj == STATES_OBJECT:
        return f"{_MC}.{STATE_EVENTS[event_type]}[0].{place.field}"
    return f"{_MC}.{place.obj}.{place.field}"


def _split(classic_key: str) -> tuple[Location, str]:
    for location in Location:
        if classic_key.startswith(location.value + "."):
            return location, classic_key[len(location.value) + 1:]
    qoe = any(p.key == classic_key for p in qoe_params())
    return (Location.QOE if qoe else Location.PARAMS), classic_key


_PATH_HEAD = re.compile(r"^\$?\.?(?:events\[\d+\]\.)?(?:xdm\.)?")


def classic_field(edge_path: str) -> str | None:
    """The classic key (or ``playerTime.*``/``eventType``) an Edge JSONPath names."""
    rest = _PATH_HEAD.sub("", edge_path.strip())
    if rest in ("eventType", "timestamp"):
        return "eventType" if rest == "eventType" else "playerTime.ts"
    parts = rest.removeprefix("mediaCollection.").split(".") \
        if rest.startswith("mediaCollection.") else []
    if not parts or parts[0] == "sessionID":
        return None
    head = re.sub(r"\[.*$", "", parts[0])
    if head == "playhead":
        return "playerTime.playhead"
    if head == "customMetadata":
        return "customMetadata"
    if head in STATE_EVENTS.values():
        return "media.state.name"
    if len(parts) == 1:
        return "qoeData" if head == "qoeDataDetails" else "params"
    found = key_for(Place(head, re.sub(r"\[.*$", "", parts[1])))
    return found[1] if found else None


# ---------------------------------------------------------------- responses

# The classic answer → its Edge counterpart (§9): a session opens with 200 + handle, and a
# closed session is 404 (the Media Edge API has no 410).
_EDGE_STATUS = {201: 200, 410: 404}


def edge_status(classic_status: int) -> int:
    """The Edge status that means what ``classic_status`` means on the classic API."""
    return _EDGE_STATUS.get(classic_status, classic_status)


def classic_statuses(status: int) -> tuple[int, ...]:
    """The classic statuses an Edge ``status`` stands for (200 → 200 or 201, 404 → 404/410)."""
    return (status, *(c for c, e in _EDGE_STATUS.items() if e == status and c != status))



def session_id_from_response(json: Any) -> str | None:
    """The sid of a sessionStart answer: ``handle[]`` → ``media-analytics:new-session`` →
    ``payload[0].sessionId`` (§9); None when no entry carries one."""
    handles = json.get("handle") if isinstance(json, Mapping) else None
    for entry in handles if isinstance(handles, list) else []:
        if not isinstance(entry, Mapping) or entry.get("type") != NEW_SESSION_HANDLE:
            continue
        payload = entry.get("payload")
        first = payload[0] if isinstance(payload, list) and payload else None
        sid = first.get("sessionId") if isinstance(first, Mapping) else None
        if isinstance(sid, str) and sid:
            return sid
    return None


def problem_details(json: Any) -> list[tuple[str, str]]:
    """(name, reason) of every field a 400 problem or a 207's ``errors[]`` names."""
    if not isinstance(json, Mapping):
        return []
    errors = json.get("errors")
    problems: list[Any] = errors if isinstance(errors, list) else [json]
    found: list[tuple[str, str]] = []
    for problem in problems:
        report = problem.get("report") if isinstance(problem, Mapping) else None
        details = report.get("details") if isinstance(report, Mapping) else None
        for item in details if isinstance(details, list) else []:
            if isinstance(item, Mapping):
                found.append((str(item.get("name", "")), str(item.get("reason", ""))))
    return found


def problem_summary(json: Any) -> str | None:
    """``title: detail`` of an RFC 7807 problem (or a 207's first error); None if neither."""
    if isinstance(json, Mapping) and isinstance(json.get("errors"), list) and json["errors"]:
        json = json["errors"][0]
    if not isinstance(json, Mapping):
        return None
    parts = [str(json[k]) for k in ("title", "detail") if isinstance(json.get(k), str)]
    return ": ".join(parts) or None
