"""The load engine's lean transport gives the same wire bytes and exchange records as aiohttp's.

Real parts only: an aiohttp app and a raw asyncio server on 127.0.0.1, and the client the
engine's viewers use. Each test sends the same calls through both transports and compares
what the server saw and what the client recorded (times and durations aside).
"""

from __future__ import annotations

import asyncio
import gzip
from typing import Any, AsyncIterator, Awaitable, Callable

import httpx
import pytest
from aiohttp import web

from inspector.client import MediaCollectionClient
from inspector.exchange import ErrorKind, Exchange, ExchangeState
from inspector.http import AiohttpTransport, header_items, plain_body
from inspector.load.engine import PoolSet
from inspector.load.wire import PlainHttpTransport
from tests.inspector._stand_in import stand_in

SID = "a" * 64
_TIMES = {"queued_at", "started_at", "duration_ms", "seq"}


def _record(exchange: Exchange) -> dict[str, Any]:
    """What a viewer's exchange record holds, less its clock readings and numbering."""
    fields = {k: v for k, v in vars(exchange).items() if k not in _TIMES}
    fields["response_headers"] = [(k, v) for k, v in exchange.response_headers
                                  if k != "date"]  # the server's clock
    return fields


@pytest.fixture
async def app_url() -> AsyncIterator[tuple[str, list[list[tuple[str, str]]]]]:
    """An aiohttp app answering as a backend would, in every framing; it keeps each
    request's headers exactly as they came off the wire (names' case included)."""
    seen: list[list[tuple[str, str]]] = []

    async def start(request: web.Request) -> web.Response:
        seen.append([(k.decode(), v.decode()) for k, v in request.raw_headers])
        await request.read()
        return web.Response(status=201, headers={"Location": f"/api/v1/sessions/{SID}"})

    async def event(request: web.Request) -> web.StreamResponse:
        seen.append([(k.decode(), v.decode()) for k, v in request.raw_headers])
        body = await request.json()
        kind = body.get("eventType")
        if kind == "ping":
            return web.Response(status=204)
        if kind == "play":  # a JSON problem with repeated headers (merged in the record)
            response = web.Response(status=400, text='{"errors": ["x"]}',
                                    content_type="application/json")
            response.headers.add("X-Note", "one")
            response.headers.add("X-Note", "two")
            return response
        if kind == "pauseStart":  # chunked
            stream = web.StreamResponse(status=200)
            stream.enable_chunked_encoding()
            await stream.prepare(request)
            for part in (b'{"part": 1,', b' "end": true}'):
                await stream.write(part)
            await stream.write_eof()
            return stream
        return web.Response(status=410, text="gone: " + "x" * 70_000)  # kept, then cut

    async with stand_in(start, event) as url:
        yield url, seen


async def _calls(transport: httpx.AsyncBaseTransport, url: str) -> list[Exchange]:
    client = MediaCollectionClient(url, transport=transport, retries=0)
    try:
        channel, started = await client.start_session(
            {"eventType": "sessionStart", "playerTime": {"playhead": 0, "ts": 1},
             "params": {"media.id": "wire"}})
        done = [started]
        for kind in ("ping", "play", "pauseStart", "sessionEnd", "ping"):
            done.append(await channel.send(
                {"eventType": kind, "playerTime": {"playhead": 1, "ts": 2}}))
        return done
    finally:
        await client.aclose()


class _HttpxWay(httpx.AsyncBaseTransport):
    """The lean transport through httpx's request and response objects only: it hides
    ``send_plain``, so the client takes the httpx way (``_call``), as for its GETs."""

    def __init__(self) -> None:
        self.inner, self.calls = PlainHttpTransport(), 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _lean_both_ways() -> tuple[httpx.AsyncBaseTransport, ...]:
    """The lean transport as the engine's viewers use it (its plain wire), and the httpx way."""
    return PlainHttpTransport(), _HttpxWay()


async def test_the_same_bytes_go_out_and_the_same_records_come_back(
        app_url: tuple[str, list[list[tuple[str, str]]]]) -> None:
    url, seen = app_url
    old = await _calls(AiohttpTransport(), url)
    wire_old = list(seen)
    assert [e.status for e in old] == [201, 204, 400, 200, 410, 204]
    assert [e.sid for e in old] == [SID] * 6
    assert ("x-note", "one, two") in old[2].response_headers
    assert old[3].response_body == b'{"part": 1, "end": true}'
    assert old[4].response_truncated == len(b"gone: ") + 70_000
    for transport in _lean_both_ways():
        seen.clear()
        new = await _calls(transport, url)
        assert seen == wire_old  # the same header lines, in the same order and case
        assert [_record(e) for e in new] == [_record(e) for e in old]


