"""Async Media Collection client: sessions, events, sid extraction, queueing and ordering.

Session lanes (:class:`SessionChannel`) live in :mod:`inspector.channel`; the wire is
httpx's transport API on aiohttp's pool (:mod:`inspector.http`).

Every call becomes an :class:`Exchange`; observers see each one as it is queued, sent and
answered. Network failures are recorded on the exchange, never raised to the caller.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import ssl
import time
import weakref
from collections.abc import Mapping
from typing import Any, AsyncIterable, Awaitable, Iterable, Iterator
from urllib.parse import urlsplit

import httpx

from . import edge_client
from .channel import Body, ChannelState, SessionChannel, parse_location, plain_id
from .exchange import RESPONSE_BODY_LIMIT, ErrorKind, Exchange, ExchangeState, body_fields
from .findings import Finding
from .http import AiohttpTransport, PlainWire, header_items, plain_body
from .protocol.edge_rules import edge_event
from .signals import Signal

__all__ = [
    "ChannelState",
    "MediaCollectionClient",
    "SessionChannel",
    "normalize_base_url",
    "parse_location",
    "plain_id",
]

_REPORT_LIMIT = 16 * 1024 * 1024  # the embedded backend's /_inspector/ report
# What httpx's client sends by default (the record and the wire stay as they were).
_DEFAULT_HEADERS = (("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate"),
                    ("Connection", "keep-alive"),
                    ("User-Agent", f"python-httpx/{httpx.__version__}"))


# url -> (parsed, raw header pairs, the record's str pairs): one parse per URL per process
# (every viewer of a load run posts its sessionStart to the same URL).
_PARSED: dict[str, tuple[httpx.URL, tuple[tuple[bytes, bytes], ...],
                         tuple[tuple[str, str], ...]]] = {}


def normalize_base_url(url: str) -> str:
    """``http://host:port`` from what a user typed (trailing ``/`` or ``/api/v1`` allowed)."""
    url = url.strip().rstrip("/")
    if url.endswith("/api/v1"):
        url = url[: -len("/api/v1")]
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r} (expected e.g. http://127.0.0.1:8080)")
    return url


async def _read(chunks: AsyncIterable[bytes], limit: int) -> tuple[bytes, int]:
    """A body's first ``limit`` bytes, and its whole length (the rest is read, not kept)."""
    kept, total = bytearray(), 0
    async for chunk in chunks:
        total += len(chunk)
        if len(kept) < limit:
            kept += chunk[:limit - len(kept)]
    return bytes(kept), total


def _classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """A user-facing kind and message for a transport failure."""
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 10:
        chain.append(cur)
        cur = cur.__cause__ or cur.__context__
    text = str(exc) or type(exc).__name__
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return ErrorKind.TLS, f"TLS handshake failed: {text}"
    if isinstance(exc, TimeoutError):
        return ErrorKind.TIMEOUT, "no complete answer within the call's deadline"
    if isinstance(exc, httpx.TimeoutException):
        return ErrorKind.TIMEOUT, f"no answer in time ({type(exc).__name__})"
    if any(isinstance(e, socket.gaierror) for e in chain) or "Name or service" in text:
        return ErrorKind.DNS, f"host name could not be resolved: {text}"
    if isinstance(exc, httpx.ConnectError):
        return ErrorKind.CONNECT, f"cannot connect: {text}"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.DecodingError)):
        return ErrorKind.PROTOCOL, f"malformed or dropped response: {text}"
    return ErrorKind.NETWORK, f"{type(exc).__name__}: {text}"


ATTACHED_LIMIT = 4096  # sids send_event keeps an idle lane for (it stays bounded)


