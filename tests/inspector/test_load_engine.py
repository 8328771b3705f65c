"""The load engine: one schedule for every viewer, shared players, shed pings, the health table.

Real parts: the embedded backend or a small aiohttp server on 127.0.0.1. Nothing here waits
on the wall clock to assert: the tests wait on futures and events, and count.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web

from inspector.exchange import ErrorKind, Exchange, ExchangeState
from inspector.findings import Finding, Severity
from inspector.load.engine import ViewerEngine
from inspector.load.health import CANCELLED, Judge
from inspector.load.schedule import Schedule
from inspector.load.viewer import Viewer
from inspector.runner import run_players
from inspector.scenarios.loader import load_scenario
from inspector.scenarios.library import resolve
from inspector.server import EmbeddedServer
from inspector.session import Session
from tests.inspector._stand_in import stand_in

AD_PINGS = """\
name: ad-pings
description: an ad opens at once, so pings are due every second (spec §6.1)
media: {media.id: ad-pings, media.length: 600, media.contentType: vod}
steps:
  - {at: 0, do: sessionStart}
  - {at: 0, do: adBreakStart}
  - {at: 0, do: adStart}
  - {at: 3.5, do: wait}
"""


async def test_schedule_wakes_each_nap_in_deadline_order_with_one_timer() -> None:
    loop = asyncio.get_running_loop()
    schedule = Schedule(loop)
    woken: list[str] = []
    naps = {name: loop.create_future() for name in ("late", "soon", "now", "poked")}
    for name, fut in naps.items():
        fut.add_done_callback(lambda _, n=name: woken.append(n))
    schedule.wake(0.03, naps["late"])
    schedule.wake(0.02, naps["soon"])
    schedule.wake(0.0, naps["now"])
    schedule.wake(0.01, naps["poked"])
    naps["poked"].set_result(None)  # a clock change woke it first: the schedule skips it
    await asyncio.gather(*naps.values())
    assert woken == ["poked", "now", "soon", "late"]
    assert schedule.fired == 3 and len(schedule) == 0


class _HandLoop:
    """The two things a Schedule asks of its loop, with time moved by hand."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.now, self.armed, self._loop = 100.0, [], loop

    def time(self) -> float:
        return self.now

    def create_future(self) -> asyncio.Future[None]:
        return self._loop.create_future()

    def call_at(self, when: float, callback: object) -> asyncio.TimerHandle:
        handle = asyncio.TimerHandle(when, callback, (), self._loop)  # type: ignore[arg-type]
        self.armed.append(handle)
        return handle

    def fire(self) -> None:
        """Move time to the armed timer that is due first, and run it."""
        handle = min((h for h in self.armed if not h.cancelled()), key=lambda h: h.when())
        self.armed.remove(handle)
        self.now = handle.when()
        handle._run()


async def test_a_slotted_schedule_wakes_naps_due_in_one_slot_together_and_none_early(
        ) -> None:
    hand = _HandLoop(asyncio.get_running_loop())
    schedule = Schedule(hand, slot=0.01)  # type: ignore[arg-type]
    naps = [hand.create_future() for _ in range(4)]
    for nap, delay in zip(naps, (0.0012, 0.0055, 0.0089, 0.0131), strict=True):
        schedule.wake(delay, nap)  # deadlines 100.0012, 100.0055, 100.0089 and 100.0131
    assert [h.when() for h in hand.armed if not h.cancelled()] == [100.01]  # one timer
    hand.fire()
    assert [n.done() for n in naps] == [True, True, True, False]
    assert schedule.worst_lag > 0.008 and schedule.fired == 3  # the first waited 8.8 ms
    hand.armed[-1]._when = 100.0125  # a timer run before the last deadline wakes nothing
    hand.fire()
    assert not naps[3].done()
    hand.fire()
    assert naps[3].done() and hand.now == 100.02 and schedule.fired == 4


async def test_players_share_one_engine_and_each_session_is_reachable() -> None:
    scenario = load_scenario(resolve("error-recovery"))
    seen: dict[int, Session] = {}
    with EmbeddedServer() as server:
        outcome = await run_players(scenario, server.base_url, 3, speed=None,
                                    follow=server.follow,
                                    on_session=lambda n, s: seen.setdefault(n, s))
    assert outcome.ok, [str(e) for e in outcome.expectations]
    assert sorted(seen) == [1, 2, 3]
    assert {s.sid for s in seen.values()} == {e.sid for e in outcome.exchanges}
    assert sum(len(s.store) for s in seen.values()) >= len(outcome.exchanges)


