"""The JSON Schema of scenario files, generated from the protocol catalogue.

``assets/scenario.schema.json`` is this schema written out (a test keeps them equal), so
editors can validate scenario files; event type names come from the catalogue only.
"""

from __future__ import annotations

from typing import Any

from ..chaos.presets import preset_names
from ..chaos.rules import Action
from ..protocol.catalogue import EVENT_NAMES

__all__ = ["ACTIONS", "scenario_schema", "SCHEMA_ID"]

SCHEMA_ID = "https://media-inspector.invalid/scenario.schema.json"
# Player actions that are not wire event names (play is both: it sends ``play``).
ACTIONS = ("pause", "buffer", "seek", "wait")

_NUMBER = {"type": "number", "minimum": 0}
_FLAT = {"type": "object", "additionalProperties": {"type": ["string", "number", "integer",
                                                             "boolean", "object"]}}
_CODES = {"oneOf": [{"type": "integer", "minimum": 100, "maximum": 599},
                    {"type": "array", "items": {"type": "integer", "minimum": 100,
                                                "maximum": 599}, "minItems": 1}]}
_CHECK = {"oneOf": [
    {"type": ["string", "number", "integer", "boolean", "null"]},
    {"type": "object", "additionalProperties": False, "minProperties": 1,
     "properties": {"min": {"type": "number"}, "max": {"type": "number"},
                    "approx": {"type": "number"}, "tolerance": _NUMBER}}]}
_CODE_LIST = {"type": "array", "items": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"}}


def _step() -> dict[str, Any]:
    return {
        "type": "object", "additionalProperties": False, "required": ["at"],
        "description": "One thing the simulated player does at a simulated time.",
        "properties": {
            "at": {**_NUMBER, "description": "simulated seconds from the start of the run"},
            "do": {"enum": [*EVENT_NAMES, *ACTIONS],
                   "description": "an event type, or a player action (pause, buffer, seek, "
                                  "wait; play sends play)"},
            "params": _FLAT, "qoeData": _FLAT, "customMetadata": _FLAT,
            "body": {"type": ["object", "string"],
                     "description": "a raw request body, sent exactly as written"},
            "to": {**_NUMBER, "description": "seek target playhead, seconds"},
            "note": {"type": "string"},
            "expect": {"type": "object", "additionalProperties": False, "properties": {
                "status": _CODES, "findings": _CODE_LIST, "noFindings": _CODE_LIST}},
        },
        "oneOf": [{"required": ["do"], "not": {"required": ["body"]}},
                  {"required": ["body"], "not": {"required": ["do"]}}],
    }


def _chaos() -> dict[str, Any]:
    names = preset_names()
    events = {"enum": list(EVENT_NAMES)}
    rule = {
        "type": "object", "additionalProperties": False, "required": ["action"],
        "description": "One client-side delivery rule; bodies (and their ts) are never "
                       "changed, only how and when they are sent.",
        "properties": {
            "action": {"enum": [a.value for a in Action],
                       "description": "delay, reorder, duplicate, drop, holdStart (the "
                                      "sessionStart answer), timeout or reset (before the "
                                      "request leaves)"},
            "events": {"oneOf": [events, {"type": "array", "items": events, "minItems": 1}],
                       "description": "event types it picks (default: every one)"},
            "nth": {"type": "integer", "minimum": 1,
                    "description": "only the n-th picked event of each session"},
            "seconds": {**_NUMBER, "description": "delay or holdStart, on the session "
                                                  "clock (past 5 s: beyond the backend's "
                                                  "reorder window, spec §2.3)"},
            "count": {"type": "integer", "minimum": 2, "maximum": 100,
                      "description": "reorder: events in the group (non-ping)"},
            "order": {"enum": ["reverse", "rotate"]},
            "enabled": {"type": "boolean"}},
    }
    return {"type": "object", "additionalProperties": False,
            "description": "Client-side delivery chaos for this run (`run --chaos` adds "
                           "presets): what the server sees versus what the player meant.",
            "properties": {
                # Names are checked by the loader, which can suggest the nearest one.
                "preset": {"type": ["string", "array"], "items": {"type": "string"},
                           "minItems": 1, "description": "one preset or a list: "
                           + ", ".join(names)},
                "rules": {"type": "array", "items": rule}}}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) every scenario file must satisfy."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#", "$id": SCHEMA_ID,
        "title": "Media Inspector scenario", "type": "object", "additionalProperties": False,
        "required": ["name", "steps"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "endpoint": {"type": "string", "description": "base URL; default: embedded"},
            "media": {**_FLAT, "description": "sessionStart params overriding the profile"},
            "options": {"type": "object", "additionalProperties": False, "properties": {
                "autoPings": {"type": "boolean"},
                "pingInterval": {"type": "number", "exclusiveMinimum": 0},
                "adPingInterval": {"type": "number", "exclusiveMinimum": 0},
                "speed": {"oneOf": [{"type": "number", "exclusiveMinimum": 0},
                                    {"const": "max"}]},
                "start": {"type": "string", "description": "ISO-8601 UTC start, or HH:MM:SS "
                          "for the most recent such time of day"},
                "serverClock": {"type": "boolean", "description": "advance the embedded "
                                "backend's clock with simulated time (timeouts)"},
                "endAt": _NUMBER}},
            "steps": {"type": "array", "minItems": 1, "items": _step()},
            "chaos": _chaos(),
            "expect": {"type": "object", "additionalProperties": False, "properties": {
                "findings": {"type": "object", "additionalProperties": False, "properties": {
                    "present": _CODE_LIST, "absent": _CODE_LIST}},
                "statuses": {"type": "object", "additionalProperties": _CODES},
                "report": {"type": "object", "additionalProperties": _CHECK}}},
        },
    }
