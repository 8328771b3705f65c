"""The catalogue and its schemas against spec §2–§5."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.protocol.bodies import PlayerTime, build_body, encode_body, sample_body
from inspector.protocol.catalogue import EVENT_NAMES, EVENTS, PARAMS, event, params_for
from inspector.protocol.schemas import parse_and_validate, schema_for, validate_body

# Spec §3's table, restated here as the independent expectation the catalogue must meet.
SPEC_REQUIRED = {
    "sessionStart": {"analytics.trackingServer", "analytics.reportSuite",
                     "visitor.marketingCloudOrgId", "media.id", "media.length",
                     "media.contentType", "media.playerName", "media.channel"},
    "adBreakStart": {"media.ad.podIndex", "media.ad.podSecond"},
    "adStart": {"media.ad.id", "media.ad.length", "media.ad.podPosition", "media.ad.playerName"},
    "chapterStart": {"media.chapter.index", "media.chapter.offset", "media.chapter.length"},
    "stateStart": {"media.state.name"},
    "stateEnd": {"media.state.name"},
}
SPEC_TYPES = {
    "media.length": "number", "media.ad.podIndex": "integer", "media.ad.podSecond": "number",
    "media.ad.length": "number", "media.ad.podPosition": "integer",
    "media.chapter.index": "integer", "media.chapter.offset": "number",
    "media.chapter.length": "number", "visitor.aamLocationHint": "integer",
    "analytics.enableSSL": "boolean", "media.resume": "boolean", "media.id": "string",
}
SWAGGER_ENUM = {
    "sessionStart", "sessionComplete", "sessionEnd", "adBreakStart", "adBreakComplete",
    "adStart", "adComplete", "adSkip", "chapterStart", "chapterComplete", "chapterSkip", "play",
    "ping", "bufferStart", "pauseStart", "bitrateChange", "error", "stateStart", "stateEnd",
}


def test_nineteen_wire_values_as_in_the_swagger_enum() -> None:
    assert set(EVENT_NAMES) == SWAGGER_ENUM
    assert len(EVENT_NAMES) == len(set(EVENT_NAMES)) == 19


def test_no_parameter_is_listed_twice() -> None:
    keys = [(p.key, p.location) for p in PARAMS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_required_params_match_spec(name: str) -> None:
    schema = schema_for(name)
    definition = schema["definitions"][name]
    params = definition["properties"].get("params", {})
    assert set(params.get("required", [])) == SPEC_REQUIRED.get(name, set())
    assert ("params" in definition["required"]) == (name in SPEC_REQUIRED)


def test_param_types_match_spec() -> None:
    for key, json_type in SPEC_TYPES.items():
        assert next(p for p in PARAMS if p.key == key).type.value == json_type, key


def test_schema_shape_of_spec_1_5() -> None:
    schema = schema_for("adStart", "http://127.0.0.1:9")
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["$ref"] == "#/definitions/adStart"
    assert schema["id"] == "http://127.0.0.1:9/api/v1/schemas/adStart"
    assert {"playerTime", "eventType", "qoeData", "customMetadata", "adStart"} <= set(
        schema["definitions"])
    assert schema["definitions"]["adStart"]["additionalProperties"] is False
    assert set(schema["definitions"]["eventType"]["enum"]) == SWAGGER_ENUM


def test_ping_has_no_params_and_custom_metadata_only_on_three() -> None:
    assert "params" not in schema_for("ping")["definitions"]["ping"]["properties"]
    with_cm = {e.name for e in EVENTS if e.custom_metadata}
    assert with_cm == {"sessionStart", "adStart", "chapterStart"}


@pytest.mark.parametrize("name", EVENT_NAMES)
def test_sample_body_of_every_event_validates(name: str) -> None:
    assert validate_body(sample_body(name)) == []


@pytest.mark.parametrize(("key", "bad", "expected"), [
    ("media.length", "1815", "params.media.length: expected number, got string"),
    ("media.id", 42, "params.media.id: expected string, got integer"),
    ("analytics.enableSSL", "yes", "params.analytics.enableSSL: expected boolean, got string"),
])
def test_wrong_type_names_the_field(key: str, bad: object, expected: str) -> None:
    body = sample_body("sessionStart")
    body["params"][key] = bad
    assert expected in [str(e) for e in validate_body(body)]


def test_ts_must_be_integer_milliseconds() -> None:
    for bad in ("1767225600000", 1767225600000.5):
        body = sample_body("play")
        body["playerTime"]["ts"] = bad
        assert [e.path for e in validate_body(body)] == ["playerTime.ts"]


def test_missing_required_and_unknown_keys_are_named() -> None:
    body = sample_body("adStart")
    del body["params"]["media.ad.playerName"]
    body["params"]["media.ad.colour"] = "red"
    messages = [str(e) for e in validate_body(body)]
    assert "params.media.ad.playerName: required but missing" in messages
    assert any(m.startswith("params.media.ad.colour") for m in messages)


def test_custom_metadata_values_are_strings_with_key_pattern() -> None:
    body = sample_body("sessionStart")
    body["customMetadata"] = {"tier": 3, "bad key": "x"}
    paths = {e.path for e in validate_body(body)}
    assert paths == {"customMetadata.tier", "customMetadata"}
    body = sample_body("play")
    body["customMetadata"] = {"tier": "gold"}
    assert [e.path for e in validate_body(body)] == ["customMetadata"]


def test_unknown_event_types_and_non_objects_rejected() -> None:
    assert validate_body({"eventType": "seekStart", "playerTime": {"playhead": 0, "ts": 1}})
    assert validate_body([1, 2])[0].message.startswith("body must be a JSON object")
    _, errors = parse_and_validate(b"\xff\xfe")
    assert "UTF-8" in errors[0].message
    _, errors = parse_and_validate('{"eventType": "play",}')
    assert errors[0].kind == "json"


def test_build_body_never_puts_params_on_ping_and_stringifies_metadata() -> None:
    ping = build_body("ping", PlayerTime(10.0, 5), params={"media.id": "x"})
    assert "params" not in ping and ping["playerTime"] == {"playhead": 10, "ts": 5}
    start = build_body("sessionStart", PlayerTime(0, 1), {"media.id": "x"},
                       custom_metadata={"n": 3, "b": True})
    assert start["customMetadata"] == {"n": "3", "b": "true"}
    assert json.loads(encode_body(start)) == start


def test_every_event_names_a_group_and_params_know_their_events() -> None:
    for spec in EVENTS:
        assert spec.group and spec.description
        for param in params_for(spec.name):
            assert spec.name in param.events
    assert event("sessionStart").endpoint == "sessions"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner,
                                                                max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EVENT_NAMES), st.dictionaries(
    st.sampled_from(["playerTime", "params", "qoeData", "customMetadata", "eventType", "x"]),
    json_values, max_size=5))
def test_validation_never_crashes(name: str, overrides: dict[str, object]) -> None:
    body = {**sample_body(name), **overrides}
    for error in validate_body(body):
        assert isinstance(str(error), str)
