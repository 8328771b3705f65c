"""The proxy fault matrix: upstream refused, slow, 5xx, closed mid-body. The player gets
what the upstream gave, or a 502 whose body says why; the recorded exchange says which."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx
from aiohttp import web
from listen_helpers import listening_proxy, upstream_app
from raw_http import partial_upstream

from inspector.commands.listen import format_line
from inspector.exchange import ErrorKind, ExchangeState

_START = b'{"eventType":"sessionStart","playerTime":{"playhead":0,"ts":1767225600000}}'


async def _post(url: str) -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False, timeout=60) as client:
        return await client.post(f"{url}/api/v1/sessions", content=_START,
                                 headers={"Content-Type": "application/json"})


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _message(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json")
    return str(json.loads(response.content)["message"])


async def test_upstream_refused_gives_a_502_saying_so() -> None:
    upstream = f"http://127.0.0.1:{_closed_port()}"
    async with listening_proxy(upstream) as (url, _proxy, log):
        response = await _post(url)
    (exchange,) = log.exchanges
    assert response.status_code == 502
    assert "cannot connect to the upstream" in _message(response) and upstream in \
        _message(response)
    assert exchange.state is ExchangeState.FAILED and exchange.error_kind is ErrorKind.CONNECT
    assert "502" in format_line(exchange, None) and "cannot connect" in format_line(exchange,
                                                                                    None)


async def test_a_slow_upstream_is_waited_for_and_its_answer_passed_on() -> None:
    arrived, release = asyncio.Event(), asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        arrived.set()
        await release.wait()
        return web.Response(status=201, headers={"Location": "/api/v1/sessions/slow1"})

    app = web.Application()
    app.router.add_post("/api/v1/sessions", slow)
    async with upstream_app(app) as upstream, listening_proxy(upstream) as (url, proxy, log):
        sent = asyncio.ensure_future(_post(url))
        await arrived.wait()
        for _ in range(20):  # the proxy has every chance to give up early: it must not
            await asyncio.sleep(0)
        assert not sent.done() and not log.exchanges
        release.set()
        response = await sent
    assert response.status_code == 201 and response.headers["location"] == \
        "/api/v1/sessions/slow1"
    assert log.exchanges[0].sid == "slow1"


async def test_an_upstream_slower_than_the_timeout_gives_a_502_naming_the_timeout() -> None:
    never = asyncio.Event()

    async def stuck(request: web.Request) -> web.Response:
        await never.wait()
        return web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/v1/sessions", stuck)
    async with upstream_app(app) as upstream, \
            listening_proxy(upstream, timeout=0.2) as (url, _proxy, log):
        response = await _post(url)
        never.set()
    assert response.status_code == 502 and "did not answer in time" in _message(response)
    assert log.exchanges[0].error_kind is ErrorKind.TIMEOUT


async def test_a_5xx_from_the_upstream_reaches_the_player_unchanged() -> None:
    async def failing(request: web.Request) -> web.Response:
        return web.Response(status=503, body=b'{"message": "busy"}',
                            headers={"Content-Type": "application/json", "Retry-After": "7"})

    app = web.Application()
    app.router.add_post("/api/v1/sessions", failing)
    async with upstream_app(app) as upstream, listening_proxy(upstream) as (url, _proxy, log):
        response = await _post(url)
    assert (response.status_code, response.content) == (503, b'{"message": "busy"}')
    assert response.headers["retry-after"] == "7"
    (exchange,) = log.exchanges
    assert exchange.status == 503 and exchange.state is ExchangeState.DONE
    assert " 503 " in format_line(exchange, None)


async def test_an_upstream_that_closes_mid_body_gives_a_502_saying_how_far_it_got() -> None:
    server, upstream = await partial_upstream(
        b"HTTP/1.1 201 Created\r\nContent-Length: 100\r\nLocation: /api/v1/sessions/cut\r\n"
        b"\r\n0123456789")
    try:
        async with listening_proxy(upstream) as (url, _proxy, log):
            response = await _post(url)
    finally:
        server.close()
        await server.wait_closed()
    message = _message(response)
    assert response.status_code == 502
    assert "closed the connection mid-body" in message and "answered 201" in message
    assert "sent 10 byte(s)" in message
    assert log.exchanges[0].error_kind is ErrorKind.PROTOCOL


async def test_an_upstream_that_closes_without_answering_gives_a_502() -> None:
    server, upstream = await partial_upstream(b"")
    try:
        async with listening_proxy(upstream) as (url, _proxy, log):
            response = await _post(url)
    finally:
        server.close()
        await server.wait_closed()
    assert response.status_code == 502 and "closed the connection" in _message(response)
    assert log.exchanges[0].state is ExchangeState.FAILED
