"""Headless runs: one scenario on one session, or N simulated viewers at once.

The runner is a thin driver of :class:`~inspector.session.Session` and
:class:`~inspector.scenarios.replay.Replayer`; the CLI and the tests call it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, UTC
from typing import Callable

import httpx

from .client import MediaCollectionClient
from .clock import VirtualClock
from .player import PingOptions
from .profile import Profile
from .runstore import RunRecorder
from .scenarios.expect import evaluate
from .scenarios.model import Scenario
from .scenarios.outcome import ExpectationResult, ScenarioOutcome
from .scenarios.replay import Replayer
from .server import EmbeddedServer
from .session import Session

__all__ = ["start_time", "run_scenario", "run_players", "Progress", "SharedTransport",
           "embedded_session"]

Progress = Callable[[str], None]
UNSET = object()


@asynccontextmanager
async def embedded_session(speed: float | None = 60.0,
                           profile: Profile | None = None) -> AsyncIterator[Session]:
    """A Session against a freshly started embedded backend, at ``speed`` (None: max).

    The backend and the client are closed when the block ends.
    """
    server = EmbeddedServer()
    client = MediaCollectionClient(await server.astart())
    try:
        yield Session(client, clock=VirtualClock(speed=speed), profile=profile)
    finally:
        await client.aclose()
        await server.astop()


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


def _session(scenario: Scenario, client: MediaCollectionClient,
             speed: float | None | object) -> Session:
    opts = scenario.options
    chosen = opts.speed if speed is UNSET else speed
    clock = VirtualClock(speed=chosen if isinstance(chosen, (int, float)) else None,
                         start=start_time(opts.start))
    pings = PingOptions(enabled=opts.auto_pings, interval=opts.ping_interval,
                        ad_interval=opts.ad_ping_interval)
    return Session(client, clock=clock, profile=Profile(), pings=pings)


def _server_clock(base_url: str) -> Callable[[float], object]:
    http = httpx.AsyncClient(trust_env=False, timeout=10)

    async def advance(seconds: float) -> None:
        answer = await http.post(f"{base_url}/_inspector/clock", json={"advance": seconds})
        if answer.status_code != 200:
            raise RuntimeError(f"{base_url} has no clock control (/_inspector/clock answered "
                               f"{answer.status_code}); run this scenario against the "
                               "embedded backend (leave out --url)")
    advance.aclose = http.aclose  # type: ignore[attr-defined]
    return advance


async def run_scenario(scenario: Scenario, base_url: str, *, speed: object = UNSET,
                       recorder: RunRecorder | None = None,
                       transport: httpx.AsyncBaseTransport | None = None,
                       progress: Progress | None = None) -> ScenarioOutcome:
    """Run one scenario on a fresh session; never raises for server or network trouble."""
    client = MediaCollectionClient(base_url, transport=transport, retries=0)
    if recorder is not None:
        recorder.observe_exchanges(client.exchanged)
    session = _session(scenario, client, speed)
    hook = _server_clock(base_url) if scenario.options.server_clock else None
    replayer = Replayer(scenario, session, advance_server=hook)  # type: ignore[arg-type]
    if progress is not None:
        total = len(scenario.steps)
        replayer.stepped.connect(lambda i: progress(
            f"{scenario.name}: step {i + 1}/{total} at {scenario.steps[i].at:g}s"))
    began, error = time.perf_counter(), None
    try:
        records = await replayer.run()
    except (RuntimeError, httpx.HTTPError, OSError) as exc:
        records, error = replayer.records, str(exc)
    finally:
        await client.aclose()
        if hook is not None:
            await hook.aclose()  # type: ignore[attr-defined]
    exchanges = list(session.store)
    report = session.report.to_dict()
    outcome = ScenarioOutcome(scenario.name, scenario.source, time.perf_counter() - began,
                              evaluate(scenario, records, exchanges, report), exchanges,
                              report, error)
    outcome.latencies_ms = [e.duration_ms for e in exchanges if e.duration_ms is not None]
    return outcome


class SharedTransport(httpx.AsyncBaseTransport):
    """One connection pool for many clients; closing a client leaves the pool open."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Left to the owner of ``inner`` (closing it here would cut the other clients)."""


async def run_players(scenario: Scenario, base_url: str, players: int, *,
                      speed: object = UNSET, progress: Progress | None = None
                      ) -> ScenarioOutcome:
    """``players`` viewers of ``scenario`` at once on this loop, each with its own session.

    The outcome holds every exchange; its expectations hold only if they held for each.
    """
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=players)
    transport = httpx.AsyncHTTPTransport(limits=limits)
    shared = SharedTransport(transport)
    began = time.perf_counter()
    try:
        outcomes = await asyncio.gather(*(run_scenario(scenario, base_url, speed=speed,
                                                       transport=shared)
                                          for _ in range(players)))
    finally:
        await transport.aclose()
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