async def test_a_ping_due_while_the_last_is_unanswered_is_shed_and_counted(
        tmp_path: Path) -> None:
    """A backend that holds the first ping: the pings due meanwhile are shed, not queued."""
    release = asyncio.Event()
    held = asyncio.Event()

    async def start(_: web.Request) -> web.Response:
        return web.Response(status=201, headers={"Location": "/api/v1/sessions/" + "a" * 32})

    async def event(request: web.Request) -> web.Response:
        if (await request.json())["eventType"] == "ping":
            held.set()
            await release.wait()
        return web.Response(status=204)

    path = tmp_path / "ad-pings.yaml"
    path.write_text(AD_PINGS)
    shed_twice = asyncio.Event()
    finished: list[Exchange] = []
    sessions: list[Session] = []
    async with stand_in(start, event) as url, ViewerEngine(url) as engine:
        engine.exchanged = lambda viewer, exchange, verdict: finished.append(exchange)

        def watch(number: int, session: Session) -> None:
            sessions.append(session)
            gate = session.ping_gate
            assert gate is not None

            def counting(due: float) -> bool:
                allowed = gate(due)
                if engine.health.rows[number].shed_pings == 2:
                    shed_twice.set()
                return allowed
            session.ping_gate = counting

        task = engine.spawn(load_scenario(path), on_session=watch)
        await asyncio.wait_for(held.wait(), 60)
        await asyncio.wait_for(shed_twice.wait(), 60)  # pings at 2 s and 3 s
        release.set()
        outcome = await asyncio.wait_for(task, 60)
    row = engine.health.rows[1]
    sent = [e.event_type for e in finished if e.state is ExchangeState.DONE]
    assert sent == ["sessionStart", "adBreakStart", "adStart", "ping"] and row.shed_pings == 2
    assert engine.health.totals()["pings"] == 1 and row.state == "done"
    assert row.statuses == {"201": 1, "204": 3} and row.errors == 0
    # At real cadence the health table is the record: the session keeps no log of its own
    # (a soak run's memory stays flat), and its outcome judges nothing.
    assert len(sessions[0].store) == 0 and outcome.exchanges == []
    assert outcome.expectations == [] and outcome.error is None


def _answered(event_type: str, status: int, *codes: str) -> Exchange:
    exchange = Exchange(seq=1, method="POST", url="", event_type=event_type,
                        request_body=b"{}", state=ExchangeState.DONE, status=status)
    exchange.findings = [Finding(c, Severity.WARNING, "") for c in codes]
    return exchange


async def test_a_viewer_counts_each_finished_call_once_and_remembers_only_the_newest(
        ) -> None:
    scenario = load_scenario(resolve("error-recovery"))
    async with ViewerEngine("http://127.0.0.1:9") as engine:  # nothing is sent
        viewer = Viewer(1, scenario, engine, engine.health.row(1, scenario.name),
                        Judge(scenario))
        for seq in range(1, 1001):
            answered = _answered("ping", 204)
            answered.seq = seq
            viewer._observe(answered)
            viewer._observe(answered)  # announced again (a start is, with its sid)
    assert engine.health.rows[1].sent == 1000
    assert len(viewer._finished) <= 64  # a soak run's memory stays flat


def test_the_judge_accepts_what_the_scenario_expects_and_nothing_else() -> None:
    outside = load_scenario(resolve("ad-outside-break"))  # asks for AD_OUTSIDE_BREAK
    recovery = load_scenario(resolve("error-recovery"))  # statuses: 201/204 only
    assert Judge(outside).judge(_answered("adStart", 204, "AD_OUTSIDE_BREAK")).failure is None
    assert Judge(outside).judge(_answered("adStart", 204, "AD_OUTSIDE_BREAK")).findings == ()
    verdict = Judge(recovery).judge(_answered("play", 410, "AD_OUTSIDE_BREAK"))
    assert verdict.unexpected_status and verdict.findings == ("AD_OUTSIDE_BREAK",)
    assert verdict.failure == "unexpected status 410 for play"


def test_a_status_a_step_expects_is_accepted_for_its_event_type() -> None:
    after_end = Judge(load_scenario(resolve("events-after-session-end")))
    assert not after_end.judge(_answered("sessionEnd", 410)).unexpected_status  # step at 18 s
    assert after_end.judge(_answered("sessionEnd", 400)).unexpected_status


def test_the_judge_remembers_verdicts_by_all_that_decides_them() -> None:
    judge = Judge(load_scenario(resolve("events-after-session-end")))
    for _ in range(2):  # the second pass is answered from what the judge remembers
        assert not judge.judge(_answered("sessionEnd", 410)).unexpected_status
        assert judge.judge(_answered("sessionStart", 410)).unexpected_status  # 2xx only
        assert judge.judge(_answered("sessionEnd", 410, "PING_LATE")).findings == ("PING_LATE",)
        assert judge.judge(_answered("sessionEnd", 410)).findings == ()
        edge = _answered("sessionStart", 200)
        assert judge.judge(edge).unexpected_status is False  # 2xx: accepted either way
        edge.dialect = "edge"
        assert judge.judge(edge).status == "200"


def test_a_call_cut_short_by_the_stop_is_no_failure_but_a_refused_one_is() -> None:
    judge = Judge(load_scenario(resolve("error-recovery")))
    stopped = Exchange(seq=1, method="POST", url="", event_type="pauseStart",
                       request_body=b"{}", state=ExchangeState.FAILED,
                       error_kind=ErrorKind.CANCELLED, error="cancelled: the client was closed")
    verdict = judge.judge(stopped)
    assert verdict.failure is None and verdict.status == CANCELLED
    refused = Exchange(seq=2, method="POST", url="", event_type="play", request_body=b"{}",
                       state=ExchangeState.FAILED, error_kind=ErrorKind.CONNECT,
                       error="cannot connect")
    assert judge.judge(refused).failure == "cannot connect"
