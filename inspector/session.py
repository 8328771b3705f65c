"""One simulated player's run: the player, the advisor, the client lane and the store.

Front-end neutral: the Qt window and the headless runner are thin drivers of this object.
Observers are plain callbacks (:class:`~inspector.signals.Signal`), never Qt signals.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Mapping

from .advisor import Advisor
from .client import ChannelState, MediaCollectionClient, SessionChannel
from .clock import Clock, ManualClock, SystemClock, VirtualClock
from .exchange import Exchange, ExchangeState
from .findings import Finding
from .player import PingOptions, Player, PlayerState
from .profile import Profile
from .protocol.bodies import PlayerTime, build_body
from .report import SessionReport
from .signals import Signal
from .store import ExchangeStore

__all__ = ["BodyError", "Session"]


def _with_default_qoe(event_type: str,
                      qoe: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """bitrateChange carries its new bitrate in qoeData (spec §3); give it one if missing."""
    if event_type == "bitrateChange" and not qoe:
        return {"media.qoe.bitrate": 3_000_000}
    return qoe


class BodyError(ValueError):
    """A raw body that cannot be sent as it is (not JSON); nothing was sent."""


class Session:
    """Drives one simulated player against one Media Collection server.

    ``changed()`` fires when the player, the sid or the report changed; ``gone(status)`` when
    the server answered 404 or 410 for the current session.
    """

    def __init__(self, client: MediaCollectionClient, *, clock: Clock | None = None,
                 profile: Profile | None = None, pings: PingOptions | None = None,
                 store: ExchangeStore | None = None) -> None:
        self.client = client
        self.clock = clock or SystemClock()
        self.profile = profile or Profile()
        self.store = store if store is not None else ExchangeStore()
        self.player = Player(self.clock, media_length=self.profile.media_length,
                             pings=pings or PingOptions())
        self.advisor = Advisor(ping_interval=self.player.pings.interval,
                               ad_ping_interval=self.player.pings.ad_interval)
        self.report = SessionReport()
        self.changed: Signal[[]] = Signal()
        self.gone: Signal[[int]] = Signal()
        self.channel: SessionChannel = client.open_channel()
        self._channels: dict[int, SessionChannel] = {self.channel.number: self.channel}
        self._pending: set[asyncio.Future[Exchange]] = set()
        client.exchanged.connect(self._on_exchange)

    # -- what the user sees -------------------------------------------------------------

    @property
    def sid(self) -> str | None:
        return self.channel.sid

    @property
    def is_gone(self) -> bool:
        return self.channel.state is ChannelState.GONE

    @property
    def unsent(self) -> list[Exchange]:
        return list(self.channel.unsent)

    def expiry_findings(self) -> list[Finding]:
        """Warnings about the 10-minute and 30-minute expiries, as of now."""
        if self.player.state in (PlayerState.IDLE, PlayerState.CLOSED):
            return []
        return self.advisor.expiry_findings(int(self.clock.now() * 1000))

    # -- actions ------------------------------------------------------------------------

    def start(self, params: Mapping[str, Any] | None = None,
              custom_metadata: Mapping[str, Any] | None = None,
              resume: bool = False) -> asyncio.Future[Exchange]:
        """Send sessionStart with the profile's parameters (``params`` override them)."""
        merged = {**self.profile.session_params(), **(params or {})}
        if resume:
            merged["media.resume"] = True
        return self._send("sessionStart", merged, None, custom_metadata)

    def new_session(self, resume: bool = False) -> asyncio.Future[Exchange]:
        """Start a replacement session; re-sends stateStart for states still open (§3.1 r7)."""
        open_states = list(self.player.open_states)
        started = self.start(resume=resume)
        for name in open_states:
            self.send("stateStart", {"media.state.name": name})
        return started

    def send(self, event_type: str, params: Mapping[str, Any] | None = None,
             qoe: Mapping[str, Any] | None = None,
             custom_metadata: Mapping[str, Any] | None = None,
             *, defaults: bool = True) -> asyncio.Future[Exchange]:
        """Send one event, stamped now, with the player's generated params under ``params``."""
        if event_type == "sessionStart":
            return self.start(params, custom_metadata)
        merged = {**(self.player.defaults(event_type) if defaults else {}), **(params or {})}
        return self._send(event_type, merged, qoe, custom_metadata)

    def preview(self, event_type: str, params: Mapping[str, Any] | None = None,
                qoe: Mapping[str, Any] | None = None,
                custom_metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The body :meth:`send` would build now, without sending or stamping it."""
        base = (self.profile.session_params() if event_type == "sessionStart"
                else self.player.defaults(event_type))
        ts = max(int(self.clock.now() * 1000), self.player.last_ts + 1)
        return build_body(event_type, PlayerTime(round(self.player.playhead, 3), ts),
                          {**base, **(params or {})}, _with_default_qoe(event_type, qoe),
                          custom_metadata)

    def send_body(self, raw: str | bytes | Mapping[str, Any]) -> asyncio.Future[Exchange]:
        """Send a body exactly as given (raw JSON mode). Raises BodyError if it is not JSON."""
        if isinstance(raw, Mapping):
            body: Any = dict(raw)
            payload: str | bytes | Mapping[str, Any] = raw
        else:
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise BodyError(f"not valid JSON, nothing sent: {exc}") from exc
            payload = raw
        event_type = body.get("eventType") if isinstance(body, dict) else None
        params = body.get("params") if isinstance(body, dict) else None
        return self._dispatch(event_type if isinstance(event_type, str) else None, body,
                              payload, params if isinstance(params, dict) else {})

    def resend(self, exchange: Exchange) -> asyncio.Future[Exchange]:
        """Send an earlier exchange's exact body again, on the current session."""
        return self.send_body(exchange.request_body)

    def seek(self, to: float) -> None:
        """Jump the playhead (no event: a seek is a playhead jump)."""
        self.player.seek(to)
        self.changed.emit()

    def send_unsent_on_new_session(self) -> list[asyncio.Future[Exchange]]:
        """Start a new session and send the events that never had one, in order."""
        old = self.channel
        self.start()
        return old.move_unsent(self.channel)

    def discard_unsent(self) -> list[Exchange]:
        return self.channel.discard_unsent()

    # -- pings --------------------------------------------------------------------------

    def tick(self) -> list[asyncio.Future[Exchange]]:
        """Send every auto ping that is due by now, each stamped at its grid time."""
        sent = []
        now = self.clock.now()
        while (due := self.player.next_ping_at()) is not None and due <= now:
            self.player.ping_sent(due)
            sent.append(self._send("ping", None, None, None, at=due))
        return sent

    async def wait(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass, sending due pings on the way.

        Clocks that can be moved (ManualClock, VirtualClock at max speed) jump from ping to
        ping; a running VirtualClock is waited for in real time scaled by its speed.
        """
        target = self.clock.now() + seconds
        while (now := self.clock.now()) < target:
            due = self.player.next_ping_at()
            step = (min(target, due) if due is not None else target) - now
            speed = self._speed()
            if speed:
                await asyncio.sleep(max(step / speed, 0.001))
            elif isinstance(self.clock, (ManualClock, VirtualClock)):
                self.clock.advance(max(step, 0.0))
            self.tick()
            await asyncio.sleep(0)

    async def settle(self) -> None:
        """Wait until every event sent so far has its answer (or is recorded as unsent)."""
        while self._pending:
            await asyncio.gather(*list(self._pending))

    async def run_pings(self) -> None:
        """Keep sending due pings until cancelled; sleeps in real time scaled by speed."""
        while True:
            self.tick()
            due = self.player.next_ping_at()
            speed = self._speed()
            wait = 0.25 if due is None or not speed else (due - self.clock.now()) / speed
            await asyncio.sleep(min(max(wait, 0.002), 0.25))

    # -- internals ----------------------------------------------------------------------

    def _speed(self) -> float | None:
        """Real-time speed factor of the clock; None when it moves only when told to."""
        if isinstance(self.clock, ManualClock):
            return None
        return self.clock.speed if isinstance(self.clock, VirtualClock) else 1.0

    def _send(self, event_type: str, params: Mapping[str, Any] | None,
              qoe: Mapping[str, Any] | None, custom_metadata: Mapping[str, Any] | None,
              at: float | None = None) -> asyncio.Future[Exchange]:
        qoe = _with_default_qoe(event_type, qoe)
        starting = event_type == "sessionStart"
        if starting:  # reset first, so a live session's first playhead is the second of day
            self.player.apply(event_type, dict(params or {}))
        body = build_body(event_type, self.player.stamp(at), params, qoe, custom_metadata)
        return self._dispatch(event_type, body, body, body.get("params", {}),
                              player_moved=starting)

    def _dispatch(self, event_type: str | None, body: Any,
                  payload: str | bytes | Mapping[str, Any],
                  params: dict[str, Any], player_moved: bool = False) -> asyncio.Future[Exchange]:
        """Advise on the body, move the player, and queue it on the right lane."""
        if event_type == "sessionStart":
            self.advisor.reset()
            self.report = SessionReport()
            if self.channel.state is not ChannelState.NEW:
                self._open_channel()
        findings = self.advisor.advise(body)
        if event_type is not None and not player_moved:
            self.player.apply(event_type, params)
        self.changed.emit()
        if event_type == "sessionStart":
            future = self.channel.start(payload, findings)
        else:
            future = self.channel.submit(payload, findings)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    def _open_channel(self) -> None:
        self.channel = self.client.open_channel()
        self._channels[self.channel.number] = self.channel

    def _on_exchange(self, exchange: Exchange) -> None:
        if exchange.channel not in self._channels:
            return
        self.store.record(exchange)
        if exchange.state is not ExchangeState.DONE or exchange.channel != self.channel.number:
            return
        if exchange.ok and exchange.sid:  # a 201 counts once: when its sid is known
            body = exchange.body_json()
            if isinstance(body, dict):
                self.report.add(body)
            self.changed.emit()
        elif exchange.status in (404, 410) and not self.channel.ended:
            self.player.close()
            self.advisor.session_gone(exchange.status)
            self.gone.emit(exchange.status)
            self.changed.emit()

    async def aclose(self) -> None:
        """Stop observing the client (the client is closed by its owner)."""
        self.client.exchanged.disconnect(self._on_exchange)
