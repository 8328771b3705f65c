"""Rules on one body by itself: the schema (spec §2, §4), customMetadata (§5), ts and playhead.

Schema failures come from ``schemas.validate_body``; each is mapped to one code by the JSON
Schema keyword that failed. Failures a dedicated rule explains better (ping params, unknown
keys, customMetadata, ts, negative playhead) are left to that rule, so one mistake gives one
finding.
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Container, Iterator

from ..findings import Severity
from ..protocol.catalogue import (
    EVENT_NAMES,
    PARAMS,
    event,
    params_for,
    qoe_params,
)
from ..protocol.schemas import SchemaError, schema_for
from .base import Advice, Context, EventView, Phase, rule

__all__ = ["classify", "param_key"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING
BODY = Phase.BODY
QOE_KEYS = frozenset(p.key for p in qoe_params())
# Names people send that are not wire values, with what the API uses instead (I10, I20, §3).
NOT_EVENTS = {
    "seekstart": "a seek is a playhead jump (I20): send the new playhead on the next event",
    "seekcomplete": "a seek is a playhead jump (I20): send the new playhead on the next event",
    "statesupdate": "that is the Edge API's name (I10): send stateStart and stateEnd with "
                    "params media.state.name",
    "resume": "there is no resume event: send play",
    "bufferend": "there is no buffer-end event: play ends buffering",
    "buffercomplete": "there is no buffer-end event: play ends buffering",
    "pauseend": "there is no pause-end event: play ends a pause",
}


def param_key(key: str) -> str:
    """A parameter key a rule refers to, checked against the catalogue at import."""
    if not any(p.key == key for p in PARAMS):
        raise KeyError(f"no catalogue parameter {key!r}")
    return key


def _leaf(path: str, prefix: str, keys: Container[str]) -> bool:
    return path.startswith(prefix) and path[len(prefix):] in keys


def _explained(error: SchemaError, view: EventView) -> bool:
    """True when a dedicated rule reports this schema failure instead."""
    if error.authority:  # the dedicated rules read our catalogue, not the target's schema
        return False
    path, kind_ = error.path, error.kind
    if kind_ == "additionalProperties":
        return (path in view.keys or path == "customMetadata"
                or _leaf(path, "params.", view.params) or _leaf(path, "qoeData.", view.qoe))
    if path == "playerTime.ts":
        return kind_ in ("type", "minimum")
    if path == "playerTime.playhead":
        return kind_ == "minimum"
    return kind_ == "type" and _leaf(path, "customMetadata.", view.custom_metadata)


def classify(error: SchemaError, view: EventView) -> str | None:
    """The code that reports ``error``, or None when a dedicated rule explains it."""
    if _explained(error, view):
        return None
    in_data = error.path.startswith(("params.", "qoeData."))
    if error.kind == "required" and (in_data or error.path == "params"):
        return "MISSING_REQUIRED_PARAM"
    if error.kind == "type" and in_data:
        return "WRONG_PARAM_TYPE"
    return "SCHEMA_INVALID"


def _mine(ctx: Context, code: str) -> Iterator[SchemaError]:
    return (e for e in ctx.schema_errors if classify(e, ctx.event) == code)


def _unknown_type_hint(name: str) -> str:
    folded = name.replace("_", "").lower()
    if folded in NOT_EVENTS:
        return NOT_EVENTS[folded]
    same = [n for n in EVENT_NAMES if n.lower() == folded]
    close = same or difflib.get_close_matches(name, EVENT_NAMES, n=1)
    return f"did you mean {close[0]}?" if close else f"use one of {', '.join(EVENT_NAMES)}"


def _fix(error: SchemaError) -> str:
    if not error.path or error.path == "eventType":
        return ("send a JSON object with playerTime {playhead, ts}, eventType and, where "
                "needed, params (§2.1)")
    if error.kind == "required":
        return f"add {error.path}"
    if error.kind == "minimum":
        return f"send a value within range for {error.path}"
    return f"fix {error.path}"


@cache
def _envelope(event_type: str) -> frozenset[str]:
    """The top-level keys of ``event_type``'s schema, params and customMetadata aside."""
    allowed = schema_for(event_type)["definitions"][event_type]["properties"]
    return frozenset(allowed) | {"params", "customMetadata"}


