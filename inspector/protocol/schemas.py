"""JSON Schemas (draft-04 style, spec §1.5) generated from the catalogue, and validation."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Protocol

import fastjsonschema
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from .catalogue import (
    CUSTOM_METADATA_KEY_PATTERN,
    EVENT_NAMES,
    Param,
    event,
    params_for,
    qoe_params,
)

__all__ = [
    "DRAFT_04",
    "SchemaError",
    "BodyValidator",
    "errors_with",
    "schema_for",
    "validate_body",
    "parse_and_validate",
    "json_type_name",
]

# I21: Adobe's page shows both; the backend serves the http:// form.
DRAFT_04 = "http://json-schema.org/draft-04/schema#"
_CUSTOMER_IDS = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "authState": {"enum": [0, 1, 2]}},
        "required": ["id"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class SchemaError:
    """One validation failure, located by a dotted path (``params.media.length``)."""

    path: str
    message: str
    kind: str = "schema"  # the failing keyword: type, required, additionalProperties, ...
    authority: str = ""  # whose schema says so, when not our catalogue's (the target's)

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text} ({self.authority})" if self.authority else text


class BodyValidator(Protocol):
    """What checks a decoded body before it is sent (issue 17): our catalogue's schemas by
    default, or a target's fetched ones. ``authority`` is "" for ours, else who decides."""

    authority: str

    def __call__(self, body: Any) -> list[SchemaError]: ...


def _param_schema(param: Param) -> dict[str, Any]:
    if param.key == "visitor.customerIDs":
        return dict(_CUSTOMER_IDS)
    schema: dict[str, Any] = {"type": param.type.value, "description": param.description}
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    return schema


