"""wire.buffered_body gives what ``await request.read()`` gives, without awaiting.

Two routes of one app read the same bodies, one by buffered_body (awaiting ``read`` only
when it says some is still to come) and one by ``request.read()``; each answers what it
read, or the name of what it raised.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

from inspector.server.wire import RUNNER_OPTIONS, buffered_body

LIMIT = 1000


async def _outcome(request: web.Request, how: str) -> web.Response:
    try:
        raw = buffered_body(request) if how == "buffered" else None
        took = "buffered" if raw is not None else "awaited"
        if raw is None:
            raw = await request.read()
    except (web.HTTPException, RequestPayloadError) as exc:
        return web.Response(text=f"raised {type(exc).__name__} {getattr(exc, 'status', '')}")
    return web.Response(body=raw, headers={"X-Took": took})


async def _buffered(request: web.Request) -> web.Response:
    return await _outcome(request, "buffered")


async def _read(request: web.Request) -> web.Response:
    return await _outcome(request, "read")


@pytest.fixture
async def port() -> AsyncIterator[int]:
    app = web.Application(client_max_size=LIMIT)
    app.router.add_post("/buffered", _buffered)
    app.router.add_post("/read", _read)
    runner = web.AppRunner(app, access_log=None, **RUNNER_OPTIONS)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield runner.addresses[0][1]
    await runner.cleanup()


async def _call(port: int, path: str, head: str, data: bytes) -> tuple[bytes, bytes]:
    """(status line and body, the X-Took header) for one call on its own connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{head}\r\n".encode()
                 + data)
    if data.endswith(b"hel"):  # cut short: the client stops sending
        writer.write_eof()
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    head_part, _, body = answer.partition(b"\r\n\r\n")
    took = [line for line in head_part.split(b"\r\n") if line.startswith(b"X-Took")]
    return head_part.split(b"\r\n")[0] + b" " + body, b"".join(took)


CASES = [
    ("Content-Length: 0\r\n", b""),
    ("Content-Length: 11\r\n", b"hello world"),
    (f"Content-Length: {LIMIT}\r\n", b"x" * LIMIT),
    (f"Content-Length: {LIMIT + 1}\r\n", b"x" * (LIMIT + 1)),  # 413 from both
    ("Transfer-Encoding: chunked\r\n", b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
    ("Transfer-Encoding: chunked\r\n", b"600\r\n" + b"y" * 0x600 + b"\r\n0\r\n\r\n"),
    ("Transfer-Encoding: chunked\r\n", b"5\r\nhel"),  # cut short: the payload's error
]


async def test_every_body_reads_the_same_both_ways(port: int) -> None:
    took = []
    for head, data in CASES:
        mine, how = await _call(port, "/buffered", head, data)
        theirs, _ = await _call(port, "/read", head, data)
        assert mine == theirs, (head, data[:20])
        took.append(how)
    assert took[:3] == [b"X-Took: buffered"] * 3  # whole bodies are read without awaiting


async def test_a_body_still_to_come_is_awaited(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /buffered HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 b"Content-Length: 11\r\nExpect: 100-continue\r\n\r\n")
    await writer.drain()
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 100 Continue")
    writer.write(b"hello world")  # only now: the handler is already waiting for it
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert answer.startswith(b"HTTP/1.1 200") and b"X-Took: awaited" in answer
    assert answer.endswith(b"hello world")
