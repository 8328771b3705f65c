"""Async Media Collection client: sessions, events, sid extraction, queueing and ordering.

Every call becomes an :class:`Exchange`; observers see each one as it is queued, sent and
answered. Network failures are recorded on the exchange, never raised to the caller.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import socket
from collections import deque
import ssl
import time
import weakref
from enum import Enum
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

import httpx

from .http import AiohttpTransport
from .exchange import RESPONSE_BODY_LIMIT, ErrorKind, Exchange, ExchangeState, body_fields
from .findings import Finding
from .signals import Signal

__all__ = [
    "ChannelState",
    "MediaCollectionClient",
    "SessionChannel",
    "normalize_base_url",
    "parse_location",
    "plain_id",
]

_log = logging.getLogger(__name__)
_LOCATION = re.compile(r"^/api/([^/]+)/sessions/([^/?#]+)/?$")
_REPORT_LIMIT = 16 * 1024 * 1024  # the embedded backend's /_inspector/ report
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# What httpx's client sends by default (the record and the wire stay as they were).
_DEFAULT_HEADERS = (("Accept", "*/*"), ("Accept-Encoding", "gzip, deflate"),
                    ("Connection", "keep-alive"),
                    ("User-Agent", f"python-httpx/{httpx.__version__}"))
Body = Mapping[str, Any] | bytes | str


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


def plain_id(segment: str) -> bool:
    """True for a path segment we may post to: letters, digits, ``-``, ``_``, ``.``.

    The sid is opaque (spec §1.4; Adobe's are 64 hex characters), but it becomes a segment
    of the next URL: ``..``, ``.``, escapes or anything longer than 128 characters is not one.
    """
    return _PLAIN_ID.fullmatch(segment) is not None and segment not in (".", "..")


def parse_location(location: str | None) -> tuple[str, str] | None:
    """(api_version, sid) from a ``Location`` header, relative or absolute; None if malformed
    or if either segment is not a :func:`plain_id`."""
    if not location:
        return None
    match = _LOCATION.match(urlsplit(location.strip()).path)
    if match is None or not (plain_id(match.group(1)) and plain_id(match.group(2))):
        return None
    return match.group(1), match.group(2)


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


class ChannelState(str, Enum):
    """The life of one simulated session on the wire."""

    NEW = "new"
    STARTING = "starting"
    ACTIVE = "active"
    FAILED = "failed"  # sessionStart got no sid: queued events are kept as unsent
    GONE = "gone"  # the server answered 404 or 410


class SessionChannel:
    """One session's ordered lane: sessionStart first, then events in submission order.

    Events submitted while sessionStart is pending wait in the queue; if it fails they are
    kept in :attr:`unsent` until the user re-sends them on a new channel or discards them.
    """

    def __init__(self, client: MediaCollectionClient, number: int) -> None:
        self.client = client
        self.number = number
        self.state = ChannelState.NEW
        self.sid: str | None = None
        self.api_version: str | None = None
        self.gone_status: int | None = None
        self.ended = False  # our own sessionEnd was answered
        self.unsent: list[Exchange] = []
        self._queue: deque[tuple[Exchange, asyncio.Future[Exchange]]] = deque()
        self._inflight: tuple[Exchange, asyncio.Future[Exchange]] | None = None
        self._drainer: asyncio.Task[None] | None = None

    def start(self, body: Body, findings: Iterable[Finding] = ()) -> asyncio.Future[Exchange]:
        """Queue ``sessionStart``; the future resolves with its exchange."""
        self.state = ChannelState.STARTING
        return self._submit(self.client.sessions_url, body, findings)

    def submit(self, body: Body, findings: Iterable[Finding] = ()) -> asyncio.Future[Exchange]:
        """Queue an event for this session, in order; resolves once answered (or unsent).

        ``findings`` (the advisor's word on this event) travel on the exchange from the start.
        """
        return self._submit(None, body, findings)

    async def send(self, body: Body) -> Exchange:
        """Submit an event and wait for its exchange."""
        return await self.submit(body)

    def discard_unsent(self) -> list[Exchange]:
        """Drop the events that never had a session; they stay in the log as discarded."""
        dropped, self.unsent = self.unsent, []
        for exchange in dropped:
            exchange.state = ExchangeState.DISCARDED
            self.client.exchanged.emit(exchange)
        return dropped

    def move_unsent(self, target: SessionChannel) -> list[asyncio.Future[Exchange]]:
        """Send this channel's unsent events on ``target`` (a new session), in order."""
        moved, self.unsent = self.unsent, []
        for exchange in moved:
            exchange.state = ExchangeState.DISCARDED
            exchange.error = f"moved to session #{target.number}"
            self.client.exchanged.emit(exchange)
        return [target.submit(e.request_body, e.findings) for e in moved]

    def _submit(self, url: str | None, body: Body,
                findings: Iterable[Finding]) -> asyncio.Future[Exchange]:
        exchange = self.client.new_exchange(url or "", body, self.number)
        exchange.findings = list(findings)
        future: asyncio.Future[Exchange] = asyncio.get_running_loop().create_future()
        self._queue.append((exchange, future))
        self.client.exchanged.emit(exchange)
        if self.client.closed:
            self.abandon()
        elif self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain(), name=f"channel-{self.number}")
            self.client.track(self._drainer)
        return future

    def abandon(self) -> None:
        """End what is still queued or on the wire as cancelled (the client is closing).

        Each ends FAILED with :attr:`ErrorKind.CANCELLED`; whoever waits on one gets it.
        """
        pending = [*([self._inflight] if self._inflight else []), *self._queue]
        self._inflight = None
        self._queue.clear()
        for exchange, future in pending:
            self.client.cancelled(exchange)
            if not future.done():
                future.set_result(exchange)

    async def _drain(self) -> None:
        while self._queue:
            self._inflight = exchange, future = self._queue.popleft()
            try:
                result = await self._deliver(exchange)
            except Exception as exc:  # a bug must not wedge the lane: record it and go on
                _log.exception("unexpected failure sending exchange %d", exchange.seq)
                exchange.state, exchange.error = ExchangeState.FAILED, f"internal error: {exc}"
                self.client.exchanged.emit(exchange)
                result = exchange
            self._inflight = None
            if not future.done():
                future.set_result(result)

    async def _deliver(self, exchange: Exchange) -> Exchange:
        if exchange.url == self.client.sessions_url:
            return await self._deliver_start(exchange)
        if self.sid is None:
            exchange.url = self.client.events_url("{sid}")
            return self._keep_unsent(exchange)
        exchange.url = self.client.events_url(self.sid)
        exchange.sid = self.sid
        result = await self.client.post(exchange)
        if result.status in (404, 410):
            self.state, self.gone_status = ChannelState.GONE, result.status
        if result.ok and result.event_type == "sessionEnd":
            self.ended = True
        return result

    async def _deliver_start(self, exchange: Exchange) -> Exchange:
        result = await self.client.post(exchange)
        location = result.response_header("Location")
        parsed = parse_location(location) if result.status == 201 else None
        if parsed is not None:
            self.api_version, self.sid = parsed
            result.api_version, result.sid = parsed
            self.state = ChannelState.ACTIVE
        else:
            if result.status == 201:
                result.error_kind = ErrorKind.LOCATION
                result.error = (f"201 without a usable Location header ({location!r}); "
                                "expected /api/v1/sessions/{sid} with a plain sid (letters, "
                                "digits, -, _, .), spec §1.4; nothing is posted to it")
            self.state = ChannelState.FAILED
        self.client.exchanged.emit(result)  # observers see the sid (or the error) now
        return result

    def _keep_unsent(self, exchange: Exchange) -> Exchange:
        exchange.state = ExchangeState.UNSENT
        exchange.error_kind = ErrorKind.NO_SESSION
        exchange.error = ("not sent: the session did not start (no sid); send it on a new "
                          "session or discard it" if self.state is ChannelState.FAILED
                          else "not sent: no session yet; send sessionStart first")
        self.unsent.append(exchange)
        self.client.exchanged.emit(exchange)
        return exchange


class MediaCollectionClient:
    """A client for one Media Collection base URL, on httpx's transport API.

    ``exchanged`` fires each time an exchange changes state (queued, sending, answered...).
    """

    def __init__(self, base_url: str, *, verify: bool = True, timeout: float = 10.0,
                 retries: int = 2, backoff: float = 0.5,
                 transport: httpx.AsyncBaseTransport | None = None,
                 cookies: bool = False) -> None:
        """``cookies``: keep a cookie jar and send its cookies back (off by default: the
        Media Collection API uses none, and a replayed ``Set-Cookie`` can carry an id)."""
        self.base_url = normalize_base_url(base_url)
        self.sessions_url = f"{self.base_url}/api/v1/sessions"
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.exchanged: Signal[[Exchange]] = Signal()
        # httpx's transport API on aiohttp's pool (inspector/http.py): a third of the cost
        # of httpx.AsyncClient on httpcore. Requests go straight to the transport: no
        # client-level cookie jar, redirects or auth, which this API never wants.
        self._transport = transport if transport is not None else AiohttpTransport(verify=verify)
        self.cookies: httpx.Cookies | None = httpx.Cookies() if cookies else None
        self._phases = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout)}
        self._urls: dict[str, tuple[httpx.URL, tuple[tuple[str, str], ...]]] = {}
        self._seq = itertools.count(1)
        self._channels = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._attached: dict[str, SessionChannel] = {}
        self._lanes: weakref.WeakSet[SessionChannel] = weakref.WeakSet()
        self.closed = False

    def events_url(self, sid: str) -> str:
        return f"{self.sessions_url}/{sid}/events"

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
        """POST one event to ``/api/v1/sessions/{sid}/events``, in order with earlier ones."""
        channel = self._attached.get(sid) or self.attach(sid)
        return await channel.send(body)

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

    async def post(self, exchange: Exchange) -> Exchange:
        """POST the exchange's body, retrying 5xx with backoff (spec §1.3); never raises."""
        for attempt in range(1, self.retries + 2):
            if attempt > 1:
                exchange = self._retry_of(exchange, attempt)
                try:
                    await asyncio.sleep(self.backoff * 2 ** (attempt - 2))
                except asyncio.CancelledError:
                    self.cancelled(exchange)
                    raise
            await self._post_once(exchange)
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
        self.exchanged.emit(retry)
        return retry

    def _request(self, method: str, url: str, body: bytes,
                 content_type: str = "application/json") -> httpx.Request:
        """An httpx request with the headers httpx's client would send (cached per URL)."""
        known = self._urls.get(url)
        if known is None:
            parsed = httpx.URL(url)
            pairs = (("Host", parsed.netloc.decode("ascii")), *_DEFAULT_HEADERS)
            if len(self._urls) > 256:  # one per session lane: bound it all the same
                self._urls.clear()
            known = self._urls[url] = (parsed, tuple(
                (k.encode("ascii"), v.encode("ascii")) for k, v in pairs))
        parsed, raw = known
        # Raw header bytes and a ready stream: a fifth of the cost of content=/str headers.
        request = httpx.Request(method, parsed, stream=httpx.ByteStream(body),
                                extensions=self._phases, headers=[
                                    *raw, (b"Content-Type", content_type.encode("ascii")),
                                    (b"Content-Length", str(len(body)).encode("ascii"))])
        request.read()  # so any transport may read request.content
        if self.cookies is not None:
            self.cookies.set_cookie_header(request)
        return request

    async def _call(self, request: httpx.Request,
                    limit: int = RESPONSE_BODY_LIMIT) -> tuple[httpx.Response, bytes, int]:
        """Send ``request``; the response, its body's first ``limit`` bytes, its length.

        The rest of a longer body is read and counted but not kept (the call's deadline
        bounds how long that may take).
        """
        response = await self._transport.handle_async_request(request)
        kept, total = bytearray(), 0
        try:
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if len(kept) < limit:
                    kept += chunk[:limit - len(kept)]
        finally:
            await response.aclose()
        if self.cookies is not None:
            self.cookies.extract_cookies(response)
        return response, bytes(kept), total

    async def _post_once(self, exchange: Exchange) -> None:
        request = self._request("POST", exchange.url, exchange.request_body)
        exchange.request_headers = list(request.headers.items())
        exchange.state, exchange.started_at = ExchangeState.SENDING, time.time()
        self.exchanged.emit(exchange)
        began = time.perf_counter()
        try:
            # One deadline for the whole call: a reply dripped a byte at a time, each byte
            # within the read timeout, must not hold the lane for ever.
            async with asyncio.timeout(self.timeout):
                response, body, length = await self._call(request)
        except asyncio.CancelledError:
            exchange.duration_ms = (time.perf_counter() - began) * 1000
            self.cancelled(exchange)
            raise
        except (httpx.HTTPError, OSError, ssl.SSLError) as exc:
            exchange.error_kind, exchange.error = _classify(exc)
            exchange.state = ExchangeState.FAILED
        else:
            exchange.status = response.status_code
            exchange.response_headers = list(response.headers.items())
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
