"""The compiled schema check (protocol/schemas.py, which the backend validates with) agrees
with jsonschema's Draft4Validator on every generated body, edge values included."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from inspector.protocol.catalogue import EVENT_NAMES
from inspector.protocol.schemas import _surely_valid, schema_for
from test_server_fuzz import _json, _mutated_body

_SCHEMAS = {name: schema_for(name) for name in EVENT_NAMES}
_COMPILED = {name: (lambda body, n=name: _surely_valid(n, body)) for name in EVENT_NAMES}
_JSONSCHEMA = {name: Draft4Validator(schema) for name, schema in _SCHEMAS.items()}
_values = _json | st.sampled_from([1.0, 0.5, -1, -0.0, True, False, 0, 2, "0", None,
                                   {"id": "x", "authState": 1.0}, {"id": "x", "authState": True},
                                   {"a": {"id": "x"}}, {"a": {"id": 1}}, {"bad key": "v"}])


@settings(max_examples=500, deadline=None)
@given(payload=_mutated_body() | _json, schema=st.sampled_from(EVENT_NAMES))
def test_compiled_verdict_equals_jsonschema(payload: Any, schema: str) -> None:
    expected = not any(True for _ in _JSONSCHEMA[schema].iter_errors(payload))
    assert _COMPILED[schema](payload) is expected, (schema, payload)


@settings(max_examples=300, deadline=None)
@given(event_type=st.sampled_from(EVENT_NAMES), where=st.sampled_from(
    ["params", "qoeData", "customMetadata", "playerTime", "params.visitor.customerIDs"]),
       key=st.sampled_from(["media.length", "media.qoe.bitrate", "playhead", "ts", "k",
                            "media.ad.podIndex", "x", "media.id"]), value=_values)
def test_compiled_verdict_equals_jsonschema_on_edge_values(event_type, where, key,
                                                           value) -> None:
    from mc_driver import body
    payload = body(event_type, 1)
    target = payload
    for part in where.split(".", 1)[:1]:
        target = target.setdefault(part, {})
    if where.endswith("customerIDs"):
        target = target.setdefault("visitor.customerIDs", {})
    if isinstance(target, dict):
        target[key] = value
    expected = not any(True for _ in _JSONSCHEMA[event_type].iter_errors(payload))
    assert _COMPILED[event_type](payload) is expected, (event_type, payload)

