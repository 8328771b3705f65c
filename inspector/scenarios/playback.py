"""Playing a scenario on a session: one path for the window and for headless runs.

Set-up (pings, speed, start), the session clock, the backend's clock and the judging of
expectations all happen here, so a replay in the window and ``media-inspector run`` behave
the same way for every option.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from .. import chaos
from ..chaos.effects import report_of
from ..exchange import Exchange
from ..player import PingOptions
from ..session import ServerClockHook, Session
from .expect import evaluate
from .model import Scenario
from .outcome import ScenarioOutcome
from .replay import Replayer

__all__ = ["Playback", "start_time", "UNSET"]

UNSET: object = object()  # "the scenario's own speed option"


def start_time(spec: str | None, now: float | None = None) -> float:
    """Epoch seconds for ``options.start``: ISO-8601, or HH:MM:SS = its latest past time."""
    now = time.time() if now is None else now
    if not spec:
        return now
    if len(spec) <= 8 and spec.count(":") in (1, 2):
        parts = [int(p) for p in spec.split(":")] + [0]
        today = datetime.fromtimestamp(now, UTC).replace(
            hour=parts[0], minute=parts[1], second=parts[2], microsecond=0)
        moment = today if today.timestamp() <= now else today - timedelta(days=1)
        return moment.timestamp()
    parsed = datetime.fromisoformat(spec.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


class Playback:
    """One run of ``scenario`` on ``session``; :attr:`replayer` pauses and stops it.

    ``speed`` overrides the scenario's option (UNSET: keep it; None: max). The backend's
    clock: when ``server_follows`` (the embedded backend follows this session's clock) the
    scenario needs nothing more; otherwise a ``serverClock`` scenario moves it through
    ``remote_clock`` at max speed, and without one it is refused with a message.

    On a session that does not ``keep`` its exchanges (a load run's viewer) the outcome has
    none and judges no expectations: the run's health table judges each exchange instead.
    """

    def __init__(self, scenario: Scenario, session: Session, *, speed: object = UNSET,
                 server_follows: bool = False,
                 remote_clock: ServerClockHook | None = None) -> None:
        opts = scenario.options
        chosen = opts.speed if speed is UNSET else speed
        self.speed: float | None = float(chosen) if isinstance(chosen, (int, float)) else None
        self.scenario, self.session = scenario, session
        self.error: str | None = None
        self._remote = None
        if opts.server_clock and not server_follows:
            if remote_clock is None:
                self.error = (f"{scenario.name} moves the backend's clock (serverClock): run "
                              "it against the embedded backend or `media-inspector serve`")
            else:  # another process's clock can only be pushed, so time must jump
                self._remote, self.speed = remote_clock, None
        self.replayer = Replayer(scenario, session, speed=self.speed,
                                 start=start_time(opts.start) if opts.start else None)

    @property
    def steps(self) -> int:
        return len(self.scenario.steps)

    async def run(self) -> ScenarioOutcome:
        """Run it; never raises for server or network trouble (it becomes the outcome's error)."""
        session, opts = self.session, self.scenario.options
        began = time.perf_counter()
        exchanges: list[Exchange] = []
        seen = session.store.added
        collect = lambda row: exchanges.append(session.store[row])  # noqa: E731
        pings_before, hook_before = session.player.pings, session.server_clock
        chaos_before = session.chaos  # the window's panel may have its own plan on
        error = self.error
        if error is None:
            if session.keep:
                seen.connect(collect)
            session.set_pings(PingOptions(opts.auto_pings, opts.ping_interval,
                                          opts.ad_ping_interval))
            session.server_clock = self._remote
            plan = chaos.attach(session, self.scenario.chaos) if self.scenario.chaos else None
            try:
                await self.replayer.run()
                if plan is not None:
                    async with session.scripted(self.speed):
                        await chaos.deliver_held(session)
            except (RuntimeError, OSError) as exc:
                error = str(exc)
            finally:
                seen.disconnect(collect)
                session.set_pings(pings_before)
                session.server_clock = hook_before
        effects = await chaos.observe(session) if session.chaos is not None else None
        if self.scenario.chaos:
            session.set_chaos(chaos_before)
        # Under chaos the client's report follows the order answers came back in, which is
        # neither what the player meant nor what the server processed: judge the meant
        # session, and let the chaos section say what the server made of it.
        report = (report_of(effects.meant) if effects is not None
                  else session.report.to_dict())
        records = self.replayer.records
        judged = evaluate(self.scenario, records, exchanges, report) if session.keep else []
        outcome = ScenarioOutcome(self.scenario.name, self.scenario.source,
                                  time.perf_counter() - began, judged, exchanges, report, error)
        outcome.latencies_ms = [e.duration_ms for e in exchanges if e.duration_ms is not None]
        outcome.clock_ahead_s = session.clock.ahead()
        outcome.chaos = effects
        return outcome
