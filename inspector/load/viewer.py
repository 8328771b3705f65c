"""One simulated viewer on a shared loop: a session playing a scenario, and its health row.

At real cadence a viewer's clock flows with the wall at 1x (:class:`CadenceClock`): a step
or a ping that runs late is stamped and sent late, but the instants after it stay where
the scenario put them. (A stepped clock at 1x waits each gap from where it stood, so every
late answer would push the rest of the schedule later and lateness would pile up as drift.)
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Callable

from ..client import MediaCollectionClient
from ..clock import SessionClock, Timer
from ..exchange import Exchange, ExchangeState
from ..profile import Profile
from ..scenarios.model import Scenario
from ..scenarios.outcome import ScenarioOutcome
from ..scenarios.playback import Playback
from ..session import Session
from .health import Judge, ViewerHealth

if TYPE_CHECKING:
    from .engine import ViewerEngine

__all__ = ["CadenceClock", "Viewer"]

_FINAL = (ExchangeState.DONE, ExchangeState.FAILED, ExchangeState.UNSENT)
_RECENT = 64  # finished seqs a viewer remembers, so none is counted twice


class CadenceClock(SessionClock):
    """A viewer's clock at real cadence: it flows at 1x whatever a replay asks of it."""

    def __init__(self, timer: Timer | None = None) -> None:
        super().__init__(1.0, flowing=True, timer=timer)

    def set_speed(self, speed: float | None) -> None:
        """Real cadence: the speed stays 1x (a replay's own speed option is ignored)."""

    def set_flowing(self, flowing: bool) -> None:
        """Real cadence: time keeps flowing with the wall while a replay drives it."""


class Viewer:
    """``scenario`` played once on a fresh session of ``engine``; :attr:`session` is public."""

    def __init__(self, number: int, scenario: Scenario, engine: ViewerEngine,
                 row: ViewerHealth, judge: Judge) -> None:
        self.number, self.scenario, self.engine, self.row = number, scenario, engine, row
        self._judge = judge
        self.client = MediaCollectionClient(engine.base_url,
                                            transport=engine.pools.for_viewer(number),
                                            retries=0, dialect=engine.dialect,
                                            config_id=engine.config_id)
        clock = (CadenceClock(engine.schedule) if engine.cadence
                 else SessionClock(None, flowing=False, timer=engine.schedule))
        # At real cadence (a load run) the health table is the record: the session keeps
        # no log of its own, so memory stays flat however long the run (see Session).
        self.session = Session(self.client, clock=clock, profile=Profile(),
                               keep=not engine.cadence)
        self._offset = 0.0  # wall minus simulated time at the start (real cadence)
        self._pings_out = 0
        # The newest finished seqs: a sessionStart is announced twice, the second time with
        # its sid, right after the first (a bounded window, so a soak run's memory is flat).
        self._finished: dict[int, None] = {}
        if engine.cadence:
            self.session.ping_gate = self._gate
        self.client.exchanged.connect(self._observe)
        follows = engine.cadence or engine.follow is not None
        self.playback = Playback(scenario, self.session,
                                 speed=1.0 if engine.cadence else engine.speed,
                                 server_follows=follows,
                                 remote_clock=self.client.advance_server_clock)
        self.playback.replayer.began.connect(self._began)

    async def run(self, on_done: Callable[[Viewer], object] | None = None) -> ScenarioOutcome:
        """Play the scenario once; the row says ``done``, ``failed`` or ``stopped`` after."""
        self.row.state, self.row.runs = "running", self.row.runs + 1
        try:
            outcome = await self.playback.run()
            self.row.state = "done" if outcome.ok or self.engine.cadence else "failed"
            if outcome.error:
                self.row.state = "failed"
            return outcome
        except asyncio.CancelledError:
            self.row.state = "stopped"
            raise
        finally:
            await self.client.aclose()
            self.client.exchanged.disconnect(self._observe)
            if on_done is not None:
                on_done(self)

    # -- health -------------------------------------------------------------------------

    def _began(self) -> None:
        self._offset = -self.session.clock.ahead()

    def _gate(self, due: float) -> bool:
        """Send the ping due at ``due``? Not while the last is unanswered, nor hopelessly late."""
        late = time.time() - (due + self._offset)
        if self._pings_out or late > self.engine.shed_after:
            self.row.shed_pings += 1
            return False
        self._pings_out += 1
        return True

    def _observe(self, exchange: Exchange) -> None:
        if exchange.state is ExchangeState.SENDING:
            if (exchange.event_type == "ping" and self.engine.cadence
                    and exchange.ts is not None and exchange.started_at is not None):
                late_ms = (exchange.started_at - exchange.ts / 1000 - self._offset) * 1000
                self.engine.health.ping_on_wire(self.row, max(late_ms, 0.0))
            return
        if exchange.state not in _FINAL or exchange.seq in self._finished:
            return
        self._finished[exchange.seq] = None
        if len(self._finished) > _RECENT:
            del self._finished[next(iter(self._finished))]
        if exchange.event_type == "ping" and self._pings_out:
            self._pings_out -= 1
        verdict = self._judge.judge(exchange)
        self.engine.health.finished(self.row, verdict)
        self.engine.exchanged(self, exchange, verdict)
