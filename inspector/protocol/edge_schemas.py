"""JSON Schemas for the Media Edge bodies (spec §9), generated from the catalogue, and validation.

One schema per Edge path event, in the draft-04 style of ``schemas.py``: the detail objects
come from ``edge_rules`` (so from the catalogue), every object under ``xdm`` is closed, and
a failure is named by its JSONPath (``$.events[0].xdm.mediaCollection.sessionDetails.name``),
the form of ``report.details[].name`` in Adobe's problem bodies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

import fastjsonschema
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from .catalogue import CUSTOM_METADATA_KEY_PATTERN, event
from .edge_rules import (
    STATE_EVENTS,
    classic_events,
    edge_events,
    event_params,
    event_qoe,
    home_object,
)
from .schemas import DRAFT_04, _describe, _param_schema

__all__ = ["EdgeError", "edge_schema_for", "validate_edge", "TIMESTAMP_PATTERN"]

# ISO-8601 with a zone, as Adobe's examples write it ("2022-03-04T13:39:00+00:00", "…16Z").
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"
_STATE_NAME = r"^[a-zA-Z0-9_.]{1,64}$"  # the OpenAPI's statesUpdate pattern


@dataclass(frozen=True)
class EdgeError:
    """One validation failure: the JSONPath of the field and the reason, as in a problem."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def _closed(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def _detail(classic: str) -> dict[str, Any]:
    fields = event_params(classic)
    return _closed({pl.field: _param_schema(p) for p, pl in fields},
                   [pl.field for p, pl in fields if p.required(classic)])


def _states() -> dict[str, Any]:
    item = _closed({"name": {"type": "string", "pattern": _STATE_NAME}}, ["name"])
    return {"type": "array", "minItems": 1, "items": item}


def _media_collection(path_event: str) -> dict[str, Any]:
    classic = classic_events(path_event)[0]
    props: dict[str, Any] = {"playhead": {"type": "integer", "minimum": 0}}
    required = ["playhead"]
    if classic != "sessionStart":
        props["sessionID"] = {"type": "string", "minLength": 1}
        required.append("sessionID")
    home = home_object(classic)
    if path_event == "statesUpdate":
        props.update({array: _states() for array in STATE_EVENTS.values()})
    elif home:
        props[home] = _detail(classic)
        if event(classic).requires_params:
            required.append(home)
    props["qoeDataDetails"] = _closed({pl.field: _param_schema(p) for p, pl in event_qoe()})
    if event(classic).custom_metadata:
        entry = _closed({"name": {"type": "string", "pattern": CUSTOM_METADATA_KEY_PATTERN},
                         "value": {"type": "string"}}, ["name", "value"])
        props["customMetadata"] = {"type": "array", "items": entry}
    schema = _closed(props, required)
    if path_event == "statesUpdate":
        schema["anyOf"] = [{"required": [a]} for a in STATE_EVENTS.values()]
    return schema


@cache
def _schema_text(path_event: str) -> str:
    xdm = {"eventType": {"type": "string", "enum": [f"media.{path_event}"]},
           "timestamp": {"type": "string", "pattern": TIMESTAMP_PATTERN},
           "mediaCollection": {"$ref": "#/definitions/mediaCollection"}}
    if path_event == "sessionStart":
        xdm["identityMap"] = {"type": "object"}
    definitions = {
        "mediaCollection": _media_collection(path_event),
        "xdm": _closed(xdm, ["eventType", "timestamp", "mediaCollection"]),
        "event": _closed({"xdm": {"$ref": "#/definitions/xdm"}}, ["xdm"]),
    }
    return json.dumps({
        "$schema": DRAFT_04,
        "id": f"/_inspector/schemas/edge/{path_event}",
        "type": "object",
        # Top level stays open: an interact call adds meta and query blocks (§9).
        "properties": {"events": {"type": "array", "minItems": 1, "maxItems": 1,
                                  "items": {"$ref": "#/definitions/event"}}},
        "required": ["events"],
        "definitions": definitions,
    })


def edge_schema_for(path_event: str) -> dict[str, Any]:
    """The JSON Schema of one Edge path event's body; KeyError for an unknown path event."""
    if path_event not in edge_events():
        raise KeyError(path_event)
    return dict(json.loads(_schema_text(path_event)))


@cache
def _validator(path_event: str) -> Draft4Validator:
    return Draft4Validator(edge_schema_for(path_event))


@cache
def _fast_check(path_event: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(edge_schema_for(path_event))


def validate_edge(path_event: str, body: Any) -> list[EdgeError]:
    """Every failure of an Edge body for ``path_event``, most useful first; [] when valid."""
    if path_event not in edge_events():
        return [EdgeError("$", f"/{path_event} is not a Media Edge event; expected one of "
                               f"{', '.join(edge_events())} (§9)")]
    try:
        _fast_check(path_event)(body)
        return []
    except Exception:  # a schema failure, or a body the compiled code cannot handle
        pass
    errors = sorted(_validator(path_event).iter_errors(body),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    return [_explain(e) for e in errors]


def _jsonpath(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _explain(error: ValidationError) -> EdgeError:
    base = _jsonpath(error.absolute_path)
    dotted = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "pattern" and error.validator_value == TIMESTAMP_PATTERN:
        return EdgeError(base, "must be an ISO-8601 date-time with a zone, e.g. "
                               "2026-01-01T00:00:00.000Z (§9)")
    if error.validator == "anyOf":
        return EdgeError(base, "needs statesStart or statesEnd (§9)")
    if error.validator in ("minItems", "maxItems") and error.absolute_path == \
            type(error.absolute_path)(["events"]):
        return EdgeError(base, f"must hold exactly one event, got {len(error.instance)} (§9)")
    found = _describe(error)
    suffix = found.path[len(dotted):].lstrip(".") if found.path.startswith(dotted) else ""
    name = f"{base}.{suffix}" if suffix else base
    if error.validator == "required":
        return EdgeError(name, "Missing required field")
    return EdgeError(name, found.message)