def _object(params: tuple[Param, ...], required: list[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {p.key: _param_schema(p) for p in params},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _event_definition(name: str) -> dict[str, Any]:
    spec = event(name)
    properties: dict[str, Any] = {
        "playerTime": {"$ref": "#/definitions/playerTime"},
        "eventType": {"type": "string", "enum": [name]},
        "qoeData": {"$ref": "#/definitions/qoeData"},
    }
    required = ["playerTime", "eventType"]
    if spec.allows_params:
        own = params_for(name)
        # I7: quality keys are also taken in params (the advisor warns about it).
        properties["params"] = _object(own + qoe_params(),
                                       [p.key for p in own if p.required(name)])
        if spec.requires_params:
            required.append("params")
    if spec.custom_metadata:
        properties["customMetadata"] = {"$ref": "#/definitions/customMetadata"}
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


@cache
def _schema_text(name: str) -> str:
    definitions = {
        "playerTime": {
            "type": "object",
            "properties": {"playhead": {"type": "number", "minimum": 0},
                           "ts": {"type": "integer", "minimum": 0}},
            "required": ["playhead", "ts"],
            "additionalProperties": False,
        },
        "eventType": {"type": "string", "enum": list(EVENT_NAMES)},
        "qoeData": _object(qoe_params(), []),
        "customMetadata": {
            "type": "object",
            "patternProperties": {CUSTOM_METADATA_KEY_PATTERN: {"type": "string"}},
            "additionalProperties": False,
        },
        name: _event_definition(name),
    }
    return json.dumps({
        "$schema": DRAFT_04,
        "id": f"/api/v1/schemas/{name}",
        "type": "object",
        "$ref": f"#/definitions/{name}",
        "definitions": definitions,
    })


def schema_for(event_type: str, base_url: str = "") -> dict[str, Any]:
    """The JSON Schema the backend validates ``event_type`` with; KeyError if unknown."""
    event(event_type)
    schema = json.loads(_schema_text(event_type))
    schema["id"] = base_url.rstrip("/") + schema["id"]
    return schema


@cache
def _validator(event_type: str) -> Draft4Validator:
    return Draft4Validator(schema_for(event_type))


@cache
def _fast_check(event_type: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python (fastjsonschema): ~30x faster, no error details."""
    return fastjsonschema.compile(schema_for(event_type))


def _surely_valid(event_type: str, body: dict[str, Any]) -> bool:
    """True when the compiled check passes ``body``; any doubt goes to the full validator."""
    try:
        _fast_check(event_type)(body)
    except Exception:  # a schema failure, or a body the compiled code cannot handle
        return False
    return True


def full_validation(event_type: str, body: Any) -> list[SchemaError]:
    """Every failure from the reference validator (jsonschema), most useful first."""
    return errors_with(_validator(event_type), body)


def errors_with(validator: Draft4Validator, body: Any) -> list[SchemaError]:
    """Every failure of ``body`` against any schema's validator, described as ours are."""
    errors = sorted(validator.iter_errors(body),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    return [_describe(e) for e in errors]


def json_type_name(value: Any) -> str:
    """The JSON name of a Python value's type, as a user reads it in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number (fraction)" if not value.is_integer() else "number"
    names: dict[type, str] = {str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _describe(error: ValidationError) -> SchemaError:
    found = _describe_plain(error)
    return SchemaError(found.path, found.message, str(error.validator))


def _describe_plain(error: ValidationError) -> SchemaError:
    path = ".".join(str(p) for p in error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        return SchemaError(path, f"expected {expected}, got {json_type_name(error.instance)}")
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return SchemaError(f"{path}.{missing}" if path else missing, "required but missing")
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        pattern = error.schema.get("patternProperties")
        extra = sorted(k for k in error.instance if k not in allowed
                       and not (pattern and re.match(CUSTOM_METADATA_KEY_PATTERN, k)))
        if pattern:
            return SchemaError(path, f"key(s) {', '.join(map(repr, extra))} must match "
                                     f"{CUSTOM_METADATA_KEY_PATTERN}")
        where = f"{path}." if path else ""
        owner = error.instance.get("eventType") if not path else None
        place = f"not allowed on {owner}" if isinstance(owner, str) else "not allowed here"
        return SchemaError(f"{where}{extra[0]}" if extra else path,
                           place + (f" (also {', '.join(extra[1:])})" if len(extra) > 1 else ""))
    if kind == "enum":
        return SchemaError(path, f"must be one of {', '.join(map(json.dumps, expected))}, "
                                 f"got {json.dumps(error.instance)}")
    if kind == "minimum":
        return SchemaError(path, f"must be >= {expected}, got {error.instance}")
    return SchemaError(path, error.message)


def validate_body(body: Any) -> list[SchemaError]:
    """All schema failures of a decoded request body, most useful first; [] when valid."""
    if not isinstance(body, dict):
        return [SchemaError("", f"body must be a JSON object, got {json_type_name(body)}",
                            "type")]
    event_type = body.get("eventType")
    if not isinstance(event_type, str):
        return [SchemaError("eventType", "required string" if event_type is None
                            else f"expected string, got {json_type_name(event_type)}",
                            "required" if event_type is None else "type")]
    if event_type not in EVENT_NAMES:
        return [SchemaError("eventType", f"unknown event type {event_type!r}; expected one "
                                         f"of {', '.join(EVENT_NAMES)}", "enum")]
    # Valid bodies (nearly all) pass the compiled check alone; the reference validator
    # explains the others (tests/inspector/test_schema_fast_path.py keeps the two agreeing).
    if _surely_valid(event_type, body):
        return []
    return full_validation(event_type, body)


def parse_and_validate(raw: bytes | str) -> tuple[Any, list[SchemaError]]:
    """Decode JSON text and validate it; bad UTF-8 or JSON becomes one SchemaError."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        return None, [SchemaError("", f"body is not UTF-8 ({exc.reason} at byte {exc.start})",
                                  "encoding")]
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [SchemaError("", f"invalid JSON: {exc.msg} at line {exc.lineno} "
                                      f"column {exc.colno}", "json")]
    return body, validate_body(body)