@rule("SCHEMA_INVALID", ERROR, "body fails the event's JSON Schema", "§2, §3", BODY)
def schema_invalid(ctx: Context) -> Iterator[Advice]:
    """Anything the schema rejects that no more specific rule explains."""
    view = ctx.event
    if view.type is not None and not view.known:
        yield Advice(f"eventType {view.type!r} is not a Media Collection event: the backend "
                     f"answers 400 and drops it; {_unknown_type_hint(view.type)}")
        return
    for error in _mine(ctx, "SCHEMA_INVALID"):
        yield Advice(f"{error}: the backend answers 400 and drops the event; {_fix(error)}")
    if view.known and not ctx.schema_authority:
        for key in sorted(view.keys - _envelope(view.type or "")):
            yield Advice(f"top-level key {key!r} is not part of the envelope: the backend "
                         "answers 400; move it into params, qoeData or customMetadata")


@rule("MISSING_REQUIRED_PARAM", ERROR, "a required parameter is missing", "§3, §4", BODY)
def missing_required_param(ctx: Context) -> Iterator[Advice]:
    """Required keys (or the whole params object) absent."""
    for error in _mine(ctx, "MISSING_REQUIRED_PARAM"):
        if error.path == "params" and error.authority:
            yield Advice(f"params: required on {ctx.type} but missing ({error.authority}): "
                         "the target answers 400; send params")
        elif error.path == "params":
            keys = [p.key for p in params_for(ctx.type or "") if p.required(ctx.type or "")]
            yield Advice(f"params: required on {ctx.type} but missing: the backend answers "
                         f"400; send params with {', '.join(keys)}")
        else:
            by = f" ({error.authority})" if error.authority else ""
            yield Advice(f"{error.path}: required on {ctx.type} but missing{by}: the backend "
                         "answers 400 and drops the event; add it")


@rule("WRONG_PARAM_TYPE", ERROR, "a parameter has the wrong JSON type", "§4", BODY)
def wrong_param_type(ctx: Context) -> Iterator[Advice]:
    """A params or qoeData value of the wrong JSON type (a string for a number...)."""
    for error in _mine(ctx, "WRONG_PARAM_TYPE"):
        yield Advice(f"{error}: the backend answers 400 and drops the event; send the "
                     "expected JSON type (numbers unquoted, strings quoted)")


def _suggest(key: str) -> str:
    owners = [p for p in PARAMS if p.key == key]
    if owners:
        return f"; it belongs on {', '.join(owners[0].events)}"
    endings = [k for k in (p.key for p in PARAMS) if k.endswith("." + key)]
    close = endings or difflib.get_close_matches(key, [p.key for p in PARAMS], n=1)
    return f"; did you mean {close[0]}?" if close else ""


@cache  # the catalogue is fixed: one set per event type, not one per event
def _allowed_params(event_type: str) -> frozenset[str]:
    return frozenset(p.key for p in params_for(event_type)) | QOE_KEYS


@rule("UNKNOWN_PARAM", ERROR, "a parameter the event does not take", "§4, I7", BODY)
def unknown_param(ctx: Context) -> Iterator[Advice]:
    """Keys in params or qoeData that the event's schema does not list."""
    if ctx.type is None or ctx.schema_authority:  # the target's schema lists its own keys
        return
    if event(ctx.type).allows_params:
        for key in sorted(set(ctx.event.params) - _allowed_params(ctx.type)):
            yield Advice(f"params.{key}: not a parameter of {ctx.type}: the backend answers "
                         f"400 (every object is closed){_suggest(key)}")
    for key in sorted(set(ctx.event.qoe) - QOE_KEYS):
        yield Advice(f"qoeData.{key}: not a quality key: the backend answers 400"
                     f"{_suggest(key)}")


@rule("PING_HAS_PARAMS", ERROR, "ping carries a params key", "§3.1 rule 6", BODY)
def ping_has_params(ctx: Context) -> Iterator[Advice]:
    """params on an event whose schema forbids it (ping)."""
    if ctx.type and "params" in ctx.event.keys and not event(ctx.type).allows_params \
            and not ctx.schema_authority:
        yield Advice(f"{ctx.type} must not carry a params key, not even an empty one: Adobe's "
                     "reference forbids it (§2.1); our backend answers 400 and the heartbeat "
                     "is lost, a choice of our mock, not Adobe's Swagger; send only "
                     "playerTime, eventType and optional qoeData")


@rule("QOE_IN_PARAMS", WARNING, "quality keys sent in params instead of qoeData", "§4.6, I7", BODY)
def qoe_in_params(ctx: Context) -> Iterator[Advice]:
    """media.qoe.* keys in params: accepted by our mock, but Adobe's pages disagree (I7)."""
    if ctx.type and event(ctx.type).allows_params:
        for key in sorted(set(ctx.event.params) & QOE_KEYS):
            yield Advice(f"params.{key}: quality data belongs in qoeData; Adobe's reference "
                         "reads it there and may ignore it in params; move it to qoeData")
