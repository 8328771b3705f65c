"""A web page the user visits sends what a browser would, and changes nothing (guard).

Each request is the one a browser builds: a cross-site "simple" request (no preflight)
carries ``Origin`` and a ``text/plain``, form or multipart body; a DNS-rebound page is
"same-origin" to the browser, so it may send JSON, but its ``Host`` is the attacker's name.
The Media Collection routes keep Adobe's CORS behaviour (spec §1.2).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from inspector.clock import ManualClock
from inspector.server import EmbeddedServer, ServerConfig
from mc_driver import body
from test_server_status import assert_cors, assert_error, assert_no_cors

EVIL = "http://evil.example"
_SIMPLE_BODIES = [  # what fetch(mode: "no-cors") and <form> may send cross-site unasked
    ("text/plain;charset=UTF-8", json.dumps({"status": 500, "count": 99})),
    ("application/x-www-form-urlencoded", '{"status":500,"count":99}='),
    ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="a"'
                                        '\r\n\r\n{"advance": 999}\r\n--x--\r\n'),
]
_BROWSER = {"Origin": EVIL, "Referer": f"{EVIL}/", "Sec-Fetch-Site": "cross-site",
            "Sec-Fetch-Mode": "no-cors"}


@pytest.fixture
def live(server: EmbeddedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, trust_env=False, timeout=5) as http:
        yield http


def _port(server: EmbeddedServer) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def _untouched(http: httpx.Client, sid: str) -> None:
    """No fault rule, no clock move, and the session still takes events."""
    assert http.get("/_inspector/faults").json() == {"faults": []}
    assert http.get("/_inspector/clock").json()["offset"] == 0
    assert http.post(f"/api/v1/sessions/{sid}/events", json=body("ping", 10)).status_code == 204


def _start(http: httpx.Client) -> str:
    return str(http.post("/api/v1/sessions", json=body("sessionStart", 0)).headers[
        "location"].rsplit("/", 1)[1])


@pytest.mark.parametrize("content_type, payload", _SIMPLE_BODIES)
@pytest.mark.parametrize("path", ["/_inspector/faults", "/_inspector/clock"])
def test_cross_site_simple_post_is_refused_before_it_acts(live, content_type, payload,
                                                          path) -> None:
    sid = _start(live)
    answer = live.post(path, content=payload, headers={**_BROWSER, "Content-Type": content_type})
    assert_error(answer, 415, "application/json", content_type.split(";")[0])
    _untouched(live, sid)


def test_cross_site_delete_without_json_is_refused(live) -> None:
    live.post("/_inspector/faults", json={"status": 500, "sid": "x"})
    assert_error(live.delete("/_inspector/faults", headers=_BROWSER), 415, "none")
    assert len(live.get("/_inspector/faults").json()["faults"]) == 1


def test_inspector_answers_grant_no_origin(live) -> None:
    sid = _start(live)
    for answer in (live.get("/_inspector/sessions", headers=_BROWSER),
                   live.get(f"/_inspector/sessions/{sid}", headers=_BROWSER),
                   live.get("/_inspector/clock", headers=_BROWSER),
                   live.post("/_inspector/faults", content="x", headers=_BROWSER)):
        assert_no_cors(answer)
    preflight = live.options("/_inspector/faults", headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 405
    assert_no_cors(preflight)


@pytest.mark.parametrize("host", ["rebind.evil.example:{port}", "evil.example",
                                  "127.0.0.1:1", "localhost", "127.0.0.2:{port}",
                                  "localhost.evil.example:{port}"])
def test_rebound_or_wrong_host_is_421_and_reads_or_changes_nothing(live, server, host) -> None:
    sid = _start(live)
    host = host.format(port=_port(server))
    page = {"Host": host, "Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"}
    for answer in (live.get("/_inspector/sessions", headers=page),
                   live.get(f"/_inspector/sessions/{sid}", headers=page),
                   live.post("/_inspector/faults", json={"status": 500}, headers=page),
                   live.post("/_inspector/clock", json={"advance": 999}, headers=page),
                   live.delete("/_inspector/faults", headers={**page,
                                                              "Content-Type": "application/json"})):
        message = assert_error(answer, 421, host)
        assert sid not in answer.text and "127.0.0.1" in message
    _untouched(live, sid)


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_local_names_with_the_bound_port_are_served(live, server, name) -> None:
    answer = live.get("/_inspector/clock", headers={"Host": f"{name}:{_port(server)}"})
    assert answer.status_code == 200, answer.text


def test_media_collection_routes_keep_adobes_cors_from_any_origin_and_host(live) -> None:
    """A player on another origin posts events as it would to Adobe (spec §1.2, I15)."""
    page = {**_BROWSER, "Host": "collector.evil.example", "Content-Type": "text/plain"}
    created = live.post("/api/v1/sessions", content=json.dumps(body("sessionStart", 0)),
                        headers=page)
    assert created.status_code == 201
    assert_cors(created)
    event = live.post(f"{created.headers['location']}/events",
                      content=json.dumps(body("play", 1)), headers=page)
    assert event.status_code == 204
    assert_cors(event)
    preflight = live.options("/api/v1/sessions", headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert_cors(preflight)


@pytest.fixture
def guarded() -> Iterator[tuple[httpx.Client, str]]:
    config = ServerConfig(inspector_token="s3cret-token")
    with EmbeddedServer(clock=ManualClock(), config=config) as running, httpx.Client(
            base_url=running.base_url, trust_env=False, timeout=5) as http:
        yield http, "s3cret-token"


def test_with_a_token_inspector_needs_it_and_the_api_does_not(guarded) -> None:
    http, token = guarded
    assert_error(http.get("/_inspector/sessions"), 403, "missing", "X-Inspector-Token")
    assert_error(http.get("/_inspector/sessions", headers={"X-Inspector-Token": "nope"}), 403,
                 "wrong")
    assert_error(http.post("/_inspector/clock?token=nope", json={"advance": 5}), 403)
    assert http.get("/_inspector/clock").status_code == 403
    assert http.get("/_inspector/sessions", headers={"X-Inspector-Token": token}).status_code \
        == 200
    moved = http.post(f"/_inspector/clock?token={token}", json={"advance": 5})
    assert moved.status_code == 200 and moved.json()["offset"] == 5
    assert http.post("/api/v1/sessions", json=body("sessionStart", 0)).status_code == 201


def test_bound_beyond_loopback_the_embedded_server_sets_a_token() -> None:
    with EmbeddedServer(clock=ManualClock(), host="0.0.0.0") as running:
        token = running.state.config.inspector_token
        assert token and len(token) >= 20
        url = "http://127.0.0.1:" + running.base_url.rsplit(":", 1)[1]
        with httpx.Client(base_url=url, trust_env=False, timeout=5) as http:
            assert http.get("/_inspector/clock").status_code == 403
            assert http.get("/_inspector/clock", headers={"X-Inspector-Token": token}
                            ).status_code == 200
    assert EmbeddedServer(clock=ManualClock()).state.config.inspector_token is None


def _raw_request(server: EmbeddedServer, request: bytes) -> bytes:
    """Send bytes as they leave a browser; return the whole answer."""
    with socket.create_connection(("127.0.0.1", _port(server)), timeout=5) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


_CHROME_NO_CORS_POST = (
    "POST /_inspector/faults HTTP/1.1\r\n"
    "Host: 127.0.0.1:{port}\r\n"
    "Connection: close\r\n"
    "Content-Length: {length}\r\n"
    'sec-ch-ua: "Chromium";v="131", "Not_A Brand";v="24"\r\n'
    "sec-ch-ua-platform: \"Linux\"\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36\r\n"
    "Content-Type: text/plain;charset=UTF-8\r\n"
    "Accept: */*\r\n"
    "Origin: https://evil.example\r\n"
    "Sec-Fetch-Site: cross-site\r\n"
    "Sec-Fetch-Mode: no-cors\r\n"
    "Sec-Fetch-Dest: empty\r\n"
    "Referer: https://evil.example/\r\n"
    "Accept-Encoding: gzip, deflate, br, zstd\r\n"
    "Accept-Language: en-US,en;q=0.9\r\n"
    "\r\n{body}")


def test_the_bytes_chrome_sends_for_a_no_cors_fetch_change_nothing(live, server) -> None:
    """fetch("http://127.0.0.1:PORT/_inspector/faults", {method: "POST", mode: "no-cors",
    body: JSON.stringify({status: 500, count: 1000})}) from https://evil.example."""
    sid = _start(live)
    payload = json.dumps({"status": 500, "count": 1000})
    answer = _raw_request(server, _CHROME_NO_CORS_POST.format(
        port=_port(server), length=len(payload), body=payload).encode())
    head = answer.split(b"\r\n\r\n", 1)[0].decode().lower()
    assert head.startswith("http/1.1 415") and "access-control-allow-origin" not in head
    _untouched(live, sid)
