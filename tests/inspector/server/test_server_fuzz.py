"""Hypothesis-made bodies, headers, methods and paths never get a 5xx (faults are off)."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.clock import ManualClock
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.server import EmbeddedServer
from mc_driver import body

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner,
                                                               max_size=4),
    max_leaves=12)
_keys = st.sampled_from(["playerTime", "eventType", "params", "qoeData", "customMetadata",
                         "ts", "playhead", "media.length", "media.qoe.bitrate",
                         "media.state.name", "statesStart"])


@st.composite
def _mutated_body(draw: st.DrawFn) -> Any:
    """A valid body of any type with one value replaced, added or removed at any depth."""
    payload = body(draw(st.sampled_from(EVENT_NAMES)), draw(st.integers(0, 10**6)) / 1000)
    target: Any = payload
    for _ in range(draw(st.integers(0, 2))):
        nested = [k for k, v in target.items() if isinstance(v, dict)]
        if not nested:
            break
        target = target[draw(st.sampled_from(nested))]
    key = draw(_keys | st.sampled_from(sorted(target)))
    if draw(st.booleans()):
        target.pop(key, None)
    else:
        target[key] = draw(_json | st.sampled_from(["statesUpdate", "seekStart", "ping"]))
    return payload


_header_name = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,20}", fullmatch=True).filter(
    lambda n: n.lower() not in {"content-length", "transfer-encoding", "host", "connection",
                                "expect", "upgrade"})
_header_value = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40).map(
    str.strip)  # h11 refuses surrounding whitespace before it reaches the server


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer(clock=ManualClock()) as running:
        yield running


@pytest.fixture
def live(server: EmbeddedServer) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=5) as http:
        yield http, _new_session(http)


def _new_session(http: httpx.Client) -> str:
    """A fresh open session, so a fuzzed sessionEnd never turns later checks into 410s."""
    created = http.post("/api/v1/sessions", json=body("sessionStart", 0))
    return str(created.headers["location"])


_FUZZ = settings(max_examples=250, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ
@given(payload=_mutated_body() | _json, to_sessions=st.booleans())
def test_json_bodies_never_5xx(live, payload: Any, to_sessions: bool) -> None:
    http, _ = live
    url = "/api/v1/sessions" if to_sessions else f"{_new_session(http)}/events"
    response = http.post(url, content=json.dumps(payload).encode())
    assert response.status_code in (201, 204, 400), response.text


@_FUZZ
@given(raw=st.binary(max_size=300), to_sessions=st.booleans())
def test_raw_bytes_never_5xx(live, raw: bytes, to_sessions: bool) -> None:
    http, _ = live
    url = "/api/v1/sessions" if to_sessions else f"{_new_session(http)}/events"
    assert http.post(url, content=raw).status_code == 400


@_FUZZ
@given(headers=st.dictionaries(_header_name, _header_value, max_size=6),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
       path=st.sampled_from(["/api/v1/sessions", "/api/v1/schemas/play", "/_inspector/clock",
                             "/_inspector/sessions", "/x"]) | st.text(
           st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="#?%"),
           max_size=30).map(lambda p: "/" + p.lstrip("/")))  # "//x" would be a host
def test_headers_methods_and_paths_never_5xx(live, headers, method, path) -> None:
    http, _ = live
    content = json.dumps(body("ping", 1)).encode() if method in ("POST", "PUT") else None
    for target in (path, f"{_new_session(http)}/events"):
        response = http.request(method, target, headers=headers, content=content)
        assert response.status_code < 500, (method, target, response.text)


@pytest.mark.parametrize("encoding, raw", [("gzip", b"not gzip"), ("deflate", b"zz"),
                                           ("br", b"xx"), ("x-unknown", b"{}")])
def test_undecodable_content_encoding_is_400_not_500(live, encoding: str, raw: bytes) -> None:
    http, location = live
    for _ in range(10):  # aiohttp's own decoder once dropped some of these connections
        for url in ("/api/v1/sessions", f"{location}/events", "/_inspector/faults"):
            response = http.post(url, content=raw, headers={"Content-Encoding": encoding,
                                                            "Content-Type": "application/json"})
            assert response.status_code == 400, (url, response.text)
            api = not url.startswith("/_inspector")
            assert ("Access-Control-Allow-Origin" in response.headers) is api
            assert response.json()["message"]


@pytest.mark.parametrize("compress", [gzip.compress, zlib.compress])
def test_compressed_body_over_the_limit_is_413(live, compress) -> None:
    http, _ = live
    bomb = compress(b" " * (2 * 1024 * 1024))  # 2 MiB of spaces in a few KiB
    response = http.post("/api/v1/sessions", content=bomb,
                         headers={"Content-Encoding": "gzip" if compress is gzip.compress
                                  else "deflate"})
    assert response.status_code == 413 and "larger than" in response.json()["message"]


def test_deflate_encoded_valid_body_is_accepted(live) -> None:
    http, _ = live
    raw = zlib.compress(json.dumps(body("sessionStart", 0)).encode())
    response = http.post("/api/v1/sessions", content=raw, headers={"Content-Encoding": "deflate"})
    assert response.status_code == 201


def test_gzip_encoded_valid_body_is_accepted(live) -> None:
    http, _ = live
    raw = gzip.compress(json.dumps(body("sessionStart", 0)).encode())
    response = http.post("/api/v1/sessions", content=raw, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 201
