"""Hostile JSON gets a 400 naming the field, never a 500, and /_inspector/ stays standard JSON.

The inputs of issue 10 §2: JSON nested 1,000 levels, a 5,000-digit integer, a 401-digit
playhead, NaN/Infinity/1e400 as playhead or media.length, a ts above 2^63.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.clock import ManualClock
from inspector.server import EmbeddedServer
from mc_driver import body
from test_server_status import assert_error

_PLAYHEAD = re.compile(r'"playhead": [^,}]+')
_TS = re.compile(r'"ts": [^,}]+')
_LENGTH = re.compile(r'"media.length": [^,}]+')
_FIELD = {"playhead": (_PLAYHEAD, "playerTime.playhead"), "ts": (_TS, "playerTime.ts"),
          "media.length": (_LENGTH, "params.media.length")}


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(clock=ManualClock()) as running:
        yield running


@pytest.fixture
def http(server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=10) as client:
        yield client


def _strict(text: str) -> Any:
    """Parse as a browser would: NaN and Infinity are errors."""
    def refuse(literal: str) -> Any:
        raise AssertionError(f"non-standard JSON: {literal}")
    return json.loads(text, parse_constant=refuse)


def _with(event_type: str, field: str, literal: str, t: float = 1) -> bytes:
    pattern, _ = _FIELD[field]
    text = json.dumps(body(event_type, t))
    assert pattern.search(text), (field, text)
    return pattern.sub(f'"{field}": {literal}', text, count=1).encode()


def _start(http: httpx.Client) -> str:
    created = http.post("/api/v1/sessions", json=body("sessionStart", 0))
    assert created.status_code == 201
    return str(created.headers["location"])


def _still_serving(http: httpx.Client, location: str) -> None:
    assert http.post(f"{location}/events", json=body("play", 5)).status_code == 204
    sid = location.rsplit("/", 1)[1]
    _strict(http.get(f"/_inspector/sessions/{sid}").text)
    _strict(http.get("/_inspector/sessions").text)


_LITERALS = [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "Infinity"),
             ("1e400", "infinity"), ("9" * 401, "64-bit"), ("9" * 400 + ".5", "infinity"),
             ("9" * 5000, "64-bit"), (str(2**63), "64-bit"), (str(2**64), "64-bit"),
             (str(-2**63 - 1), "64-bit")]


@pytest.mark.parametrize("literal, why", _LITERALS)
@pytest.mark.parametrize("field", ["playhead", "ts"])
def test_bad_number_in_an_event_is_400_naming_the_field(http, field, literal, why) -> None:
    location = _start(http)
    answer = http.post(f"{location}/events", content=_with("ping", field, literal))
    assert_error(answer, 400, _FIELD[field][1], why)
    _still_serving(http, location)


@pytest.mark.parametrize("literal, why", _LITERALS)
@pytest.mark.parametrize("field", ["playhead", "media.length"])
def test_bad_number_in_a_session_start_is_400_naming_the_field(http, field, literal,
                                                               why) -> None:
    answer = http.post("/api/v1/sessions", content=_with("sessionStart", field, literal, 0))
    assert_error(answer, 400, _FIELD[field][1], why)
    _still_serving(http, _start(http))


@pytest.mark.parametrize("raw", [
    "[" * 1000 + "]" * 1000,
    '{"playerTime": {"playhead": 0, "ts": 1}, "eventType": "ping", "qoeData": '
    + '{"a": ' * 1000 + "1" + "}" * 1001,
    '{"eventType": "ping", "params": ' + "[" * 5000 + "]" * 5000 + "}",
])
def test_json_nested_1000_levels_is_400(http, raw: str) -> None:
    location = _start(http)
    for url in ("/api/v1/sessions", f"{location}/events"):
        assert_error(http.post(url, content=raw.encode()), 400, "nested", "levels")
    _still_serving(http, location)


def test_brackets_inside_strings_are_not_nesting(http) -> None:
    location = _start(http)
    deep_text = body("play", 2, qoeData={"media.qoe.bitrate": 1})
    deep_text["customMetadata"] = {"k": "[{" * 200}  # play takes no customMetadata: 400
    answer = http.post(f"{location}/events", json=deep_text)
    assert_error(answer, 400, "customMetadata")
    assert "nested" not in answer.text


def test_largest_64_bit_ts_is_taken_and_reported_as_standard_json(http) -> None:
    location = _start(http)
    answer = http.post(f"{location}/events", content=_with("ping", "ts", str(2**63 - 1)))
    assert answer.status_code == 204, answer.text
    _still_serving(http, location)


@pytest.mark.parametrize("literal", ["NaN", "1e400", "9" * 5000, "[" * 1000 + "]" * 1000])
def test_inspector_routes_refuse_the_same_numbers(http, literal: str) -> None:
    for path, key in (("/_inspector/clock", "advance"), ("/_inspector/faults", "delay_ms")):
        answer = http.post(path, content=f'{{"{key}": {literal}}}',
                           headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["message"]
    assert http.get("/_inspector/clock").json()["offset"] == 0
    assert http.get("/_inspector/faults").json() == {"faults": []}


_FUZZ = settings(max_examples=150, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])
_number_text = (st.from_regex(r"-?(0|[1-9][0-9]{0,450})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?",
                              fullmatch=True)
                | st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]))


@_FUZZ
@given(field=st.sampled_from(["playhead", "ts", "media.length"]), literal=_number_text)
def test_any_number_literal_is_taken_or_400_naming_the_field(http, field, literal) -> None:
    if field == "media.length":
        answer = http.post("/api/v1/sessions", content=_with("sessionStart", field, literal, 0))
        location = answer.headers.get("location") or _start(http)
    else:
        location = _start(http)
        answer = http.post(f"{location}/events", content=_with("play", field, literal))
    assert answer.status_code in (201, 204, 400), answer.text
    if answer.status_code == 400:
        assert _FIELD[field][1] in answer.json()["message"]
    _still_serving(http, location)


_finite = (st.floats(allow_nan=False, allow_infinity=False)
           | st.integers(min_value=-2**63, max_value=2**63 - 1))


@_FUZZ
@given(playhead=_finite, length=_finite, bitrate=_finite, ts=_finite)
def test_extreme_finite_numbers_never_break_the_report(http, playhead, length, bitrate,
                                                       ts) -> None:
    start = body("sessionStart", 0)
    start["params"]["media.length"] = length
    created = http.post("/api/v1/sessions", content=json.dumps(start))
    location = created.headers.get("location") or _start(http)
    event = body("bitrateChange", 1, qoeData={"media.qoe.bitrate": bitrate})
    event["playerTime"] = {"playhead": playhead, "ts": ts}
    for payload in (event, body("play", 2, playhead=playhead), body("sessionEnd", 3)):
        answer = http.post(f"{location}/events", content=json.dumps(payload))
        assert answer.status_code in (204, 400, 410), answer.text
    sid = location.rsplit("/", 1)[1]
    _strict(http.get(f"/_inspector/sessions/{sid}").text)