async def test_the_clients_posts_take_the_plain_wire_and_skip_httpxs_objects(
        app_url: tuple[str, list[list[tuple[str, str]]]]) -> None:
    class Counting(PlainHttpTransport):
        calls = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            Counting.calls += 1
            return await super().handle_async_request(request)

    done = await _calls(Counting(), app_url[0])
    assert [e.status for e in done] == [201, 204, 400, 200, 410, 204]
    assert Counting.calls == 0
    way = _HttpxWay()
    await _calls(way, app_url[0])
    assert way.calls == 6


async def _raw_server(answer: Callable[[asyncio.StreamReader, asyncio.StreamWriter],
                                       Awaitable[None]]) -> tuple[asyncio.Server, str]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await answer(reader, writer)
        finally:
            writer.close()
            await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    return head + await reader.readexactly(length)


async def test_interim_answers_close_delimited_bodies_and_reuse() -> None:
    """A 100 before the answer is skipped; a gzip body is decoded (by httpx); a body ended
    by the close is whole and its connection is not reused; a Content-Length one is."""
    connections: list[int] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(len(connections))
        try:
            while True:
                request = await _read_request(reader)
                if b'"gzip"' in request:  # httpx decodes it: not a plain body
                    packed = gzip.compress(b'{"zipped": true}')
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(packed), packed))
                    await writer.drain()
                    continue
                if b'"close"' in request:
                    writer.write(b"HTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nuntil the close")
                    await writer.drain()
                    return
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n"
                             b"Content-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return  # the client closed it

    server, url = await _raw_server(answer)
    async with server:
        records = []
        for transport in (AiohttpTransport(), *_lean_both_ways()):
            connections.clear()
            got = await _post_all(transport, url, ["ping", "gzip", "ping", "close", "ping"])
            records.append(([_record(e) for e in got], len(connections)))
        assert records[0][0][1]["response_body"] == b'{"zipped": true}'
        assert records[0][0][3]["response_body"] == b"until the close"
        assert [r["status"] for r in records[0][0]] == [204, 200, 204, 200, 204]
        assert records[1] == records[0]  # the same records and the same two connections
        assert records[2] == records[0]
        assert records[0][1] == 2


async def _post_all(transport: httpx.AsyncBaseTransport, url: str,
                    kinds: list[str]) -> list[Exchange]:
    client = MediaCollectionClient(url, transport=transport, retries=0)
    try:
        channel = client.attach("s1")
        return [await channel.send({"eventType": kind, "playerTime": {"playhead": 0,
                                                                      "ts": 1}})
                for kind in kinds]
    finally:
        await client.aclose()


async def test_a_refused_connection_and_a_dropped_answer_are_recorded_as_with_aiohttp(
        ) -> None:
    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        await writer.drain()

    server, url = await _raw_server(drop)
    async with server:
        dropped = [(await _post_all(t, url, ["ping"]))[0]
                   for t in (AiohttpTransport(), *_lean_both_ways())]
    refused = [(await _post_all(t, url, ["ping"]))[0]  # the server is closed now
               for t in (AiohttpTransport(), *_lean_both_ways())]
    assert dropped[0].error_kind is ErrorKind.PROTOCOL
    assert dropped[0].state is ExchangeState.FAILED
    assert refused[0].error_kind is ErrorKind.CONNECT
    for trio in (dropped, refused):
        assert _record(trio[1]) == _record(trio[0]) and _record(trio[2]) == _record(trio[0])


async def test_the_engine_pools_send_http_on_the_lean_transport() -> None:
    pools = PoolSet(group=2)
    assert isinstance(pools.for_viewer(1).inner, PlainHttpTransport)
    assert pools.for_viewer(2) is pools.for_viewer(1) and len(pools) == 1
    await pools.aclose()


async def test_a_plain_body_is_read_straight_from_the_wire_and_an_encoded_one_is_not() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for encoding in (b"", b"Content-Encoding: gzip\r\n"):
            await _read_request(reader)
            packed = gzip.compress(b"{}") if encoding else b"{}"
            writer.write(b"HTTP/1.1 200 OK\r\n%sContent-Length: %d\r\n\r\n%s"
                         % (encoding, len(packed), packed))
            await writer.drain()

    server, url = await _raw_server(answer)
    async with server:
        transport = PlainHttpTransport()
        plain = []
        for _ in range(2):
            request = httpx.Request("POST", url + "/x", content=b"{}")
            response = await transport.handle_async_request(request)
            chunks = plain_body(response)
            plain.append(chunks is not None)
            body = b"".join([c async for c in chunks] if chunks is not None
                            else [c async for c in response.aiter_bytes()])
            await response.aclose()
            assert body == b"{}"
        await transport.aclose()
    assert plain == [True, False]


def test_the_plain_wires_header_record_is_httpxs() -> None:
    """Repeated names merged in first-seen order, names lower-cased, utf-8 and latin-1."""
    for raw in ([(b"X-A", b"1"), (b"Date", b"d"), (b"x-a", b"2"), (b"X-A", b"3")],
                [(b"X-U", "caf\u00e9".encode()), (b"x-u", b"b")], [(b"X-L", b"caf\xe9")], []):
        assert header_items(raw) == list(httpx.Headers(raw).items())
