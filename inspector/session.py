"""One simulated player's run: the player, the advisor, the client lane and the store.

Front-end neutral: the Qt window and the headless runner are thin drivers of this object.
Observers are plain callbacks (:class:`~inspector.signals.Signal`), never Qt signals.
"""

from __future__ import annotations

import asyncio
import json
import math
from contextlib import asynccontextmanager
from enum import Enum
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, Iterable, Mapping

from .advisor import Advisor
from .client import ChannelState, MediaCollectionClient, SessionChannel
from .clock import SessionClock
from .exchange import Exchange, ExchangeState
from .findings import Finding
from .player import PingOptions, Player, PlayerState
from .profile import Profile
from .protocol.bodies import PlayerTime, build_body
from .protocol.schemas import BodyValidator
from .report import SessionReport
from .signals import Signal
from .store import ExchangeStore

if TYPE_CHECKING:
    from .chaos.plan import ChaosPlan

__all__ = ["BodyError", "Session", "SessionState", "ServerClockHook"]

ServerClockHook = Callable[[float], Awaitable[None]]  # moves a remote backend's clock ahead


class SessionState(str, Enum):
    """What the current session is, as every view should show it."""

    NONE = "no session"
    STARTING = "waiting for the server…"
    ACTIVE = "active"
    FAILED = "start failed"
    GONE = "gone"
    ENDED = "ended"


