"""Each chaos rule against the real embedded backend on 127.0.0.1, on a manual session clock.

What the server accepted (``/_inspector/sessions/{sid}``) is checked against what the player
meant; time moves only through the session's scheduler, never the wall.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from inspector import chaos
from inspector.chaos import Action, ChaosRule
from inspector.chaos.effects import report_of
from inspector.client import MediaCollectionClient
from inspector.clock import ManualClock
from inspector.exchange import ErrorKind, ExchangeState
from inspector.export.har import har_entry
from inspector.export.records import exchange_from_dict, exchange_to_dict
from inspector.server import EmbeddedServer
from inspector.session import Session, SessionState


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def server(clock: ManualClock) -> Iterator[EmbeddedServer]:
    embedded = EmbeddedServer(clock=clock)
    embedded.start()
    yield embedded
    embedded.stop()


@pytest.fixture
async def session(server: EmbeddedServer, clock: ManualClock) -> AsyncIterator[Session]:
    client = MediaCollectionClient(server.base_url, timeout=5, retries=0)
    yield Session(client, clock=clock)
    await client.aclose()


async def _seen(session: Session, sid: str | None = None) -> dict[str, Any]:
    detail = await session.client.server_report(sid or session.sid or "")
    assert isinstance(detail, dict), detail
    return detail


async def _sessions(server: EmbeddedServer) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        listed = (await http.get("/_inspector/sessions")).json()
    return list(listed["sessions"])


def _types(bodies: list[dict[str, Any]], pings: bool = False) -> list[str]:
    return [b["eventType"] for b in bodies if pings or b["eventType"] != "ping"]


def _meant(plan: chaos.ChaosPlan) -> list[dict[str, Any]]:
    return [e.body_json() for e in plan.meant]


async def _buffer_overtaken(session: Session, seconds: float) -> chaos.ChaosPlan:
    """play, a bufferStart delayed ``seconds``, play 2 s later (it overtakes), then on."""
    plan = chaos.attach(session, [ChaosRule(Action.DELAY, ("bufferStart",),
                                            seconds=seconds)])
    session.start()
    session.send("play")
    await session.wait(3)
    session.send("bufferStart")
    await session.wait(2)
    session.send("play")
    await session.wait(20)
    session.send("sessionEnd")
    await chaos.deliver_held(session)
    return plan


async def test_delay_past_the_window_is_processed_late_and_loses_time(session) -> None:
    plan = await _buffer_overtaken(session, 7)
    delayed = next(e for e in session.store if e.event_type == "bufferStart")
    assert delayed.chaos and "past the 5 s reorder window" in delayed.chaos
    assert delayed.ts == plan.meant[2].ts  # the body kept the ts the player meant
    arrived = [e.event_type for _, e in plan.delivered]
    assert arrived.index("bufferStart") > arrived.index("play", 2)  # the play overtook it
    seen = await _seen(session)
    assert _types(seen["events"]) != _types(_meant(plan))
    assert "LATE_EVENT" in {f["code"] for f in seen["findings"]}
    meant = report_of(_meant(plan))
    assert meant["time"]["buffering"] == pytest.approx(2, abs=0.01)
    assert seen["report"]["time"]["buffering"] != pytest.approx(2, abs=0.01)
    assert seen["report"]["time"]["content"] != meant["time"]["content"]
    # The advisor says so on the call itself, and only there.
    late = [e.event_type for e in session.store if "LATE_DELIVERY" in {f.code for f in e.findings}]
    assert late == ["bufferStart"]


async def test_delay_inside_the_window_is_resorted_by_the_server(session) -> None:
    plan = await _buffer_overtaken(session, 3)
    arrived = [e.event_type for _, e in plan.delivered]
    assert arrived.index("bufferStart") > arrived.index("play", 2)  # it did arrive late
    seen = await _seen(session)
    assert _types(seen["events"], pings=True) == _types(_meant(plan), pings=True)
    assert seen["report"]["time"] == report_of(_meant(plan))["time"]
    assert not any(f.code == "LATE_DELIVERY" for e in session.store for f in e.findings)


async def test_a_delayed_event_does_not_block_the_lane(session, clock) -> None:
    chaos.attach(session, [ChaosRule(Action.DELAY, ("play",), seconds=30)])
    session.start()
    held = await session.send("play")
    later = await session.send("pauseStart")
    assert held.state is ExchangeState.QUEUED and held.chaos
    assert later.status == 204  # it went out while play waits for its instant
    await session.wait(31)
    assert held.status == 204
    assert _types((await _seen(session))["events"]) == ["sessionStart", "pauseStart", "play"]


async def test_reorder_inside_the_window_is_undone_by_the_backend(session) -> None:
    plan = chaos.attach(session, [ChaosRule(Action.REORDER, ("adBreakStart",), count=3)])
    session.start()
    for name in ("adBreakStart", "adStart", "adComplete"):
        session.send(name)
    await session.settle()
    await chaos.deliver_held(session)
    arrived = [e.event_type for _, e in plan.delivered]
    assert arrived == ["sessionStart", "adComplete", "adStart", "adBreakStart"]
    assert all("reordered" in (e.chaos or "") for e in list(plan.meant)[1:])
    seen = await _seen(session)
    assert _types(seen["events"]) == ["sessionStart", "adBreakStart", "adStart", "adComplete"]
    assert seen["report"]["ads"]["started"] == 1


async def test_duplicate_sends_the_same_body_twice(session) -> None:
    chaos.attach(session, [ChaosRule(Action.DUPLICATE, ("play",))])
    session.start()
    session.send("play")
    await chaos.deliver_held(session)
    plays = [e for e in session.store if e.event_type == "play"]
    assert len(plays) == 2 and plays[0].request_body == plays[1].request_body
    assert "duplicate of" in (plays[1].chaos or "") and all(e.status == 204 for e in plays)
    assert _types((await _seen(session))["events"]) == ["sessionStart", "play", "play"]


async def test_drop_never_sends_and_says_so(session) -> None:
    chaos.attach(session, [ChaosRule(Action.DROP, ("sessionEnd",))])
    session.start()
    session.send("play")
    dropped = await session.send("sessionEnd")
    assert dropped.state is ExchangeState.DISCARDED and dropped.status is None
    assert dropped.chaos and dropped.error and "never sent" in dropped.error
    seen = await _seen(session)
    assert seen["state"] == "open" and "sessionEnd" not in _types(seen["events"])


@pytest.mark.parametrize(("action", "kind"), [(Action.TIMEOUT, ErrorKind.TIMEOUT),
                                              (Action.RESET, ErrorKind.NETWORK)])
async def test_injected_failure_leaves_nothing_on_the_server(session, action, kind) -> None:
    chaos.attach(session, [ChaosRule(action, ("ping",), nth=2)])
    session.start()
    await session.wait(30)  # pings at 10, 20, 30: the second fails before it leaves
    pings = [e for e in session.store if e.event_type == "ping"]
    assert [e.state for e in pings] == [ExchangeState.DONE, ExchangeState.FAILED,
                                        ExchangeState.DONE]
    assert pings[1].error_kind is kind and pings[1].started_at is None
    seen = await _seen(session)
    assert [b["playerTime"]["ts"] for b in seen["events"] if b["eventType"] == "ping"] == [
        pings[0].ts, pings[2].ts]


async def test_failed_session_start_keeps_events_unsent(session) -> None:
    chaos.attach(session, [ChaosRule(Action.TIMEOUT, ("sessionStart",))])
    start = session.start()
    play = session.send("play")
    assert (await start).error_kind is ErrorKind.TIMEOUT
    assert (await play).state is ExchangeState.UNSENT  # spec §6.3: kept, not lost
    assert session.sid is None


async def test_hold_start_queues_events_until_the_answer(session, server, clock) -> None:
    plan = chaos.attach(session, [ChaosRule(Action.HOLD_START, seconds=8)])
    began = clock.now()
    session.start()
    session.send("play")
    await session.wait(5)
    session.send("pauseStart")
    await session.settle()  # held ones resolve at once: only their sending waits
    start = next(e for e in session.store if e.event_type == "sessionStart")
    queued = [e for e in session.store if e.event_type in ("play", "pauseStart")]
    assert all(e.state is ExchangeState.QUEUED and "held sessionStart" in (e.chaos or "")
               for e in queued)
    # The server has the start; the client has no answer, so no sid, and its own lane
    # queues the events behind it (spec §6.3).
    assert start.state is ExchangeState.SENDING and start.status is None
    assert session.sid is None and session.state is SessionState.STARTING
    server_sids = [s["sid"] for s in await _sessions(server)]
    assert len(server_sids) == 1
    assert _types((await _seen(session, server_sids[0]))["events"]) == ["sessionStart"]
    await session.wait(4)
    assert start.status == 201 and session.sid == server_sids[0]
    assert session.state is SessionState.ACTIVE
    assert [at - began for at, e in plan.delivered if e.event_type != "sessionStart"] == [
        pytest.approx(8), pytest.approx(8)]
    assert all(e.status == 204 for e in queued)
    assert _types((await _seen(session))["events"]) == ["sessionStart", "play", "pauseStart"]


async def test_nth_picks_one_occurrence_per_session(session) -> None:
    chaos.attach(session, [ChaosRule(Action.DROP, ("play",), nth=2)])
    session.start()
    for name in ("play", "pauseStart", "play", "pauseStart", "play"):
        session.send(name)
    await session.settle()
    assert [e.state for e in session.store if e.event_type == "play"] == [
        ExchangeState.DONE, ExchangeState.DISCARDED, ExchangeState.DONE]


async def test_chaos_mark_is_kept_in_records_and_har(session) -> None:
    chaos.attach(session, [ChaosRule(Action.DROP, ("play",))])
    session.start()
    dropped = await session.send("play")
    assert har_entry(dropped)["_chaos"] == dropped.chaos
    assert exchange_from_dict(exchange_to_dict(dropped)).chaos == dropped.chaos
    untouched = next(e for e in session.store if e.event_type == "sessionStart")
    assert "_chaos" not in har_entry(untouched)


async def test_switching_chaos_off_lets_what_it_held_go_at_once(session) -> None:
    chaos.attach(session, [ChaosRule(Action.HOLD_START, seconds=8),
                           ChaosRule(Action.DELAY, ("pauseStart",), seconds=30)])
    session.start()
    session.send("play")
    await session.settle()
    assert session.sid is None
    session.set_chaos(None)  # nothing may wait for ever on a plan that is gone
    await session.settle()
    assert session.sid is not None
    session.send("pauseStart")  # no chaos any more: sent at once
    await session.settle()
    assert _types((await _seen(session))["events"]) == ["sessionStart", "play", "pauseStart"]
