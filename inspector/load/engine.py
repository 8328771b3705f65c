"""Many simulated viewers on one event loop: shared connection pools, one schedule, one table.

Every viewer is a :class:`~inspector.session.Session` playing a scenario through
:class:`~inspector.scenarios.playback.Playback`, the path ``run`` and the window take. What
the viewers share is what makes thousands fit in one process: HTTP connection pools (one
per small group of viewers, :class:`PoolSet`), one :class:`~.schedule.Schedule` for their
clocks' waits (a heap, not a timer per viewer, firing on a ``slot`` grid so wake-ups due
close together share one pass of the loop), and a bound on the work each may have
queued: one ping in flight per viewer, and a ping that could only go out more than
``shed_after`` seconds late is shed and counted, so lateness is reported instead of piling
up without end.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Callable, Sequence

import httpx

from ..clock import Clock
from ..exchange import Exchange
from ..http import PlainAnswer
from ..scenarios.model import Scenario
from ..scenarios.outcome import ScenarioOutcome
from ..scenarios.playback import UNSET
from ..session import Session
from .health import HealthTable, Judge, Verdict
from .schedule import Schedule
from .viewer import Viewer
from .wire import PlainHttpTransport

__all__ = ["ViewerEngine", "SharedTransport", "PoolSet", "ExchangeHook", "SessionHook", "SLOT"]

SLOT = 0.01  # seconds: the schedule's grid at real cadence (see .schedule)

ExchangeHook = Callable[[Viewer, Exchange, Verdict], object]
SessionHook = Callable[[int, Session], object]  # (viewer number, its session), before it sends


class SharedTransport(httpx.AsyncBaseTransport):
    """One connection pool for many clients; closing a client leaves the pool open."""

    def __init__(self, inner: PlainHttpTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)

    async def send_plain(self, url: httpx.URL, method: bytes,
                         headers: Sequence[tuple[bytes, bytes]], body: bytes,
                         connect_timeout: float | None) -> PlainAnswer | None:
        """The pool's :class:`~inspector.http.PlainWire` call."""
        return await self.inner.send_plain(url, method, headers, body, connect_timeout)

    async def aclose(self) -> None:
        """Left to the owner of ``inner`` (closing it here would cut the other clients)."""


class PoolSet:
    """Connection pools, each shared by a group of viewers.

    Each pool is a :class:`~.wire.PlainHttpTransport`: httpx's transport API on lean
    keep-alive connections for ``http://`` (the same request bytes and exchange records as
    the client's own aiohttp transport, for half its CPU per request), and that aiohttp
    transport for ``https://``. A pool per group of ``group`` viewers keeps any per-pool
    bookkeeping constant as the audience grows while the group still shares connections.
    """

    def __init__(self, group: int = 8, max_connections: int | None = None) -> None:
        self.group = group
        self._max = max_connections or 0  # aiohttp: 0 is no limit
        self._pools: dict[int, tuple[PlainHttpTransport, SharedTransport]] = {}

    def __len__(self) -> int:
        return len(self._pools)

    def for_viewer(self, number: int) -> SharedTransport:
        """The pool viewer ``number`` sends through (opened on first use)."""
        key = (number - 1) // self.group
        found = self._pools.get(key)
        if found is None:
            inner = PlainHttpTransport(max_connections=self._max)
            found = self._pools[key] = (inner, SharedTransport(inner))
        return found[1]

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for inner, _ in pools:
            await inner.aclose()


class ViewerEngine:
    """Hosts viewers of scenarios against ``base_url`` on the running loop.

    ``cadence`` (load runs): every viewer plays at real cadence, its pings gated as the
    module says. Otherwise (``run --players``) each plays at ``speed`` (UNSET: the
    scenario's option) on a stepped clock, exactly as ``run`` plays one, and ``follow``,
    given for an embedded backend in this process, makes it keep the first viewer's time.
    ``exchanged(viewer, exchange, verdict)`` fires for every finished exchange. ``slot``:
    the schedule's grid in seconds (:class:`~.schedule.Schedule`; 0: each wake-up on its
    own); it adds at most that much to a ping's lateness. By default 10 ms at real cadence
    and 0 otherwise (a stepped clock waits each gap from where it stood, so a slot there
    would add up as drift).
    """

    def __init__(self, base_url: str, *, cadence: bool = True, speed: object = UNSET,
                 late_ms: float = 100.0, shed_after: float = 10.0,
                 pool_group: int = 8, max_connections: int | None = 16, slot: float | None = None,
                 follow: Callable[[Clock], None] | None = None,
                 dialect: str = "classic", config_id: str | None = None) -> None:
        self.base_url, self.cadence, self.speed = base_url, cadence, speed
        self.dialect, self.config_id = dialect, config_id  # spec §9: each viewer's client
        self.shed_after, self.follow = shed_after, follow
        self.slot = (SLOT if cadence else 0.0) if slot is None else slot
        self.health = HealthTable(late_ms)
        self.exchanged: ExchangeHook = lambda viewer, exchange, verdict: None
        self.viewers: dict[int, Viewer] = {}  # the ones playing now, by number
        self.pools = PoolSet(pool_group, max_connections)
        self._schedule: Schedule | None = None
        self._tasks: set[asyncio.Task[ScenarioOutcome]] = set()
        self._judges: dict[int, Judge] = {}
        self._numbers = itertools.count(1)
        self._followed = False

    async def __aenter__(self) -> ViewerEngine:
        self._schedule = Schedule(slot=self.slot)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @property
    def schedule(self) -> Schedule:
        if self._schedule is None:
            raise RuntimeError("the engine is not open: use `async with ViewerEngine(...)`")
        return self._schedule

    def spawn(self, scenario: Scenario, number: int | None = None, *,
              on_session: SessionHook | None = None,
              on_done: Callable[[Viewer], object] | None = None
              ) -> asyncio.Task[ScenarioOutcome]:
        """Start one viewer of ``scenario`` (numbered, or the next number); returns its task.

        A number given again (a Locust user playing its scenario once more) adds to the
        same row of the health table.
        """
        number = next(self._numbers) if number is None else number
        judge = self._judges.setdefault(id(scenario), Judge(scenario))
        viewer = Viewer(number, scenario, self, self.health.row(number, scenario.name), judge)
        if self.follow is not None and not self._followed:
            self.follow(viewer.session.clock)  # all play one schedule: the first leads
            self._followed = True
        if on_session is not None:
            on_session(number, viewer.session)
        self.viewers[number] = viewer

        def ended(v: Viewer) -> None:
            if self.viewers.get(v.number) is v:
                del self.viewers[v.number]
            if on_done is not None:
                on_done(v)

        task = asyncio.create_task(viewer.run(ended), name=f"viewer-{number}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def run(self, scenario: Scenario, count: int, *,
                  on_session: SessionHook | None = None) -> list[ScenarioOutcome]:
        """``count`` viewers of ``scenario`` at once; their outcomes in viewer order."""
        tasks = [self.spawn(scenario, on_session=on_session) for _ in range(count)]
        return list(await asyncio.gather(*tasks))

    async def stop(self) -> None:
        """Stop every viewer now (what is on the wire is cut off, not counted)."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        await self.stop()
        await self.pools.aclose()
        if self._schedule is not None:
            self._schedule.close()