def _with_default_qoe(event_type: str,
                      qoe: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """bitrateChange carries its new bitrate in qoeData (spec §3); give it one if missing."""
    if event_type == "bitrateChange" and not qoe:
        return {"media.qoe.bitrate": 3_000_000}
    return qoe


_STATES = {ChannelState.STARTING: SessionState.STARTING, ChannelState.ACTIVE: SessionState.ACTIVE,
           ChannelState.FAILED: SessionState.FAILED, ChannelState.GONE: SessionState.GONE}


class BodyError(ValueError):
    """A raw body that cannot be sent as it is (not JSON); nothing was sent."""


class Session:
    """Drives one simulated player against one Media Collection server.

    ``changed()`` fires when the player, the sid or the report changed; ``gone(status)`` when
    the server answered 404 or 410 for the current session; ``state_changed(state)`` at once
    (never coalesced) whenever :attr:`state` changes.

    All its time comes from ``clock``: a flowing one for the window, a stepped one for
    scripts (see :mod:`inspector.clock`). ``server_clock``, when set, is told of every jump
    of a stepped clock (a backend in another process that cannot follow ours directly).

    ``keep`` (the default): every exchange goes into :attr:`store` and every answered event
    into :attr:`report`. A load run's viewers pass False: their health table counts each
    exchange as it ends, and keeping thousands of sessions' whole logs would grow a soak
    run's memory without end; :attr:`store` and :attr:`report` then stay empty.
    """

    def __init__(self, client: MediaCollectionClient, *, clock: SessionClock | None = None,
                 profile: Profile | None = None, pings: PingOptions | None = None,
                 store: ExchangeStore | None = None, keep: bool = True) -> None:
        self.client = client
        self.keep = keep
        self.clock = clock if clock is not None else SessionClock()
        self.server_clock: ServerClockHook | None = None
        # Asked before each auto ping is sent (many viewers on one loop shed pings they can
        # no longer send in time, and count them, rather than queue them without end).
        self.ping_gate: Callable[[float], bool] | None = None
        self.profile = profile or Profile()
        self.store = store if store is not None else ExchangeStore()
        self.player = Player(self.clock, media_length=self.profile.media_length,
                             pings=pings or PingOptions())
        self.advisor = Advisor(ping_interval=self.player.pings.interval,
                               ad_ping_interval=self.player.pings.ad_interval)
        self.report = SessionReport()
        self.changed: Signal[[]] = Signal()
        self.gone: Signal[[int]] = Signal()
        self.state_changed: Signal[[SessionState]] = Signal()
        self.channel: SessionChannel = client.open_channel()
        self._channels: dict[int, SessionChannel] = {self.channel.number: self.channel}
        self._pending: set[asyncio.Future[Any]] = set()
        self._state = SessionState.NONE
        self._scripts = 0  # replays and warps driving time; the live pinger waits for them
        self._free = asyncio.Event()
        self._free.set()
        self._warping = asyncio.Lock()  # warps one after another, each from where the last left
        self.chaos: ChaosPlan | None = None  # client-side delivery chaos, see set_chaos
        client.exchanged.connect(self._on_exchange)

    # -- what the user sees -------------------------------------------------------------

    @property
    def sid(self) -> str | None:
        return self.channel.sid

    @property
    def is_gone(self) -> bool:
        return self.channel.state is ChannelState.GONE

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def unsent(self) -> list[Exchange]:
        return list(self.channel.unsent)

    def expiry_findings(self) -> list[Finding]:
        """Warnings about the 10-minute and 30-minute expiries, as of now."""
        if self.player.state in (PlayerState.IDLE, PlayerState.CLOSED):
            return []
        return self.advisor.expiry_findings(int(self.clock.now() * 1000))

    def expiry_countdown(self) -> dict[str, float]:
        """Seconds left before the backend's ``idle`` and ``stall`` expiries, as of now."""
        if self.player.state in (PlayerState.IDLE, PlayerState.CLOSED):
            return {}
        return self.advisor.time_left(round(self.clock.now() * 1000))

    # -- actions ------------------------------------------------------------------------

    def start(self, params: Mapping[str, Any] | None = None,
              custom_metadata: Mapping[str, Any] | None = None,
              resume: bool = False) -> asyncio.Future[Exchange]:
        """Send sessionStart with the profile's parameters (``params`` override them).

        On a flowing clock (the window) the session begins at the wall clock's now, so no
        session starts in the future after running fast; scripts set their own start.
        """
        if self.clock.flowing and not self._scripts:
            self.clock.reanchor()
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
        # An Edge exchange (spec §9) is resent from its classic event, in the current dialect.
        return self.send_body(exchange.classic_body or exchange.request_body)

    def use_schemas(self, validator: BodyValidator | None) -> None:
        """Judge this session's bodies by ``validator`` (a target's fetched schemas, issue
        17) from the next one on; None: by our catalogue's again."""
        self.advisor.validator = validator
        self.changed.emit()

    @property
    def schemas(self) -> BodyValidator | None:
        """Whose schemas judge the bodies: None for ours."""
        return self.advisor.validator

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

    def set_chaos(self, plan: ChaosPlan | None) -> None:
        """Apply ``plan``'s delivery chaos to this session's lanes from now on (None: off).

        What the plan it replaces still holds goes out now, so nothing waits on it for ever.
        """
        before, self.chaos = self.chaos, plan
        self.channel.chaos = plan
        if before is not None and before is not plan:
            before.release_all()
            self._wait_for(before.pending)

    # -- time -------------------------------------------------------------------------

    def set_pings(self, pings: PingOptions) -> None:
        """Auto-ping options from now on, for the player and the advisor's cadence rules."""
        self.player.pings = pings
        self.advisor.set_ping_intervals(pings.interval, pings.ad_interval)
        self.clock.interrupt()

    def set_auto_pings(self, on: bool) -> None:
        """Auto pings on or off from now on (the pinger recomputes at once)."""
        self.player.pings.enabled = on
        self.clock.interrupt()

    def tick(self) -> list[asyncio.Future[Exchange]]:
        """Send every auto ping that is due by now, each stamped at its grid instant."""
        sent = []
        now = self.clock.now()
        while (due := self.player.next_ping_at()) is not None and due <= now + 1e-9:
            self.player.ping_sent(due)
            if self.ping_gate is None or self.ping_gate(due):
                sent.append(self._send("ping", None, None, None, at=due))
        return sent

    async def run_until(self, target: float | None,
                        keep_going: Callable[[], bool] = lambda: True) -> None:
        """Let simulated time pass to ``target`` (None: for ever), each ping at its instant.

        The one scheduler of a session: the next instant (a due ping, or ``target``) is
        decided first and the clock reaches it (the wall waits as the speed says). On a
        stepped clock every event sent so far is answered before time moves on, as if the
        network took no simulated time, so a backend that follows our clock sees each
        event at its instant.
        """
        clock = self.clock
        while keep_going():
            if not clock.flowing:
                await self.settle()
            due = self.player.next_ping_at()
            held = self.chaos.next_due() if self.chaos is not None else None
            moment = math.inf  # the earliest of them (a loop: this runs for every ping)
            for instant in (due, target, held):
                if instant is not None and instant < moment:
                    moment = instant
            before = clock.now()
            if not await clock.reach(moment):
                continue  # interrupted: an event or a warp may have moved the next instant
            if self.server_clock is not None and not clock.flowing and clock.now() > before:
                await self.server_clock(clock.now() - before)
            self.tick()
            if self.chaos is not None:
                self.chaos.release_due()  # what chaos held until now goes out now
            if target is not None and clock.now() >= target:
                if not clock.flowing:
                    await self.settle()
                return

    async def wait(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass, sending due pings on the way."""
        await self.run_until(self.clock.now() + seconds)

    async def settle(self) -> None:
        """Wait until every event sent so far has its answer (or is recorded as unsent)."""
        while waiting := self._pending | (self.chaos.pending if self.chaos else set()):
            await asyncio.gather(*waiting)

    async def run_pings(self) -> None:
        """The window's live pinger: pings at their instants until cancelled.

        It steps aside while a script (a replay, a warp) drives time.
        """
        while True:
            await self._free.wait()
            await self.run_until(None, keep_going=lambda: not self._scripts)

    @asynccontextmanager
    async def scripted(self, speed: float | None) -> AsyncIterator[None]:
        """Let a script drive time: the clock is stepped at ``speed`` and the pinger waits.

        The clock's speed and mode come back afterwards; time carries on from where the
        script left it.
        """
        clock = self.clock
        speed_before, flowing_before = clock.speed, clock.flowing
        self._scripts += 1
        self._free.clear()
        clock.set_flowing(False)
        clock.set_speed(speed)
        clock.interrupt()
        try:
            yield
        finally:
            self._scripts -= 1
            clock.set_speed(speed_before)
            clock.set_flowing(flowing_before)
            if not self._scripts:
                self._free.set()
            clock.interrupt()

    async def warp(self, seconds: float, *, as_player: bool = False) -> None:
        """Jump ``seconds`` ahead: idle (nothing sent) or ``as_player`` would (its pings).

        Idle, the player goes silent, as a frozen app would, and wakes at the landing: with
        auto pings on, it pings there at once (so the backend's answer, a 410 after ten
        minutes, shows in one step) and its grid goes on from there. As a player, every
        ping on the way is sent at its instant, at full speed, with the playhead moving only
        if content is playing.
        """
        if seconds <= 0:
            return
        async with self._warping:
            if as_player:
                async with self.scripted(None):
                    await self.run_until(self.clock.now() + seconds)
            else:
                self.clock.advance(seconds)
                self.player.skip_pings_until(self.clock.now())
                if self.player.next_ping_at() is not None:
                    await self._send("ping", None, None, None)
        self.changed.emit()

    # -- internals ----------------------------------------------------------------------

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
        if event_type != "ping":
            self.clock.interrupt()  # the pinger's next instant may have moved
        if event_type == "sessionStart":
            future = self.channel.start(payload, findings)
        else:
            future = self.channel.submit(payload, findings)
        self._announce()
        self.changed.emit()
        self._wait_for((future,))
        return future

    def _wait_for(self, futures: Iterable[asyncio.Future[Any]]) -> None:
        """Let :meth:`settle` wait for ``futures`` too."""
        for future in futures:
            self._pending.add(future)
            future.add_done_callback(self._pending.discard)

    def _open_channel(self) -> None:
        self.channel = self.client.open_channel()
        self.channel.chaos = self.chaos
        self._channels[self.channel.number] = self.channel

    def _on_exchange(self, exchange: Exchange) -> None:
        if exchange.channel not in self._channels:
            return
        if self.keep:
            self.store.record(exchange)
        if exchange.channel != self.channel.number:
            return
        if exchange.state is not ExchangeState.DONE:
            if self._announce():  # a start that got no answer: no sid will come
                self.changed.emit()
            return
        if exchange.ok and exchange.sid:  # a 201 counts once: when its sid is known
            if exchange.event_type == "sessionEnd":  # the lane marks it only after observers
                self.channel.ended = True
            body = exchange.body_json() if self.keep else None
            if isinstance(body, dict):
                self.report.add(body)
            self._announce()
            self.changed.emit()
        elif exchange.status in (404, 410) and not self.channel.ended:
            self.player.close()
            self.advisor.session_gone(exchange.status)
            self._announce()
            self.gone.emit(exchange.status)
            self.changed.emit()
        elif self._announce():  # a failed start: no sid will come
            self.changed.emit()

    def _announce(self) -> bool:
        """Emit ``state_changed`` if the session's state moved; True when it did."""
        state = _STATES.get(self.channel.state, SessionState.NONE)
        if self.channel.ended:
            state = SessionState.ENDED
        if state is self._state:
            return False
        self._state = state
        self.state_changed.emit(state)
        return True

    async def aclose(self) -> None:
        """Stop observing the client (the client is closed by its owner)."""
        if self.chaos is not None:
            self.chaos.abandon()
        self.client.exchanged.disconnect(self._on_exchange)
