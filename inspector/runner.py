"""Headless runs: one scenario on one session, or N simulated viewers at once.

The runner is a thin driver of :class:`~inspector.session.Session` and
:class:`~inspector.scenarios.playback.Playback` (the path the window's replays take too);
the CLI and the tests call it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Callable

import httpx

from .client import MediaCollectionClient
from .clock import Clock, SessionClock
from .profile import Profile
from .protocol.schemas import BodyValidator
from .runstore import ExchangeSink
from .scenarios.model import Scenario
from .scenarios.outcome import ExpectationResult, ScenarioOutcome
from .scenarios.playback import UNSET, Playback, start_time
from .load.engine import SessionHook, SharedTransport, ViewerEngine
from .server import EmbeddedServer
from .session import Session

__all__ = ["start_time", "run_scenario", "run_players", "Progress", "SharedTransport",
           "embedded_session", "UNSET"]

Progress = Callable[[str], None]
Follow = Callable[[Clock], None]  # makes an in-process backend follow a session's clock


@asynccontextmanager
async def embedded_session(speed: float | None = 60.0,
                           profile: Profile | None = None) -> AsyncIterator[Session]:
    """A Session against a freshly started embedded backend, at ``speed`` (None: max).

    The session's clock is stepped (time moves only through ``wait``), so a script sends
    the same bodies at every speed; the backend follows it. Both are closed when the block
    ends.
    """
    clock = SessionClock(speed, flowing=False)
    server = EmbeddedServer(clock=clock)
    client = MediaCollectionClient(await server.astart())
    try:
        yield Session(client, clock=clock, profile=profile)
    finally:
        await client.aclose()
        await server.astop()


async def run_scenario(scenario: Scenario, base_url: str, *, speed: object = UNSET,
                       recorder: ExchangeSink | None = None,
                       transport: httpx.AsyncBaseTransport | None = None,
                       progress: Progress | None = None,
                       follow: Follow | None = None,
                       schemas: BodyValidator | None = None, dialect: str = "classic",
                       config_id: str | None = None) -> ScenarioOutcome:
    """Run one scenario on a fresh session; never raises for server or network trouble.

    ``follow``, given for the embedded backend in this process, makes it keep our time;
    ``schemas`` judges the bodies instead of our catalogue (a target's, ``--schemas``).
    ``dialect``/``config_id``: the wire format (spec §9); scenarios are dialect-neutral.
    """
    client = MediaCollectionClient(base_url, transport=transport, retries=0, dialect=dialect,
                                   config_id=config_id)
    if recorder is not None:
        recorder.observe_exchanges(client.exchanged)
    session = Session(client, clock=SessionClock(None, flowing=False), profile=Profile())
    session.use_schemas(schemas)
    if follow is not None:
        follow(session.clock)
    # Another process's backend (`serve`) can only have its clock pushed through HTTP.
    playback = Playback(scenario, session, speed=speed, server_follows=follow is not None,
                        remote_clock=client.advance_server_clock)
    if progress is not None:
        total = len(scenario.steps)
        playback.replayer.stepped.connect(lambda i: progress(
            f"{scenario.name}: step {i + 1}/{total} at {scenario.steps[i].at:g}s"))
    try:
        return await playback.run()
    finally:
        await client.aclose()


async def run_players(scenario: Scenario, base_url: str, players: int, *,
                      speed: object = UNSET, progress: Progress | None = None,
                      follow: Follow | None = None,
                      recorder: ExchangeSink | None = None,
                      on_session: SessionHook | None = None, dialect: str = "classic",
                      config_id: str | None = None) -> ScenarioOutcome:
    """``players`` viewers of ``scenario`` at once on this loop, each with its own session.

    They share the load engine (:class:`~inspector.load.engine.ViewerEngine`): one
    connection pool and one schedule. The outcome holds every exchange; its expectations
    hold only if they held for each. They all run the same schedule, so an embedded backend
    follows the first one's clock. ``on_session(number, session)`` sees each player's
    session before it sends anything; ``recorder`` observes every player's client (each
    its own source in one run).
    """
    began = time.perf_counter()

    def hook(number: int, session: Session) -> None:
        if recorder is not None:
            recorder.observe_exchanges(session.client.exchanged)
        if on_session is not None:
            on_session(number, session)

    async with ViewerEngine(base_url, cadence=False, speed=speed, max_connections=None,
                            follow=follow, dialect=dialect, config_id=config_id) as engine:
        outcomes = await engine.run(scenario, players, on_session=hook)
    failed = [(i, r) for i, o in enumerate(outcomes) for r in o.expectations if not r.ok]
    expectations = [ExpectationResult(f"all {players} players meet every expectation",
                                      not failed, "; ".join(
                                          f"player {i + 1}: {r.description}"
                                          for i, r in failed[:5]))]
    errors = [o.error for o in outcomes if o.error]
    if progress is not None:
        progress(f"{scenario.name}: {players} players done")
    merged = ScenarioOutcome(f"{scenario.name} x{players}", scenario.source,
                             time.perf_counter() - began, expectations,
                             [e for o in outcomes for e in o.exchanges], None,
                             errors[0] if errors else None, players)
    merged.latencies_ms = [ms for o in outcomes for ms in o.latencies_ms]
    return merged