class MediaCollectionClient:
    """A client for one Media Collection base URL, on httpx's transport API.

    ``exchanged`` fires each time an exchange changes state (queued, sending, answered...).
    """

    def __init__(self, base_url: str, *, verify: bool = True, timeout: float = 10.0,
                 retries: int = 2, backoff: float = 0.5,
                 transport: httpx.AsyncBaseTransport | None = None,
                 cookies: bool = False,
                 numbering: tuple[Iterator[int], Iterator[int]] | None = None,
                 dialect: str = "classic", config_id: str | None = None) -> None:
        """``dialect``: ``classic`` (``/api/v1``) or ``edge`` (``/ee/va/v1/{event}``, spec §9,
        with ``config_id`` as ``?configId=``); bodies are queued classic either way.
        ``cookies``: keep a cookie jar and send its cookies back (off by default: the
        Media Collection API uses none, and a replayed ``Set-Cookie`` can carry an id).
        ``numbering``: (exchange seq, channel) counters shared with earlier clients, so a
        window that switches targets never shows two rows with one ``#`` (default: fresh)."""
        self.base_url = normalize_base_url(base_url)
        if dialect not in edge_client.DIALECTS:
            raise ValueError(f"unknown dialect {dialect!r}; expected classic or edge")
        self.dialect, self.config_id = dialect, config_id or None
        self.sessions_url = f"{self.base_url}/api/v1/sessions" if dialect == "classic" else \
            edge_client.edge_url(self.base_url, "sessionStart", self.config_id)
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.exchanged: Signal[[Exchange]] = Signal()
        # httpx's transport API on aiohttp's pool (inspector/http.py): a third of the cost
        # of httpx.AsyncClient on httpcore. Requests go straight to the transport: no
        # client-level cookie jar, redirects or auth, which this API never wants.
        self._transport = transport if transport is not None else AiohttpTransport(verify=verify)
        # The load engine's pools can take a request's bytes directly (inspector/http.py).
        self._wire = self._transport if isinstance(self._transport, PlainWire) else None
        self.cookies: httpx.Cookies | None = httpx.Cookies() if cookies else None
        self._phases = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)}
        # url -> (parsed, raw header pairs, the same as the record's (lower-case) str pairs)
        self._urls: dict[str, tuple[httpx.URL, tuple[tuple[bytes, bytes], ...],
                                    tuple[tuple[str, str], ...]]] = {}
        self._seq, self._channels = numbering or (itertools.count(1), itertools.count(1))
        self._tasks: set[asyncio.Task[Any]] = set()
        self._attached: dict[str, SessionChannel] = {}
        self.attached_limit = ATTACHED_LIMIT
        self._lanes: weakref.WeakSet[SessionChannel] = weakref.WeakSet()
        self.closed = False

    def events_url(self, sid: str) -> str:
        return f"{self.base_url}/api/v1/sessions/{sid}/events"

    def address(self, exchange: Exchange, sid: str | None) -> None:
        """Point a queued exchange at its URL for this dialect; an Edge one (with a sid, or
        a start) also becomes its Edge call (spec §9). ``sid`` None: the event is unsent."""
        if self.dialect == "classic":
            exchange.url = self.events_url(sid or "{sid}")
        elif sid is None and exchange.url != self.sessions_url:
            exchange.url = edge_client.edge_url(self.base_url, edge_event(exchange.event_type),
                                                self.config_id)
        else:
            edge_client.prepare(exchange, sid, self.base_url, self.config_id)

    def started(self, result: Exchange) -> tuple[str, str] | None:
        """(api_version, sid) from a sessionStart's answer, in this dialect; None if none."""
        if self.dialect == "classic":
            return parse_location(result.response_header("Location")) \
                if result.status == 201 else None
        sid = edge_client.start_outcome(result)
        return ("v1", sid) if sid is not None else None  # /ee/va/v1

    def phrase(self, findings: Iterable[Finding], event_type: str) -> list[Finding]:
        """Findings as this dialect names fields (spec §9: Edge paths for an Edge client)."""
        if self.dialect == "classic":
            return list(findings)
        return edge_client.phrased(findings, event_type)

    def answered(self, result: Exchange) -> None:
        """Note what an event's answer says about its fields (an Edge 400 problem, §9)."""
        if result.dialect == "edge":
            edge_client.note_problems(result)

    def open_channel(self) -> SessionChannel:
        """A new, not yet started, session lane."""
        channel = SessionChannel(self, next(self._channels))
        self._lanes.add(channel)
        return channel

    def attach(self, sid: str, api_version: str = "v1") -> SessionChannel:
        """A lane for a session started elsewhere (a sid copied from a real player's log)."""
        channel = self.open_channel()
        channel.sid, channel.api_version, channel.state = sid, api_version, ChannelState.ACTIVE
        self._attached[sid] = channel
        return channel

    async def send_event(self, sid: str, body: Body) -> Exchange:
        """POST one event to ``/api/v1/sessions/{sid}/events``, in order with earlier ones.

        One lane per sid keeps the order; past :attr:`attached_limit` sids, the lanes least
        recently used that have nothing queued are let go (a later event opens a new one).
        """
        channel = self._attached.pop(sid, None) or self.attach(sid)
        self._attached[sid] = channel  # the most recently used last
        if len(self._attached) > self.attached_limit:
            self._let_go()
        return await channel.send(body)

    def _let_go(self) -> None:
        """Drop the least recently used idle lanes past the limit (the scan stops there)."""
        excess = len(self._attached) - self.attached_limit
        idle: list[str] = []
        for sid, lane in self._attached.items():
            if len(idle) == excess:
                break
            if lane.idle:
                idle.append(sid)
        for sid in idle:
            del self._attached[sid]

    @property
    def attached(self) -> list[str]:
        """The sids :meth:`send_event` keeps a lane for, least recently used first."""
        return list(self._attached)

    async def start_session(self, body: Body) -> tuple[SessionChannel, Exchange]:
        """Open a channel and start its session; the exchange has the sid when it worked."""
        channel = self.open_channel()
        return channel, await channel.start(body)

    def track(self, task: asyncio.Task[Any]) -> None:
        """Hold a reference to a task until it ends (no orphaned tasks)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def new_exchange(self, url: str, body: Body, channel: int = 0) -> Exchange:
        """A queued exchange for ``body`` (a mapping is encoded as compact JSON)."""
        if isinstance(body, Mapping):
            raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
            decoded: Any = body
        else:
            raw = body.encode() if isinstance(body, str) else bytes(body)
            try:
                decoded = json.loads(raw)
            except ValueError:
                decoded = None
        event_type, playhead, ts = body_fields(decoded)
        return Exchange(seq=next(self._seq), method="POST", url=url, event_type=event_type,
                        request_body=raw, channel=channel, queued_at=time.time(),
                        playhead=playhead, ts=ts)

    async def post(self, exchange: Exchange,
                   hold: Awaitable[object] | None = None) -> Exchange:
        """POST the exchange's body, retrying 5xx with backoff (spec §1.3); never raises.

        ``hold`` (delivery chaos): the first answer is read only once it is done, so the
        exchange stays on the wire until then whatever the server answered.
        """
        for attempt in range(1, self.retries + 2):
            if attempt > 1:
                exchange = self._retry_of(exchange, attempt)
                try:
                    await asyncio.sleep(self.backoff * 2 ** (attempt - 2))
                except asyncio.CancelledError:
                    self.cancelled(exchange)
                    raise
            await self._post_once(exchange, hold if attempt == 1 else None)
            if exchange.status is None or exchange.status < 500:
                break
        return exchange

    def cancelled(self, exchange: Exchange) -> None:
        """End ``exchange`` as cancelled if it is still queued or on the wire."""
        if exchange.state in (ExchangeState.QUEUED, ExchangeState.SENDING):
            exchange.state, exchange.error_kind = ExchangeState.FAILED, ErrorKind.CANCELLED
            exchange.error = "cancelled: the client was closed before an answer came"
            self.exchanged.emit(exchange)

    def _retry_of(self, previous: Exchange, attempt: int) -> Exchange:
        retry = self.new_exchange(previous.url, previous.request_body, previous.channel)
        retry.attempt, retry.sid, retry.findings = attempt, previous.sid, previous.findings
        retry.dialect, retry.classic_body = previous.dialect, previous.classic_body
        retry.event_type, retry.playhead, retry.ts = (previous.event_type, previous.playhead,
                                                      previous.ts)
        self.exchanged.emit(retry)
        return retry

    def _known(self, url: str) -> tuple[httpx.URL, tuple[tuple[bytes, bytes], ...],
                                        tuple[tuple[str, str], ...]]:
        """``url`` parsed, with the headers httpx's client would send to it (cached)."""
        known = self._urls.get(url)
        if known is None:
            known = _PARSED.get(url)
            if known is None:  # parsing costs ~50 us: shared by every client of a process
                parsed = httpx.URL(url)
                pairs = (("Host", parsed.netloc.decode("ascii")), *_DEFAULT_HEADERS)
                if len(_PARSED) > 4096:
                    _PARSED.clear()
                known = _PARSED[url] = (parsed, tuple(
                    (k.encode("ascii"), v.encode("ascii")) for k, v in pairs),
                    tuple((k.lower(), v) for k, v in pairs))
            if len(self._urls) > 256:  # one per session lane: bound it all the same
                self._urls.clear()
            self._urls[url] = known
        return known

    def _headers(self, url: str, body: bytes,
                 content_type: str = "application/json") -> list[tuple[bytes, bytes]]:
        """The header lines of a request to ``url`` with ``body``, as raw bytes."""
        return [*self._known(url)[1], (b"Content-Type", content_type.encode("ascii")),
                (b"Content-Length", str(len(body)).encode("ascii"))]

    def _request(self, method: str, url: str, body: bytes,
                 content_type: str = "application/json") -> httpx.Request:
        """An httpx request with the headers httpx's client would send (cached per URL)."""
        # Raw header bytes and a ready stream: a fifth of the cost of content=/str headers.
        request = httpx.Request(method, self._known(url)[0], stream=httpx.ByteStream(body),
                                extensions=self._phases,
                                headers=self._headers(url, body, content_type))
        request.read()  # so any transport may read request.content
        if self.cookies is not None:
            self.cookies.set_cookie_header(request)
        return request

    async def _call(self, request: httpx.Request,
                    limit: int = RESPONSE_BODY_LIMIT) -> tuple[httpx.Response, bytes, int]:
        """Send ``request``; the response, its body's first ``limit`` bytes, its length.

        One deadline (``timeout``) for the whole call, raising TimeoutError: a reply dripped
        a byte at a time, each byte within the read timeout, must not hold the lane for
        ever. The rest of a longer body is read and counted but not kept.
        """
        async with asyncio.timeout(self.timeout):
            response = await self._transport.handle_async_request(request)
            try:
                kept, total = await _read(plain_body(response) or response.aiter_bytes(), limit)
            finally:
                await response.aclose()
        if self.cookies is not None:
            self.cookies.extract_cookies(response)
        return response, kept, total

    async def _call_plain(self, wire: PlainWire, url: str, content: bytes
                          ) -> tuple[int, list[tuple[str, str]], bytes, int] | None:
        """:meth:`_call` of a POST on a :class:`~inspector.http.PlainWire` transport: the same
        bytes on the wire, the same deadline and the same record (status, headers as httpx
        lists them, body, length) without httpx's request and response objects. None when
        the transport does not carry ``url``: nothing was sent."""
        async with asyncio.timeout(self.timeout):
            answer = await wire.send_plain(self._known(url)[0], b"POST",
                                           self._headers(url, content), content, self.timeout)
            if answer is None:
                return None
            status, _, raw, stream = answer
            headers = header_items(raw)
            # An encoded body is decoded as httpx decodes it (plain_body's rule).
            response = (httpx.Response(status, headers=raw, stream=stream)
                        if any(name == "content-encoding" for name, _ in headers) else None)
            try:
                kept, total = await _read(stream if response is None
                                          else response.aiter_bytes(), RESPONSE_BODY_LIMIT)
            finally:
                await (stream.aclose() if response is None else response.aclose())
        return status, headers, kept, total

    def _sent_headers(self, request: httpx.Request | None, url: str,
                      content: bytes) -> list[tuple[str, str]]:
        """``list(request.headers.items())`` for a request from :meth:`_request` (None: the
        one :meth:`_call_plain` sends), from the URL's cached pairs when no cookie was added
        (no key repeats, so none merge)."""
        if request is not None and self.cookies is not None:
            return list(request.headers.items())
        return [*self._known(url)[2], ("content-type", "application/json"),
                ("content-length", str(len(content)))]

    async def _post_once(self, exchange: Exchange, hold: Awaitable[object] | None) -> None:
        url, content = exchange.url, exchange.request_body
        wire = self._wire if self.cookies is None else None
        request = None if wire is not None else self._request("POST", url, content)
        exchange.request_headers = self._sent_headers(request, url, content)
        exchange.state, exchange.started_at = ExchangeState.SENDING, time.time()
        self.exchanged.emit(exchange)
        began = time.perf_counter()
        try:
            answer = None if wire is None else await self._call_plain(wire, url, content)
            if answer is None:  # not a plain wire, or one that does not carry this URL
                response, body, length = await self._call(
                    request or self._request("POST", url, content))
                answer = (response.status_code, list(response.headers.items()), body, length)
            if hold is not None:
                await hold
        except asyncio.CancelledError:
            exchange.duration_ms = (time.perf_counter() - began) * 1000
            self.cancelled(exchange)
            raise
        except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
            exchange.error_kind, exchange.error = _classify(exc)
            exchange.state = ExchangeState.FAILED
        else:
            exchange.status, exchange.response_headers, body, length = answer
            exchange.response_body = body
            exchange.response_truncated = length if length > len(body) else None
            exchange.state = ExchangeState.DONE
        exchange.duration_ms = (time.perf_counter() - began) * 1000
        self.exchanged.emit(exchange)

    async def server_report(self, sid: str) -> dict[str, Any] | str:
        """The embedded backend's report for ``sid`` (``/_inspector/``), or why there is none.

        Only our own backend has this endpoint; a real Adobe server answers 404.
        """
        try:
            response, body, length = await self._call(self._request(
                "GET", f"{self.base_url}/_inspector/sessions/{sid}", b""), _REPORT_LIMIT)
        except (httpx.HTTPError, OSError) as exc:
            return f"could not fetch the server's report: {_classify(exc)[1]}"
        if response.status_code != 200:
            return f"the server has no report for this session (HTTP {response.status_code})"
        if length > len(body):
            return f"the server's report is too long ({length:,} bytes)"
        try:
            data = json.loads(body)
        except ValueError:
            return "the server's report is not JSON"
        return data if isinstance(data, dict) else {"report": data}

    async def advance_server_clock(self, seconds: float) -> None:
        """Move the embedded backend's clock forward (``/_inspector/clock``), for replays.

        Raises RuntimeError when the server has no clock control (any server but ours) or
        cannot be reached, with a message for the user.
        """
        try:
            response, _, _ = await self._call(self._request(
                "POST", f"{self.base_url}/_inspector/clock",
                json.dumps({"advance": seconds}).encode()))
        except (httpx.HTTPError, OSError) as exc:
            raise RuntimeError(f"cannot move the server's clock: {_classify(exc)[1]}") from exc
        if response.status_code != 200:
            raise RuntimeError(f"{self.base_url} has no clock control (/_inspector/clock "
                               f"answered {response.status_code}); use the embedded backend")

    async def aclose(self) -> None:
        """Stop pending work and close connections.

        Exchanges still queued or on the wire end as cancelled (FAILED, ErrorKind.CANCELLED)
        and whoever awaits them gets them; anything submitted later ends the same way.
        """
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for lane in list(self._lanes):
            lane.abandon()
        await self._transport.aclose()
