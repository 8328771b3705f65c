"""A lean HTTP/1.1 keep-alive transport for the load engine's plain-http pools.

The engine's viewers send small JSON POSTs, thousands a second, over a handful of
connections per pool. aiohttp's client machinery (request and response objects, header
multidicts, tracing hooks, timers per read) costs about as much CPU per request as a whole
Locust user does; this transport writes the same request bytes aiohttp writes for the
client's requests and parses the answer on an :class:`asyncio.Protocol`, keeping httpx's
transport API (``httpx.Request`` in, ``httpx.Response`` out, httpx's exception classes), so
the client, its exchange records and its error classification are the same.

Only ``http://`` is handled here; anything else (TLS) goes to the
:class:`~inspector.http.AiohttpTransport` it wraps. What it does not do, because the
client never asks for it: proxies, HTTP/2, request bodies that are not bytes, read timeouts
(the client's own per-call deadline bounds every call, see ``MediaCollectionClient._call``).
A connection is reused only after a response read to its end with keep-alive framing
(``Content-Length`` or chunked, no ``Connection: close``); any trouble closes it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import AsyncIterator, Iterable, Sequence

import httpx

from ..http import AiohttpTransport, PlainAnswer, PlainStream

__all__ = ["PlainHttpTransport"]

_MAX_HEAD = 64 * 1024  # status line and headers: more is a protocol error


class _Body(PlainStream):
    """A response body as it arrives; closing it frees (or closes) its connection."""

    def __init__(self, conn: _Conn) -> None:
        self._conn = conn
        self.chunks: deque[bytes] = deque()
        self.done = False
        self.error: Exception | None = None
        self._waiter: asyncio.Future[None] | None = None

    def feed(self, chunk: bytes) -> None:
        if chunk:
            self.chunks.append(chunk)
            self._wake()

    def finish(self, error: Exception | None = None) -> None:
        if not self.done:
            self.done, self.error = True, error
            self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            while self.chunks:
                yield self.chunks.popleft()
            if self.done:
                if self.error is not None:
                    raise self.error
                return
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
            self._waiter = None

    async def aclose(self) -> None:
        self._conn.body_closed(self)


class _Conn(asyncio.Protocol):
    """One connection: one request at a time, its answer parsed as it arrives."""

    def __init__(self, pool: _Pool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reusable = False
        self._buf = bytearray()
        self._head: asyncio.Future[tuple[int, bytes, list[tuple[bytes, bytes]]]] | None = None
        self._body: _Body | None = None
        self._left = self._length = 0  # body bytes still due, of all (Content-Length)
        self._mode = ""  # "", "length", "chunked", "close": how the body is framed
        self._chunk_left = -1  # chunked: bytes left in this chunk (-1: a size line is due)
        self._no_body = False

    # -- asyncio.Protocol ---------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._buf += data
        try:
            self._parse()
        except httpx.RemoteProtocolError as exc:
            self._fail(exc)

    def eof_received(self) -> bool:
        if self._mode == "close" and self._body is not None:
            self._body.finish()
            self._mode = ""
        return False  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.forget(self)
        # aiohttp's words for the same cut, so the record reads the same (see the tests).
        if self._body is not None and self._mode == "length":
            got = self._length - self._left
            text = ("Response payload is not completed: <ContentLengthError: 400, message="
                    "'Not enough data to satisfy content length header (received "
                    f"{got} of {self._length} bytes).'>")
        elif self._body is not None and self._mode == "chunked":
            text = ("Response payload is not completed: <TransferEncodingError: 400, "
                    "message='Not enough data to satisfy transfer length header.'>")
        else:
            text = "Server disconnected"
        self._fail(httpx.RemoteProtocolError(text))

    # -- the exchange ---------------------------------------------------------------------

    def send(self, head: bytes, body: bytes) -> asyncio.Future[
            tuple[int, bytes, list[tuple[bytes, bytes]]]]:
        assert self.transport is not None
        self._head = asyncio.get_running_loop().create_future()
        self._body, self._mode, self.reusable = None, "", False
        self._no_body = head.startswith(b"HEAD ")
        self.transport.write(head + body if len(body) < 16384 else head)
        if len(body) >= 16384:
            self.transport.write(body)
        return self._head

    def body(self) -> _Body:
        """The body of the response whose head just came."""
        assert self._body is not None
        return self._body

    def body_closed(self, body: _Body) -> None:
        if body is not self._body:
            return
        self._body = None
        if body.done and body.error is None and self.reusable and not self.closed:
            self.pool.release(self)
        else:
            self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.pool.forget(self)
            if self.transport is not None:
                self.transport.close()

    def _fail(self, exc: Exception) -> None:
        self.reusable = False
        if self._head is not None and not self._head.done():
            self._head.set_exception(exc)
        if self._body is not None:
            if self._mode == "close" and isinstance(exc, httpx.RemoteProtocolError) \
                    and self.closed:
                self._body.finish()  # read-until-close framing: the close ends the body
            else:
                self._body.finish(exc)
        self._mode = ""
        if not self.closed:
            self.close()

    # -- parsing --------------------------------------------------------------------------

    def _parse(self) -> None:
        while True:
            if self._body is None:
                if self._head is None or self._head.done():
                    if self._buf:
                        raise httpx.RemoteProtocolError("data from the server before a request")
                    return
                end = self._buf.find(b"\r\n\r\n")
                if end < 0:
                    if len(self._buf) > _MAX_HEAD:
                        raise httpx.RemoteProtocolError("response headers too long")
                    return
                head = bytes(self._buf[:end])
                del self._buf[:end + 4]
                if not self._start(head):
                    continue  # an interim 1xx answer: the real one follows
            if not self._feed_body():
                return
            if self._body is not None and self._body.done:
                return

    def _start(self, head: bytes) -> bool:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise httpx.RemoteProtocolError(f"malformed status line {lines[0][:80]!r}")
        status = int(parts[1])
        reason = parts[2] if len(parts) > 2 else b""
        headers: list[tuple[bytes, bytes]] = []
        length: int | None = None
        chunked = keep = False
        close = parts[0] == b"HTTP/1.0"
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep or not name or name != name.strip():
                raise httpx.RemoteProtocolError(f"malformed header line {line[:80]!r}")
            value = value.strip()
            headers.append((name, value))
            lower = name.lower()
            if lower == b"content-length":
                if not value.isdigit() or (length is not None and int(value) != length):
                    raise httpx.RemoteProtocolError("malformed Content-Length")
                length = int(value)
            elif lower == b"transfer-encoding":
                chunked = value.lower().split(b",")[-1].strip() == b"chunked"
            elif lower == b"connection":
                tokens = {t.strip() for t in value.lower().split(b",")}
                close = close or b"close" in tokens
                keep = b"keep-alive" in tokens
        if 100 <= status < 200:
            return False
        if parts[0] == b"HTTP/1.0" and keep:
            close = False
        self._body = _Body(self)
        if self._no_body or status in (204, 304):
            self._mode, self._left = "length", 0
        elif chunked:
            self._mode, self._chunk_left = "chunked", -1
        elif length is not None:
            self._mode, self._left, self._length = "length", length, length
        else:
            self._mode, close = "close", True
        self.reusable = not close
        assert self._head is not None
        self._head.set_result((status, reason, headers))
        return True

    def _feed_body(self) -> bool:
        """Move what the buffer holds into the body; False when more bytes are needed."""
        body = self._body
        assert body is not None
        if self._mode == "length":
            take = min(self._left, len(self._buf))
            if take:
                body.feed(bytes(self._buf[:take]))
                del self._buf[:take]
                self._left -= take
            if self._left:
                return False
            self._mode = ""
            body.finish()
            return True
        if self._mode == "close":
            if self._buf:
                body.feed(bytes(self._buf))
                self._buf.clear()
            return False
        if self._mode == "chunked":
            return self._feed_chunked(body)
        return True  # already finished: the next bytes would be a new response

    def _feed_chunked(self, body: _Body) -> bool:
        while True:
            if self._chunk_left < 0:  # a size line
                end = self._buf.find(b"\r\n")
                if end < 0:
                    return False
                size = bytes(self._buf[:end]).split(b";")[0].strip()
                try:
                    self._chunk_left = int(size, 16)
                except ValueError:
                    raise httpx.RemoteProtocolError("malformed chunk size") from None
                del self._buf[:end + 2]
                if self._chunk_left == 0:
                    self._chunk_left = -2  # trailers, then the blank line
            if self._chunk_left == -2:
                end = self._buf.find(b"\r\n")
                if end < 0:
                    return False
                line = bytes(self._buf[:end])
                del self._buf[:end + 2]
                if not line:
                    self._mode, self._chunk_left = "", -1
                    body.finish()
                    return True
                continue  # a trailer line: dropped, as aiohttp does
            take = min(self._chunk_left, len(self._buf))
            if take:
                body.feed(bytes(self._buf[:take]))
                del self._buf[:take]
                self._chunk_left -= take
            if self._chunk_left:
                return False
            if len(self._buf) < 2:
                return False
            if self._buf[:2] != b"\r\n":
                raise httpx.RemoteProtocolError("malformed chunk end")
            del self._buf[:2]
            self._chunk_left = -1


class _Pool:
    """The keep-alive connections to one host:port, at most ``limit`` open (0: no limit)."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self.host, self.port, self.limit = host, port, limit
        self.idle: list[_Conn] = []
        self.open: set[_Conn] = set()
        self.waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self, connect_timeout: float | None) -> _Conn:
        while True:
            while self.idle:
                conn = self.idle.pop()
                if not conn.closed and conn.transport is not None \
                        and not conn.transport.is_closing():
                    return conn
                self.forget(conn)
            if not self.limit or len(self.open) < self.limit:
                return await self._connect(connect_timeout)
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                await waiter
            finally:
                if waiter in self.waiters:
                    self.waiters.remove(waiter)

    async def _connect(self, timeout: float | None) -> _Conn:
        loop = asyncio.get_running_loop()
        conn = _Conn(self)
        self.open.add(conn)
        try:
            async with asyncio.timeout(timeout):
                await loop.create_connection(lambda: conn, self.host, self.port)
        except TimeoutError as exc:
            self.forget(conn)
            raise httpx.ConnectTimeout(f"connecting to {self.host}:{self.port} timed out") \
                from exc
        except OSError as exc:
            self.forget(conn)
            raise httpx.ConnectError(
                f"Cannot connect to host {self.host}:{self.port} ssl:default "
                f"[{exc.strerror or exc}]") from exc
        except BaseException:
            self.forget(conn)
            raise
        return conn

    def release(self, conn: _Conn) -> None:
        self.idle.append(conn)
        self._wake()

    def forget(self, conn: _Conn) -> None:
        if conn in self.open:
            self.open.discard(conn)
            self._wake()
        if conn in self.idle:
            self.idle.remove(conn)

    def _wake(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def close(self) -> None:
        for conn in list(self.open):
            conn.close()


def _head(method: bytes, target: bytes, headers: Iterable[tuple[bytes, bytes]]) -> bytes:
    """What aiohttp writes for the client's requests: the target, then the headers as httpx
    lists them (lower-case names), in order."""
    lines = [method, b" ", target, b" HTTP/1.1\r\n"]
    for key, value in headers:
        lines += (key.lower(), b": ", value, b"\r\n")
    lines.append(b"\r\n")
    return b"".join(lines)


class PlainHttpTransport(httpx.AsyncBaseTransport):
    """httpx's transport API on lean keep-alive connections for ``http://`` URLs.

    ``max_connections`` per host:port (0 or None: no limit). Other schemes go to an
    :class:`~inspector.http.AiohttpTransport` opened on first use. It is also a
    :class:`~inspector.http.PlainWire`: the client can hand it the request's bytes and read
    the answer's, without httpx's request and response objects (the same bytes go out).
    """

    def __init__(self, *, max_connections: int | None = 100, verify: bool = True) -> None:
        self.max_connections = max_connections or 0
        self.verify = verify
        self._pools: dict[tuple[str, int], _Pool] = {}
        self._fallback: AiohttpTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http":
            if self._fallback is None:
                self._fallback = AiohttpTransport(verify=self.verify,
                                                  max_connections=self.max_connections)
            return await self._fallback.handle_async_request(request)
        phases = request.extensions.get("timeout") or {}
        status, reason, headers, body = await self._exchange(
            url, _head(request.method.encode("ascii"), url.raw_path, request.headers.raw),
            request.content, phases.get("connect"))
        return httpx.Response(status, headers=headers, stream=body, request=request,
                              extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason})

    async def send_plain(self, url: httpx.URL, method: bytes,
                         headers: Sequence[tuple[bytes, bytes]], body: bytes,
                         connect_timeout: float | None) -> PlainAnswer | None:
        """The :class:`~inspector.http.PlainWire` call; None (nothing sent) for https."""
        if url.scheme != "http":
            return None
        return await self._exchange(url, _head(method, url.raw_path, headers), body,
                                    connect_timeout)

    async def _exchange(self, url: httpx.URL, head: bytes, body: bytes,
                        connect_timeout: float | None) -> PlainAnswer:
        host, port = url.host, url.port or 80
        pool = self._pools.get((host, port))
        if pool is None:
            pool = self._pools[(host, port)] = _Pool(host, port, self.max_connections)
        conn = await pool.acquire(connect_timeout)
        try:
            status, reason, headers = await conn.send(head, body)
        except BaseException:
            conn.close()
            raise
        return status, reason, headers, conn.body()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()
        if self._fallback is not None:
            await self._fallback.aclose()
            self._fallback = None
