"""Every row of spec §1.3's status table, with the headers of §1.2, over real HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from mc_driver import Api, body

CORS = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "OPTIONS,POST,PUT",
    "access-control-allow-headers": "Content-Type",
    "access-control-expose-headers": "Location",
}


def assert_cors(response: httpx.Response) -> None:
    for name, value in CORS.items():
        assert response.headers.get(name) == value, (name, response.status_code)


def assert_no_cors(response: httpx.Response) -> None:
    """/_inspector/ answers grant no origin anything (guard)."""
    leaked = [n for n in response.headers if n.lower().startswith("access-control-")]
    assert not leaked, (leaked, response.request.url)


def assert_error(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    message = response.json()["message"]
    for word in words:
        assert word in message, (word, message)
    if response.request.url.path.startswith("/_inspector"):
        assert_no_cors(response)
    else:
        assert_cors(response)
    return message


async def test_201_session_created_with_location_and_empty_octet_stream(http) -> None:
    response = await http.post("/api/v1/sessions", json=body("sessionStart", 0))
    assert response.status_code == 201
    assert re.fullmatch(r"/api/v1/sessions/[0-9a-f]{64}", response.headers["location"])
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-length"] == "0" and response.content == b""
    assert_cors(response)


async def test_each_session_gets_its_own_sid(api: Api) -> None:
    sids = {await api.start() for _ in range(5)}
    assert len(sids) == 5


async def test_204_event_accepted_with_cors_and_no_body(api: Api) -> None:
    sid = await api.start()
    response = await api.send(sid, "play", 1)
    assert response.status_code == 204 and response.content == b""
    assert_cors(response)


@pytest.mark.parametrize("raw, words", [
    (b'{"eventType": "play", ', ["invalid JSON"]),
    (b"\xff\xfe{}", ["not UTF-8"]),
    (b"[1, 2]", ["JSON object", "array"]),
    (b"", ["invalid JSON"]),
    (b'"play"', ["JSON object", "string"]),
])
async def test_400_bad_json_on_both_endpoints(api: Api, raw: bytes, words: list[str]) -> None:
    sid = await api.start()
    for url in ("/api/v1/sessions", f"/api/v1/sessions/{sid}/events"):
        assert_error(await api.http.post(url, content=raw), 400, *words)


async def test_400_schema_failure_names_the_field(api: Api) -> None:
    sid = await api.start()
    bad = body("play", 1)
    bad["playerTime"]["ts"] = "1767225600000"  # I1: a string ts fails validation
    assert_error(await api.post(sid, bad), 400, "play", "playerTime.ts", "integer")
    start = body("sessionStart", 0)
    del start["params"]["media.length"]
    response = await api.http.post("/api/v1/sessions", json=start)
    assert_error(response, 400, "params.media.length", "required")


async def test_400_session_start_sent_to_the_events_endpoint(api: Api) -> None:
    sid = await api.start()
    assert_error(await api.send(sid, "sessionStart", 1), 400, "sessionStart",
                 "/api/v1/sessions")


async def test_400_other_event_sent_to_the_sessions_endpoint(http) -> None:
    response = await http.post("/api/v1/sessions", json=body("play", 0))
    assert_error(response, 400, "sessionStart", "'play'")


async def test_400_unknown_event_type_lists_the_valid_ones(api: Api) -> None:
    sid = await api.start()
    message = assert_error(await api.send(sid, "play", 1, eventType="rewind"), 400, "rewind")
    assert "adBreakStart" in message


async def test_404_unknown_sid(http) -> None:
    response = await http.post(f"/api/v1/sessions/{'0' * 64}/events", json=body("play", 1))
    assert_error(response, 404, "0" * 64, "POST /api/v1/sessions")


async def test_410_after_session_end(api: Api) -> None:
    sid = await api.start()
    assert (await api.send(sid, "sessionEnd", 1)).status_code == 204
    assert_error(await api.send(sid, "ping", 2), 410, "sessionEnd", "POST /api/v1/sessions")


async def test_500_only_through_fault_injection(api: Api) -> None:
    sid = await api.start()
    assert (await api.http.post("/_inspector/faults", json={"status": 500})).status_code == 201
    assert_error(await api.send(sid, "play", 1), 500, "injected")
    assert (await api.send(sid, "play", 2)).status_code == 204
