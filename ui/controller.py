"""The window's driver: owns the client, the session, the clock and the tasks.

It adapts the core (plain-Python signals) to Qt signals, coalescing bursts, and holds every
task it starts. No protocol logic lives here: it calls the session's methods.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from inspector.autosave import AutoSaver
from inspector.client import MediaCollectionClient
from inspector.clock import Clock, SessionClock
from inspector.exchange import Exchange
from inspector.player import PingOptions, PlayerState
from inspector.profile import Profile
from inspector.protocol.schemas import BodyValidator
from inspector.runstore import RunStore
from inspector.scenarios.model import Scenario
from inspector.scenarios.playback import Playback
from inspector.session import BodyError, Session, SessionState
from inspector.store import ExchangeStore

from .abandon import Abandon
from .tasks import TaskHolder

__all__ = ["Controller"]


def _on_answer(future: asyncio.Future[Exchange],
               answered: Callable[[Exchange], None] | None) -> None:
    """Call ``answered`` with the exchange once ``future`` has one (failures: the tasks')."""
    if answered is not None:
        future.add_done_callback(
            lambda f: answered(f.result()) if not f.cancelled() and f.exception() is None
            else None)


class Controller(QObject):
    """Drives one :class:`Session`; ``session_replaced`` when the target changes."""

    changed = Signal()  # player, sid or report changed (coalesced)
    gone = Signal(int)  # the server answered 404/410 for the current session
    session_replaced = Signal()
    task_failed = Signal(str, str)  # task name, message
    runs_changed = Signal()  # a run was finished in the run store
    autosave_failed = Signal(str)
    session_state = Signal(str)  # a SessionState's value, the moment it changes (not coalesced)

    def __init__(self, profile: Profile, embedded_url: str | None = None,
                 store: ExchangeStore | None = None, parent: QObject | None = None,
                 runs: RunStore | None = None,
                 follow: Callable[[Clock], None] | None = None) -> None:
        """``follow`` makes the embedded backend keep this window's session clock."""
        super().__init__(parent)
        self.embedded_url = embedded_url
        self.store = store if store is not None else ExchangeStore()
        self.runs = runs
        self.autosave = AutoSaver(runs, self.autosave_failed.emit) if runs is not None else None
        self.clock = SessionClock(1.0)  # the window's one clock: flowing, at the chosen speed
        self.backend_follows = follow is not None  # the embedded backend keeps our time
        if follow is not None:
            follow(self.clock)
        self.pings = PingOptions()
        # One numbering for the window's log: `#` and session numbers never repeat, across
        # targets and replays.
        self._numbering = (itertools.count(1), itertools.count(1))
        self.tasks = TaskHolder(on_error=lambda n, e: self.task_failed.emit(n, str(e)))
        self._changed_timer = QTimer(self, singleShot=True, interval=50)
        self._changed_timer.timeout.connect(self.changed.emit)
        # Asked before a running session is left behind; the window puts up a dialog.
        self.ask_abandon: Callable[[str, str | None], Abandon] = lambda _doing, _sid: Abandon.LEAVE
        self.profile = profile
        self.client, self.session = self._build(profile)
        self._next_run(f"live · {profile.name}")

    # -- target -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.profile.base_url or self.embedded_url or ""

    @property
    def uses_embedded(self) -> bool:
        return not self.profile.base_url and self.embedded_url is not None

    def _build(self, profile: Profile) -> tuple[MediaCollectionClient, Session]:
        client = MediaCollectionClient(profile.base_url or self.embedded_url or "",
                                       verify=profile.verify_tls, timeout=profile.timeout,
                                       numbering=self._numbering,
                                       **profile.client_options())  # dialect, configId (§9)
        session = Session(client, clock=self.clock, profile=profile, pings=self.pings,
                          store=self.store)
        session.changed.connect(self._on_changed)
        session.gone.connect(self.gone.emit)
        session.state_changed.connect(self._on_state)
        if self.autosave is not None:
            self.autosave.observe(client.exchanged)
        self._pinger = self.tasks.start("auto-pings", session.run_pings())
        return client, session

    def is_running(self) -> bool:
        """A session is open on the backend (or about to be): leaving it needs a word."""
        return (self.session.state in (SessionState.STARTING, SessionState.ACTIVE)
                and self.session.player.state is not PlayerState.CLOSED)  # sessionEnd sent

    def may_leave_session(self, doing: str) -> bool:
        """True when what the user asked for may go ahead (ending the session first if asked)."""
        if not self.is_running():
            return True
        choice = self.ask_abandon(doing, self.session.sid)
        if choice is Abandon.END:
            self.tasks.watch("sessionEnd", self.session.send("sessionEnd"))
        return choice is not Abandon.CANCEL

    def switch_profile(self, profile: Profile) -> None:
        """Target another endpoint: a new client and session; the log is kept."""
        old_client, old_session, old_pinger = self.client, self.session, self._pinger
        old_pinger.cancel()
        old_session.changed.disconnect(self._on_changed)
        old_session.gone.disconnect(self.gone.emit)
        old_session.state_changed.disconnect(self._on_state)
        self.profile = profile
        self._next_run(f"live · {profile.name}")  # the old session's report closes its run
        self.client, self.session = self._build(profile)
        self.tasks.start("close-previous-client", self._close(old_session, old_client))
        self.session_replaced.emit()
        self.changed.emit()

    @staticmethod
    async def _close(session: Session, client: MediaCollectionClient) -> None:
        await session.aclose()
        await client.aclose()

    def _on_state(self, state: SessionState) -> None:
        self.session_state.emit(state.value)

    def _on_changed(self) -> None:
        if not self._changed_timer.isActive():
            self._changed_timer.start()

    # -- run store ----------------------------------------------------------------------

    def _next_run(self, name: str) -> None:
        if self.autosave is None:
            return
        had_run = self.autosave.run is not None
        session = getattr(self, "session", None)
        report = session.report.to_dict() if session is not None else None
        self.autosave.next_run(name, {"url": self.base_url}, report)
        if had_run:
            self.runs_changed.emit()

    def begin_run(self, name: str) -> None:
        """End the current run in the run store; what is sent next is saved as ``name``."""
        self._next_run(name)

    # -- actions ------------------------------------------------------------------------

    def start_session(self, resume: bool = False) -> None:
        if not self.may_leave_session("start a new one"):
            return
        self._next_run(f"session · {self.profile.name}")
        self.tasks.watch("sessionStart", self.session.start(resume=resume))

    def new_session(self, resume: bool = False) -> None:
        if not self.may_leave_session("start a new one"):
            return
        self._next_run(f"session · {self.profile.name}")
        self.tasks.watch("new-session", self.session.new_session(resume=resume))

    def send_event(self, event_type: str, params: Mapping[str, Any] | None = None,
                   qoe: Mapping[str, Any] | None = None,
                   custom_metadata: Mapping[str, Any] | None = None,
                   defaults: bool = True,
                   answered: Callable[[Exchange], None] | None = None) -> None:
        """Send one event (sessionStart included) with the player's defaults under params;
        ``answered(exchange)`` once it is answered (the composer's 400 explainer)."""
        if event_type == "sessionStart":
            self._next_run(f"session · {self.profile.name}")
            future = self.session.start(params, custom_metadata)
        else:
            future = self.session.send(event_type, params, qoe, custom_metadata,
                                       defaults=defaults)
        self.tasks.watch(event_type, future)
        _on_answer(future, answered)

    def send_raw(self, text: str,
                 answered: Callable[[Exchange], None] | None = None) -> str | None:
        """Send an edited body as is; the error message when it is not JSON (nothing sent)."""
        try:
            future = self.session.send_body(text)
        except BodyError as exc:
            return str(exc)
        self.tasks.watch("raw-body", future)
        _on_answer(future, answered)
        return None

    def resend(self, exchange: Exchange) -> None:
        self.tasks.watch(f"resend #{exchange.seq}", self.session.resend(exchange))

    def send_unsent(self) -> None:
        for future in self.session.send_unsent_on_new_session():
            self.tasks.watch("unsent", future)

    def discard_unsent(self) -> None:
        self.session.discard_unsent()

    def use_schemas(self, validator: BodyValidator | None) -> None:
        """Judge this session's bodies by ``validator`` (the target's schemas after a sync);
        None: by ours. A new target starts with ours again."""
        self.session.use_schemas(validator)

    def preview(self, event_type: str) -> dict[str, Any]:
        return self.session.preview(event_type)

    def seek(self, to: float) -> None:
        self.session.seek(to)

    def set_speed(self, speed: float) -> None:
        self.clock.set_speed(speed)

    def set_auto_ping(self, on: bool) -> None:
        self.session.set_auto_pings(on)

    def warp(self, seconds: float, as_player: bool = False) -> None:
        """Jump the session ``seconds`` ahead (the embedded backend's clock moves with it)."""
        self.tasks.start("time warp", self.session.warp(seconds, as_player=as_player))

    @property
    def clock_is_shared(self) -> bool:
        """True when the target keeps our simulated time (the embedded backend follows it)."""
        return self.uses_embedded and self.backend_follows

    def playback(self, scenario: Scenario, speed: float | None) -> Playback:
        """A replay of ``scenario`` on the current session: the same path as ``run``."""
        return Playback(scenario, self.session, speed=speed,
                        server_follows=self.clock_is_shared)

    # -- embedded backend extras --------------------------------------------------------

    async def fetch_server_report(self, sid: str) -> dict[str, Any] | str:
        """The embedded backend's report for ``sid``, or a message saying why there is none."""
        if not self.uses_embedded:
            return "The server's report is only available from the embedded backend."
        return await self.client.server_report(sid)

    async def aclose(self) -> None:
        """Stop pings and pending work, close the client."""
        self._changed_timer.stop()
        await self.tasks.cancel_all()  # pings first, so nothing is sent on a closed client
        await self.session.aclose()
        await self.client.aclose()
        if self.autosave is not None:
            self.autosave.finish(self.session.report.to_dict())
            self.autosave.store.close()
