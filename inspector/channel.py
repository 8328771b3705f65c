"""One session's lane on the wire: sessionStart first, then its events in order.

The sid comes from the ``Location`` header of the 201 (spec §1.4); events sent before it
is known wait in the queue, and when sessionStart fails they are kept as unsent (§6.3).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from enum import Enum
from typing import TYPE_CHECKING, Any, Iterable, Mapping
from urllib.parse import urlsplit

from .exchange import ErrorKind, Exchange, ExchangeState
from .findings import Finding

if TYPE_CHECKING:
    from .chaos.plan import ChaosPlan
    from .client import MediaCollectionClient

__all__ = ["Body", "ChannelState", "SessionChannel", "parse_location", "plain_id"]

_log = logging.getLogger(__name__)
_LOCATION = re.compile(r"^/api/([^/]+)/sessions/([^/?#]+)/?$")
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
Body = Mapping[str, Any] | bytes | str


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
        # Client-side delivery chaos (inspector/chaos/): asked about each dequeued exchange.
        self.chaos: ChaosPlan | None = None

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
        exchange.findings = self.client.phrase(findings, exchange.event_type)
        future: asyncio.Future[Exchange] = asyncio.get_running_loop().create_future()
        self._queue.append((exchange, future))
        handed = future if self.chaos is None else self.chaos.handed(self, exchange, future)
        self.client.exchanged.emit(exchange)
        self._wake()
        return handed

    def requeue(self, exchanges: list[Exchange]) -> list[asyncio.Future[Exchange]]:
        """Put ``exchanges`` next in line, in this order (chaos sending what it held)."""
        loop = asyncio.get_running_loop()
        items = [(e, loop.create_future()) for e in exchanges]
        self._queue.extendleft(reversed(items))
        self._wake()
        return [future for _, future in items]

    def _wake(self) -> None:
        if self.client.closed:
            self.abandon()
        elif self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain(), name=f"channel-{self.number}")
            self.client.track(self._drainer)

    @property
    def idle(self) -> bool:
        """Nothing queued and nothing on the wire."""
        return not self._queue and self._inflight is None

    def working(self) -> list[asyncio.Task[None]]:
        """The task sending this lane's queue, while it has one (for whoever must wait)."""
        drainer = self._drainer
        return [drainer] if drainer is not None and not drainer.done() else []

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
                if self.chaos is not None and self.chaos.intercept(self, exchange, future):
                    self._inflight = None  # held, dropped or failed before it left
                    continue
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
            self.client.address(exchange, None)
            return self._keep_unsent(exchange)
        self.client.address(exchange, self.sid)
        exchange.sid = self.sid
        result = await self.client.post(exchange)
        self.client.answered(result)
        if result.status in (404, 410):
            self.state, self.gone_status = ChannelState.GONE, result.status
        if result.ok and result.event_type == "sessionEnd":
            self.ended = True
        return result

    async def _deliver_start(self, exchange: Exchange) -> Exchange:
        if self.client.dialect != "classic":
            self.client.address(exchange, None)  # the Edge sessionStart call (spec §9)
        # Chaos may hold the answer back: until then no sid, and later events queue (§6.3).
        held = self.chaos.answer_gate(self.number) if self.chaos is not None else None
        result = await self.client.post(exchange, hold=held)
        location = result.response_header("Location")
        parsed = self.client.started(result)
        if parsed is not None:
            self.api_version, self.sid = parsed
            result.api_version, result.sid = parsed
            self.state = ChannelState.ACTIVE
        else:
            if result.status == 201 and self.client.dialect == "classic":
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
