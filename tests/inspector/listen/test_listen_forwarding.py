"""Forwarded unchanged: method, path, query, headers except hop-by-hop, body bytes; the
answer unchanged, Location rewritten only when absolute and naming the upstream; CORS as a
browser does it (the exact preflight and Origin requests Chrome sends)."""

from __future__ import annotations

import base64
import gzip
import json

import aiohttp
import pytest
from aiohttp import web
from listen_helpers import listening_proxy, upstream_app
from raw_http import raw_exchange

from inspector.protocol.bodies import sample_body
from inspector.server import EmbeddedServer

_BODY = b'{"eventType":"play","playerTime":{"playhead":1,"ts":1767225601000}}\xff\x00'


async def _echo(request: web.Request) -> web.Response:
    seen = {"method": request.method, "path": request.raw_path,
            "headers": [[k.decode("latin-1"), v.decode("latin-1")]
                        for k, v in request.raw_headers],
            "body": base64.b64encode(await request.read()).decode()}
    return web.json_response(seen, status=299, headers={
        "X-Upstream": "1", "Connection": "close, X-Hop", "X-Hop": "drop me",
        "Location": request.headers.get("X-Want-Location", "")})


def _echo_app() -> web.Application:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _echo)
    return app


async def test_a_request_reaches_the_upstream_as_the_player_sent_it() -> None:
    async with upstream_app(_echo_app()) as upstream, \
            listening_proxy(upstream) as (url, _proxy, log):
        status, headers, body = await raw_exchange(url, (
            b"POST /api/v1/sessions/abc/events?x=1&y=%%2F HTTP/1.1\r\n"
            b"Host: tracking.example\r\nContent-Type: text/plain\r\nX-Player: web 1.2\r\n"
            b"Keep-Alive: timeout=5\r\nX-Named-Hop: secret\r\nTE: trailers\r\n"
            b"Connection: close, X-Named-Hop\r\nContent-Length: %d\r\n\r\n" % len(_BODY)
        ) + _BODY)
    seen = json.loads(body)
    host = upstream.split("://")[1]
    assert (status, seen["method"], seen["path"]) == (299, "POST",
                                                     "/api/v1/sessions/abc/events?x=1&y=%2F")
    assert base64.b64decode(seen["body"]) == _BODY
    forwarded = [(k.lower(), v) for k, v in seen["headers"]]
    assert ("host", host) in forwarded
    assert [h for h in forwarded if h[0] not in ("host",)] == [
        ("content-type", "text/plain"), ("x-player", "web 1.2"),
        ("content-length", str(len(_BODY)))]  # nothing added: no User-Agent, no Accept
    names = {k.lower() for k, _ in headers}
    assert "x-upstream" in names and "x-hop" not in names
    assert log.exchanges[0].request_body == _BODY and log.exchanges[0].sid == "abc"


@pytest.mark.parametrize(("given", "expected"), [
    ("{upstream}/api/v1/sessions/s1", "{proxy}/api/v1/sessions/s1"),
    ("/api/v1/sessions/s1", "/api/v1/sessions/s1"),
    ("https://elsewhere.example/api/v1/sessions/s1", "https://elsewhere.example/api/v1/sessions/s1"),
])
async def test_location_is_rewritten_only_when_it_names_the_upstream(given: str,
                                                                      expected: str) -> None:
    async with upstream_app(_echo_app()) as upstream, \
            listening_proxy(upstream) as (url, _proxy, log):
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{url}/api/v1/sessions", data=b"{}", headers={
                    "X-Want-Location": given.format(upstream=upstream)}) as response:
                location = response.headers["Location"]
    assert location == expected.format(proxy=url)
    assert log.exchanges[0].response_header("Location") == given.format(upstream=upstream)


_CHROME = {"Accept": "*/*", "Accept-Language": "en-GB,en;q=0.9",
           "Origin": "http://player.example:3000", "Referer": "http://player.example:3000/",
           "Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site",
           "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                         "Gecko) Chrome/131.0.0.0 Safari/537.36"}
_PREFLIGHT = {**_CHROME, "Access-Control-Request-Method": "POST",
              "Access-Control-Request-Headers": "content-type"}
_VARYING = {"date", "location", "content-length"}


