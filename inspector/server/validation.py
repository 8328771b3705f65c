"""Request bodies in, accepted events or a 400 message out (spec §1.3, §2, §5, §8).

The schemas come from the protocol catalogue; this module adds only what the HTTP layer
knows: which endpoint takes which event type, and the Mock's documented choices.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import Draft4Validator

from ..protocol.catalogue import EVENT_NAMES, event
from ..protocol.schemas import SchemaError, schema_for, validate_body
from . import strict_json
from .config import ServerConfig

__all__ = ["Checked", "check_body", "Endpoint"]

Endpoint = str  # "sessions" or "events", as in catalogue.EventType.endpoint
_MAX_LISTED = 5

# Names people try that the MC API does not have (I10, I20): a better hint than the enum.
_NOT_MC_EVENTS = {
    "statesUpdate": "statesUpdate is not a Media Collection event here (I10); send stateStart "
                    "and stateEnd with params media.state.name",
    "seekStart": "the Media Collection API has no seek events (I20); a seek is a playhead "
                 "jump in the next event",
    "seekComplete": "the Media Collection API has no seek events (I20); a seek is a playhead "
                    "jump in the next event",
}


@dataclass(slots=True)  # not frozen: a frozen dataclass costs every call to build
class Checked:
    """The outcome for one body: the decoded event, or a message for a 400."""

    body: dict[str, Any] | None
    event_type: str | None
    error: str | None = None


def check_body(raw: bytes, endpoint: Endpoint, config: ServerConfig) -> Checked:
    """Decode and validate ``raw`` for ``endpoint``; ``error`` is set when it must be 400."""
    quick = strict_json.quick_loads(raw)
    if endpoint == "events" and _plain_ping(quick):
        return Checked(quick, "ping")
    body, errors = _parse_and_validate(raw, quick)
    event_type = _event_type(body)
    if event_type is None and errors:
        return Checked(None, None, _message("body", errors))
    assert isinstance(body, dict) and event_type is not None
    if event_type == "statesUpdate" and not config.reject_states_update:
        return _states_update(body, endpoint)
    if event_type in _NOT_MC_EVENTS:
        return Checked(None, event_type, f"eventType: {_NOT_MC_EVENTS[event_type]}")
    wrong = (_wrong_endpoint(event_type, endpoint, event(event_type).endpoint)
             if event_type in EVENT_NAMES else None)
    if wrong:
        return Checked(None, event_type, wrong)
    if not config.custom_metadata_only_where_allowed and "customMetadata" in body:
        errors = _with_metadata_anywhere(body)
    if errors:
        return Checked(None, event_type, _message(event_type, errors))
    return Checked(body, event_type)


def _plain_ping(body: Any) -> bool:
    """True for a ping holding only ``playerTime`` (``playhead`` >= 0, ``ts`` >= 0), the
    body a player sends every 10 s: surely valid under the ping schema (no optional part
    to check), so the schema check is skipped. tests/inspector/server/test_quick_json.py
    holds the schema accepting every such body."""
    if type(body) is not dict or len(body) != 2 or body.get("eventType") != "ping":
        return False
    pt = body.get("playerTime")
    if type(pt) is not dict or len(pt) != 2:
        return False
    playhead, ts = pt.get("playhead"), pt.get("ts")
    return (type(ts) is int and ts >= 0 and (type(playhead) is float or type(playhead) is int)
            and playhead >= 0)


def _parse_and_validate(raw: bytes, quick: Any) -> tuple[Any, list[SchemaError]]:
    """Decode (standard JSON, 64-bit integers, finite numbers) and validate; bad UTF-8 or
    JSON becomes one SchemaError naming the field where it can. ``quick`` is what
    ``strict_json.quick_loads`` made of ``raw``."""
    if quick is not strict_json.UNSURE:
        return quick, validate_body(quick)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [SchemaError("", f"body is not UTF-8 ({exc.reason} at byte {exc.start})",
                                  "encoding")]
    try:
        body = strict_json.loads(text, raw)
    except strict_json.JsonRefused as exc:
        return None, [SchemaError("", str(exc), "json")]
    except json.JSONDecodeError as exc:
        return None, [SchemaError("", f"invalid JSON: {exc.msg} at line {exc.lineno} "
                                      f"column {exc.colno}", "json")]
    return body, validate_body(body)  # a compiled check first: jsonschema only explains


def _event_type(body: Any) -> str | None:
    value = body.get("eventType") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def _message(subject: str, errors: list[SchemaError]) -> str:
    shown = "; ".join(str(e) for e in errors[:_MAX_LISTED])
    more = f" (and {len(errors) - _MAX_LISTED} more)" if len(errors) > _MAX_LISTED else ""
    if subject == "body" or errors[0].kind in ("json", "encoding") or subject not in EVENT_NAMES:
        return f"{shown}{more}"
    return f"{subject} failed validation: {shown}{more}"


def _wrong_endpoint(event_type: str, endpoint: Endpoint, expected: Endpoint) -> str | None:
    if expected == endpoint:
        return None
    if endpoint == "events":
        return ("eventType: sessionStart opens a session: POST it to /api/v1/sessions, "
                "not to a session's events")
    return (f"eventType: POST /api/v1/sessions takes a sessionStart event, got {event_type!r}; "
            "send it to /api/v1/sessions/{sid}/events")


@lru_cache(maxsize=1)
def _metadata_validator() -> Draft4Validator:
    definition = schema_for("sessionStart")["definitions"]["customMetadata"]
    return Draft4Validator(definition)


def _with_metadata_anywhere(body: dict[str, Any]) -> list[SchemaError]:
    """I6 relaxed: validate the body without customMetadata, and the metadata on its own."""
    rest = {k: v for k, v in body.items() if k != "customMetadata"}
    errors = validate_body(body) if event(str(body["eventType"])).custom_metadata \
        else validate_body(rest)
    errors += [SchemaError("customMetadata", e.message, str(e.validator))
               for e in _metadata_validator().iter_errors(body["customMetadata"])]
    return errors


def _states_update(body: dict[str, Any], endpoint: Endpoint) -> Checked:
    """I10 relaxed: statesUpdate with params.statesStart/statesEnd lists of states."""
    if endpoint != "events":
        return Checked(None, "statesUpdate", _wrong_endpoint("statesUpdate", endpoint, "events"))
    errors: list[SchemaError] = []
    extra = sorted(set(body) - {"playerTime", "eventType", "params", "qoeData"})
    errors += [SchemaError(k, "not allowed here", "additionalProperties") for k in extra]
    params = body.get("params")
    if not isinstance(params, dict) or not params or set(params) - {"statesStart", "statesEnd"}:
        errors.append(SchemaError("params", "must hold statesStart and/or statesEnd lists"))
        params = {}
    for key, entries in params.items():
        if not isinstance(entries, list):
            errors.append(SchemaError(f"params.{key}", "expected array"))
            continue
        for i, entry in enumerate(entries):
            probe = {"playerTime": body.get("playerTime"), "eventType": "stateStart",
                     "params": entry}
            errors += [SchemaError(f"params.{key}.{i}{e.path.removeprefix('params')}",
                                   e.message, e.kind)
                       for e in validate_body(probe) if e.path != "playerTime"
                       and not e.path.startswith("playerTime.")]
    errors += [e for e in validate_body({"playerTime": body.get("playerTime"),
                                         "eventType": "ping"}) if e.path.startswith("playerTime")]
    if errors:
        return Checked(None, "statesUpdate", _message("statesUpdate", errors))
    return Checked(body, "statesUpdate")
