"""The client against real HTTP on 127.0.0.1 (a small scripted aiohttp app)."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
import trustme
from aiohttp import web

from inspector.client import (
    ChannelState,
    MediaCollectionClient,
    normalize_base_url,
    parse_location,
)
from inspector.exchange import RESPONSE_BODY_LIMIT, ErrorKind, Exchange, ExchangeState
from inspector.protocol.bodies import sample_body

SID = "ab" * 32


@dataclass
class Script:
    """What the scripted server answers; tests change it between calls."""

    location: str | None = f"/api/v1/sessions/{SID}"
    start_status: int = 201
    start_gate: asyncio.Event | None = None  # sessionStart waits for this
    event_status: dict[str, int] = field(default_factory=dict)  # sid -> status
    delay: dict[str, float] = field(default_factory=dict)  # sid -> seconds
    fail_first: int = 0  # answer 500 this many times
    big_body: int = 0  # events answer 200 with this many bytes, streamed
    set_cookie: str | None = None  # sessionStart's Set-Cookie
    cookies: list[str | None] = field(default_factory=list)  # each request's Cookie header
    received: list[tuple[str, dict]] = field(default_factory=list)


def _app(script: Script) -> web.Application:
    async def start(request: web.Request) -> web.Response:
        if script.start_gate is not None:
            await script.start_gate.wait()
        script.received.append(("start", await request.json()))
        script.cookies.append(request.headers.get("Cookie"))
        headers = {"Location": script.location} if script.location is not None else {}
        if script.set_cookie is not None:
            headers["Set-Cookie"] = script.set_cookie
        return web.Response(status=script.start_status, headers=headers)

    async def events(request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        script.received.append((sid, await request.json()))
        script.cookies.append(request.headers.get("Cookie"))
        await asyncio.sleep(script.delay.get(sid, 0))
        if script.fail_first:
            script.fail_first -= 1
            return web.json_response({"message": "boom"}, status=500)
        if script.big_body:
            reply = web.StreamResponse(status=200)
            reply.content_length = script.big_body
            await reply.prepare(request)
            for _ in range(script.big_body // 100_000):
                await reply.write(b"x" * 100_000)
            return reply
        status = script.event_status.get(sid, 204)
        if status == 400:
            return web.json_response({"message": "params: not allowed here"}, status=400)
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/api/v1/sessions", start)
    app.router.add_post("/api/v1/sessions/{sid}/events", events)
    return app


@pytest.fixture
async def served() -> AsyncIterator[tuple[Script, str]]:
    script = Script()
    runner = web.AppRunner(_app(script), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield script, f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def client(served: tuple[Script, str]) -> AsyncIterator[MediaCollectionClient]:
    c = MediaCollectionClient(served[1], timeout=2.0, backoff=0.0)
    yield c
    await c.aclose()


def _ts(n: int) -> dict:
    return sample_body("ping", ts=1767225600000 + n, playhead=n)


@pytest.mark.parametrize("location", [
    f"/api/v1/sessions/{SID}", f"/api/v1/sessions/{SID}/",
    f"https://example.hb-api.omtrdc.net/api/v1/sessions/{SID}",
])
async def test_201_location_variants_give_the_sid(served, client, location) -> None:
    served[0].location = location
    channel, exchange = await client.start_session(sample_body("sessionStart"))
    assert exchange.status == 201 and exchange.sid == SID and exchange.api_version == "v1"
    assert channel.state is ChannelState.ACTIVE
    assert ("content-type", "application/json") in exchange.request_headers
    assert json.loads(exchange.request_body)["eventType"] == "sessionStart"


@pytest.mark.parametrize("location", [
    None, "", "/api/v1/sessions", "/sessions/x", "garbage",
    "/api/v1/sessions/..", "/api/v1/sessions/.", "/api/../sessions/abc",
    "/api/v1/sessions/%2e%2e", "/api/v1/sessions/a%2Fb", "/api/v1/sessions/a b",
    "/api/v1/sessions/a;b", f"/api/v1/sessions/{'a' * 129}",
])
async def test_missing_or_malformed_location_is_a_recorded_error(served, client, location):
    served[0].location = location
    channel, exchange = await client.start_session(sample_body("sessionStart"))
    assert exchange.status == 201 and exchange.sid is None
    assert exchange.error_kind is ErrorKind.LOCATION and "Location" in (exchange.error or "")
    assert channel.state is ChannelState.FAILED
    later = await channel.send(_ts(1))  # nothing is posted to the bad path
    assert later.state is ExchangeState.UNSENT
    assert [sid for sid, _ in served[0].received] == ["start"]


def test_parse_location_and_base_url() -> None:
    assert parse_location("/api/v2/sessions/abc?x=1") == ("v2", "abc")
    assert parse_location("/api/v1/sessions/abc/events") is None
    assert parse_location("/api/v1/sessions/a-b_c.9") == ("v1", "a-b_c.9")
    assert parse_location("/api/v1/sessions/..") is None
    assert normalize_base_url("127.0.0.1:8080/api/v1/") == "http://127.0.0.1:8080"
    with pytest.raises(ValueError):
        normalize_base_url("ftp://x")


async def test_204_and_400_bodies_are_captured(served, client) -> None:
    channel, _ = await client.start_session(sample_body("sessionStart"))
    ok = await channel.send(sample_body("play"))
    assert ok.status == 204 and ok.state is ExchangeState.DONE and ok.sid == SID
    assert ok.url.endswith(f"/api/v1/sessions/{SID}/events")
    served[0].event_status[SID] = 400
    bad = await channel.send(sample_body("play"))
    assert bad.status == 400 and json.loads(bad.response_body)["message"].startswith("params")


@pytest.mark.parametrize("status", [404, 410])
async def test_404_and_410_mark_the_session_gone_but_sending_goes_on(served, client, status):
    channel, _ = await client.start_session(sample_body("sessionStart"))
    served[0].event_status[SID] = status
    gone = await channel.send(sample_body("play"))
    assert gone.status == status and channel.state is ChannelState.GONE
    assert channel.gone_status == status
    again = await channel.send(_ts(1))
    assert again.status == status  # exploring is allowed: it was really sent


async def test_connection_refused_is_recorded_not_raised() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = MediaCollectionClient(f"http://127.0.0.1:{port}", timeout=2.0)
    try:
        channel, exchange = await client.start_session(sample_body("sessionStart"))
    finally:
        await client.aclose()
    assert exchange.state is ExchangeState.FAILED and exchange.status is None
    assert exchange.error_kind is ErrorKind.CONNECT
    assert channel.state is ChannelState.FAILED


async def test_timeout_is_recorded(served) -> None:
    script, url = served
    client = MediaCollectionClient(url, timeout=0.2)
    try:
        channel, _ = await client.start_session(sample_body("sessionStart"))
        script.delay[SID] = 1.0
        exchange = await channel.send(sample_body("play"))
    finally:
        await client.aclose()
    assert exchange.error_kind is ErrorKind.TIMEOUT and exchange.status is None


async def test_slow_session_does_not_block_another(served, client) -> None:
    script = served[0]
    slow, _ = await client.start_session(sample_body("sessionStart"))
    script.location = f"/api/v1/sessions/{'cd' * 32}"
    fast, _ = await client.start_session(sample_body("sessionStart"))
    script.delay[SID] = 1.0
    slow_future = slow.submit(sample_body("play"))
    fast_exchange = await fast.send(sample_body("play"))
    assert fast_exchange.status == 204 and not slow_future.done()
    assert (await slow_future).status == 204


async def test_events_before_the_sid_are_queued_and_flushed_in_order(served, client) -> None:
    script = served[0]
    script.start_gate = asyncio.Event()
    channel = client.open_channel()
    start = channel.start(sample_body("sessionStart"))
    futures = [channel.submit(_ts(n)) for n in range(1, 6)]
    await asyncio.sleep(0.05)
    assert not start.done() and channel.state is ChannelState.STARTING
    script.start_gate.set()
    results = await asyncio.gather(start, *futures)
    assert [r.status for r in results] == [201] + [204] * 5
    sent_ts = [b["playerTime"]["ts"] for sid, b in script.received if sid == SID]
    assert sent_ts == sorted(sent_ts) and len(sent_ts) == 5


async def test_failed_session_start_keeps_its_queue(served, client) -> None:
    script = served[0]
    script.start_status, script.location = 400, None
    seen: list[tuple[int, ExchangeState]] = []
    client.exchanged.connect(lambda e: seen.append((e.seq, e.state)))
    channel = client.open_channel()
    channel.start(sample_body("sessionStart"))
    results = await asyncio.gather(*(channel.submit(_ts(n)) for n in range(1, 4)))
    assert all(r.state is ExchangeState.UNSENT for r in results)
    assert [e.seq for e in channel.unsent] == [r.seq for r in results]
    assert all((r.seq, ExchangeState.UNSENT) in seen for r in results)
    # a new session takes them, in order, with their original playerTime
    script.start_status, script.location = 201, f"/api/v1/sessions/{SID}"
    retry = client.open_channel()
    await retry.start(sample_body("sessionStart"))
    moved = await asyncio.gather(*channel.move_unsent(retry))
    assert [m.status for m in moved] == [204, 204, 204]
    assert [m.ts for m in moved] == [r.ts for r in results]
    assert channel.unsent == [] and results[0].state is ExchangeState.DISCARDED


async def test_discarding_unsent_events(served, client) -> None:
    channel = client.open_channel()
    lonely = await channel.send(sample_body("play"))
    assert lonely.state is ExchangeState.UNSENT and "sessionStart" in (lonely.error or "")
    assert channel.discard_unsent() == [lonely] and lonely.state is ExchangeState.DISCARDED


async def test_5xx_is_retried_with_the_same_body(served, client) -> None:
    script = served[0]
    channel, _ = await client.start_session(sample_body("sessionStart"))
    script.fail_first = 2
    attempts: list[Exchange] = []
    client.exchanged.connect(lambda e: attempts.append(e) if e.status else None)
    final = await channel.send(_ts(7))
    assert final.status == 204 and final.attempt == 3
    bodies = [b for sid, b in script.received if sid == SID]
    assert len(bodies) == 3 and all(b == bodies[0] for b in bodies)


async def test_send_event_to_a_known_sid_in_order(served, client) -> None:
    script = served[0]
    results = await asyncio.gather(*(client.send_event(SID, _ts(n)) for n in range(1, 6)))
    assert [r.status for r in results] == [204] * 5 and all(r.sid == SID for r in results)
    sent = [b["playerTime"]["ts"] for sid, b in script.received if sid == SID]
    assert sent == sorted(sent) and len(sent) == 5


# -- raw servers: replies no well-behaved HTTP server would give -------------------------

RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(handler: RawHandler) -> AsyncIterator[str]:
    """A bare TCP server on 127.0.0.1 running ``handler`` per connection; yields its URL."""
    handlers: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            handlers.discard(task)

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    return head + await reader.readexactly(length)


async def test_a_reply_cut_short_is_a_protocol_error() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\nonly a bit")
        await writer.drain()

    async with raw_server(cut) as url:
        client = MediaCollectionClient(url, timeout=30, retries=0)
        try:
            _, exchange = await client.start_session(sample_body("sessionStart"))
        finally:
            await client.aclose()
    assert exchange.state is ExchangeState.FAILED and exchange.error_kind is ErrorKind.PROTOCOL


async def test_plain_http_on_an_https_url_is_a_tls_error() -> None:
    async def plain(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)  # the ClientHello arrives; answer it in plain HTTP
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()

    async with raw_server(plain) as url:
        client = MediaCollectionClient(url.replace("http:", "https:"), timeout=30, retries=0)
        try:
            _, exchange = await client.start_session(sample_body("sessionStart"))
        finally:
            await client.aclose()
    assert exchange.state is ExchangeState.FAILED and exchange.error_kind is ErrorKind.TLS


async def test_a_reply_dripped_byte_by_byte_meets_the_total_deadline() -> None:
    dripped = asyncio.Event()  # set once the whole reply is out: far beyond the deadline
    reply = (b"HTTP/1.1 201 Created\r\nLocation: /api/v1/sessions/" + SID.encode()
             + b"\r\nContent-Length: 200\r\n\r\n" + b"x" * 200)

    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        for i in range(len(reply)):  # ~6 s in all, each byte well within the read timeout
            writer.write(reply[i:i + 1])
            await writer.drain()
            await asyncio.sleep(0.02)
        dripped.set()

    async with raw_server(drip) as url:
        client = MediaCollectionClient(url, timeout=0.3, retries=0)
        try:
            _, exchange = await client.start_session(sample_body("sessionStart"))
            assert not dripped.is_set()
        finally:
            await client.aclose()
    assert exchange.state is ExchangeState.FAILED and exchange.error_kind is ErrorKind.TIMEOUT
    assert exchange.status is None


async def test_closing_mid_request_ends_every_exchange_as_cancelled(served) -> None:
    script, url = served
    script.start_gate = asyncio.Event()  # sessionStart is answered only after the close
    client = MediaCollectionClient(url, timeout=30)
    on_the_wire = asyncio.Event()
    seen: list[Exchange] = []

    def observe(e: Exchange) -> None:
        seen.append(e)
        if e.state is ExchangeState.SENDING:
            on_the_wire.set()

    client.exchanged.connect(observe)
    channel = client.open_channel()
    futures = [channel.start(sample_body("sessionStart"))]
    futures += [channel.submit(_ts(n)) for n in range(1, 4)]
    waiter = asyncio.ensure_future(asyncio.gather(*futures))
    await on_the_wire.wait()
    try:
        await client.aclose()
        results = await asyncio.wait_for(waiter, 30)  # generous: it must not hang
        late = await channel.submit(_ts(9))
    finally:
        script.start_gate.set()
    assert [r.state for r in results] == [ExchangeState.FAILED] * 4
    assert {r.error_kind for r in results} == {ErrorKind.CANCELLED}
    assert late.error_kind is ErrorKind.CANCELLED
    assert all(e.state is ExchangeState.FAILED for e in seen)  # observers saw the end too


async def test_a_10_mb_answer_is_cut_in_the_record_and_marked(served, client) -> None:
    channel, _ = await client.start_session(sample_body("sessionStart"))
    served[0].big_body = 10_000_000
    big = await channel.send(_ts(1))
    assert big.state is ExchangeState.DONE and big.status == 200
    assert len(big.response_body) == RESPONSE_BODY_LIMIT == 64 * 1024
    assert big.response_truncated == 10_000_000
    served[0].big_body = 0
    small = await channel.send(_ts(2))  # the lane goes on; a whole body is not marked
    assert small.status == 204 and small.response_truncated is None


@pytest.mark.parametrize("keep", [False, True])
async def test_set_cookie_is_replayed_only_when_asked(served, keep: bool) -> None:
    script, url = served
    script.set_cookie = "visitor=secret-id; Path=/"
    client = MediaCollectionClient(url, cookies=keep)
    try:
        channel, _ = await client.start_session(sample_body("sessionStart"))
        sent = await channel.send(_ts(1))
    finally:
        await client.aclose()
    assert script.cookies == [None, "visitor=secret-id" if keep else None]
    assert (("cookie", "visitor=secret-id") in sent.request_headers) is keep


async def test_plain_http_builds_no_tls_context(served, monkeypatch) -> None:
    loaded: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counting(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loaded.append(args or kwargs)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    client = MediaCollectionClient(served[1])
    try:
        _, exchange = await client.start_session(sample_body("sessionStart"))
    finally:
        await client.aclose()
    assert exchange.status == 201 and loaded == []  # no trust store read for plain http
    secure = MediaCollectionClient("https://127.0.0.1:9")
    try:
        await secure.start_session(sample_body("sessionStart"))  # refused, after TLS set-up
    finally:
        await secure.aclose()
    assert loaded  # the probe does see a context being built when one is needed


@pytest.fixture
async def tls_served() -> AsyncIterator[str]:
    """The scripted app over TLS on 127.0.0.1, with a certificate from a throwaway CA."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    runner = web.AppRunner(_app(Script()), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    yield f"https://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