async def _browser_calls(base: str) -> list[tuple[int, dict[str, str]]]:
    """What fetch() does for a cross-origin JSON POST: preflight, POST, read Location."""
    start = b'{"eventType":"sessionStart","playerTime":{"playhead":0,"ts":1767225600000},' \
            b'"params":{"analytics.trackingServer":"t.example","analytics.reportSuite":"rs",' \
            b'"visitor.marketingCloudOrgId":"O@AdobeOrg","media.playerName":"p",' \
            b'"media.channel":"c","media.id":"m","media.name":"n","media.length":60,' \
            b'"media.contentType":"vod"}}'
    seen = []
    async with aiohttp.ClientSession(skip_auto_headers=("User-Agent",)) as http:
        for method, path, headers, body in (
                ("OPTIONS", "/api/v1/sessions", _PREFLIGHT, None),
                ("POST", "/api/v1/sessions", {**_CHROME, "Content-Type": "application/json"},
                 start)):
            async with http.request(method, base + path, headers=headers,
                                    data=body) as response:
                seen.append((response.status, {k.lower(): v for k, v in
                                               response.headers.items()}))
    return seen


async def test_cors_preflight_and_location_through_the_proxy_answer_as_direct() -> None:
    server = EmbeddedServer()
    upstream = await server.astart()
    try:
        direct = await _browser_calls(upstream)
        async with listening_proxy(upstream) as (url, _proxy, log):
            proxied = await _browser_calls(url)
    finally:
        await server.astop()
    (pre_status, pre), (post_status, post) = proxied
    assert (pre_status, post_status) == (204, 201)
    assert pre["access-control-allow-origin"] == "*"
    assert "content-type" in pre["access-control-allow-headers"].lower()
    assert "POST" in pre["access-control-allow-methods"]
    # A page can read Location only when it is exposed (fetch hides it otherwise).
    assert "location" in post["access-control-expose-headers"].lower()
    assert post["location"].startswith("/api/v1/sessions/")
    assert [(s, {k: v for k, v in h.items() if k not in _VARYING}) for s, h in proxied] == \
        [(s, {k: v for k, v in h.items() if k not in _VARYING}) for s, h in direct]
    assert [e.method for e in log.exchanges] == ["OPTIONS", "POST"]
    assert log.analyzer.ignored == 1 and len(log.analyzer.sessions) == 1


@pytest.mark.parametrize(("loopback_bind", "host", "status"), [
    (True, "127.0.0.1:8080", 299), (True, "localhost", 299), (True, "evil.example", 403),
    (False, "127.0.0.1:8080", 403)])
async def test_inspector_routes_are_forwarded_only_on_loopback_to_a_loopback_host(
        loopback_bind: bool, host: str, status: int) -> None:
    async with upstream_app(_echo_app()) as upstream, \
            listening_proxy(upstream, inspector_routes=loopback_bind) as (url, _proxy, log):
        got, _headers, body = await raw_exchange(url, (
            f"POST /_inspector/clock HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n{}").encode())
    assert got == status
    if status == 403:
        assert b"/_inspector/" in body and not log.exchanges  # nothing went upstream


async def test_a_gzipped_body_is_forwarded_as_sent_and_judged_decoded() -> None:
    body = json.dumps(sample_body("sessionStart")).encode()
    packed = gzip.compress(body)
    async with upstream_app(_echo_app()) as upstream, \
            listening_proxy(upstream) as (url, _proxy, log):
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{url}/api/v1/sessions", data=packed, headers={
                    "Content-Encoding": "gzip", "Content-Type": "application/json"}) as answer:
                seen = await answer.json()
    assert base64.b64decode(seen["body"]) == packed
    (exchange,) = log.exchanges
    assert exchange.request_body == body and exchange.event_type == "sessionStart"
    assert not [f for f in exchange.findings if f.code == "SCHEMA_INVALID"]


async def test_a_gzipped_answer_reaches_the_player_byte_for_byte() -> None:
    packed = gzip.compress(b'{"message": "compressed"}')

    async def compressed(request: web.Request) -> web.Response:
        return web.Response(status=400, body=packed, headers={
            "Content-Encoding": "gzip", "Content-Type": "application/json"})

    app = web.Application()
    app.router.add_post("/api/v1/sessions", compressed)
    async with upstream_app(app) as upstream, listening_proxy(upstream) as (url, _proxy, log):
        status, headers, body = await raw_exchange(url, (
            b"POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n"
            b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"))
    assert (status, body) == (400, packed)
    assert ("content-encoding", "gzip") in [(k.lower(), v) for k, v in headers]
    assert log.exchanges[0].response_body == packed