@pytest.mark.parametrize("verify", [True, False])
async def test_tls_verification_is_kept(tls_served: str, verify: bool) -> None:
    client = MediaCollectionClient(tls_served, verify=verify, retries=0)
    try:
        _, exchange = await client.start_session(sample_body("sessionStart"))
    finally:
        await client.aclose()
    if verify:  # an unknown CA: refused, and said to be about TLS
        assert exchange.error_kind is ErrorKind.TLS and exchange.status is None
    else:
        assert exchange.status == 201 and exchange.sid == SID


def test_the_recorded_request_headers_are_the_ones_built() -> None:
    """The record's headers, taken from the URL's cache, equal the request's own items."""
    client = MediaCollectionClient("http://127.0.0.1:9")
    url = client.events_url("a" * 64)
    for body in (b"{}", b'{"eventType":"ping"}' * 50):
        request = client._request("POST", url, body)
        built = list(request.headers.items())
        assert client._sent_headers(request, url, body) == built
        assert client._sent_headers(None, url, body) == built  # the plain wire's call
        assert client._headers(url, body) == request.headers.raw  # what that call sends


async def test_an_encoded_answer_is_decoded_and_a_plain_one_kept_as_sent() -> None:
    """Plain bodies skip httpx's decoders; a gzip one still goes through them."""
    import gzip
    message = b'{"message":"ping must not have params"}'
    replies = {b"gzip": gzip.compress(message), b"": message}

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for encoding in (b"gzip", b""):
            await _read_request(reader)
            body = replies[encoding]
            header = b"Content-Encoding: gzip\r\n" if encoding else b""
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                         + header + b"Content-Length: " + str(len(body)).encode()
                         + b"\r\n\r\n" + body)
            await writer.drain()

    async with raw_server(answer) as url:
        client = MediaCollectionClient(url, retries=0)
        try:
            sent = [await client.send_event(SID, sample_body("ping")) for _ in range(2)]
        finally:
            await client.aclose()
    assert [e.response_body for e in sent] == [message, message]
    assert [e.status for e in sent] == [400, 400]


async def test_send_event_keeps_a_bounded_number_of_lanes(served, client) -> None:
    script = served[0]
    client.attached_limit = 2
    sids = [f"{n:064x}" for n in range(1, 5)]
    for n, sid in enumerate(sids, 1):
        assert (await client.send_event(sid, _ts(n))).status == 204
    assert client.attached == sids[-2:]  # the least recently used idle lanes let go
    again = await asyncio.gather(*(client.send_event(sids[0], _ts(n)) for n in range(5, 9)))
    assert [r.status for r in again] == [204] * 4  # a new lane, still in order
    sent = [b["playerTime"]["ts"] for sid, b in script.received if sid == sids[0]]
    assert sent == sorted(sent) and len(sent) == 5
    assert client.attached == [*sids[-1:], sids[0]]
