"""The session object: player + advisor + client + store, driven as the window drives it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from inspector.client import MediaCollectionClient
from inspector.clock import ManualClock
from inspector.exchange import ErrorKind, ExchangeState
from inspector.player import PlayerState
from inspector.profile import Profile
from inspector.session import BodyError, Session, SessionState

SID = "f" * 64


def _fake_backend(statuses: dict[str, int]) -> httpx.MockTransport:
    """Unit-level transport: 201 + Location for sessions, a status per eventType otherwise."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path == "/api/v1/sessions":
            return httpx.Response(201, headers={"Location": f"/api/v1/sessions/{SID}"})
        return httpx.Response(statuses.get(body["eventType"], 204))

    return httpx.MockTransport(answer)


@pytest.fixture
async def session() -> AsyncIterator[Session]:
    client = MediaCollectionClient("http://127.0.0.1:9", transport=_fake_backend({}))
    yield Session(client, clock=ManualClock(), profile=Profile(media_length=3600))
    await client.aclose()


async def _settle(futures: list) -> None:
    await asyncio.gather(*futures)


async def _advance(session: Session, seconds: float, step: float = 0.5) -> None:
    """Move simulated time, sending due pings as the pinger task would."""
    clock = session.clock
    assert isinstance(clock, ManualClock)
    target = clock.now() + seconds
    while clock.now() < target:
        clock.set(min(target, clock.now() + step))
        await _settle(session.tick())


def _ping_times(session: Session, start_ts: int) -> list[float]:
    return [(e.ts - start_ts) / 1000 for e in session.store if e.event_type == "ping"]


async def test_ping_grid_over_an_hour_with_pre_mid_and_post_rolls(session: Session) -> None:
    start = await session.start()
    t0 = start.ts
    assert start.sid == SID
    # pre-roll: two ads of 15 s and 7 s
    session.send("adBreakStart")
    for length in (15, 7):
        session.send("adStart", {"media.ad.length": length})
        await _advance(session, length)
        session.send("adComplete")
    session.send("adBreakComplete")
    session.send("play")
    await _advance(session, 1800 - 22)  # to t=1800
    session.send("adBreakStart")
    session.send("adStart", {"media.ad.length": 30})
    await _advance(session, 30)
    session.send("adComplete")
    session.send("adBreakComplete")
    await _advance(session, 3600 - 1778)  # 1778 s played before the mid-roll
    assert session.player.playhead == 3600
    session.send("adBreakStart")
    session.send("adStart", {"media.ad.length": 10})
    await _advance(session, 10)
    session.send("adComplete")
    session.send("adBreakComplete")
    await _settle([session.send("sessionComplete"), session.send("sessionEnd")])
    times = _ping_times(session, t0)
    end = times[-1]
    ad_windows = [(0, 22), (1800, 1830), (3652, 3662)]

    def expected_at(t: float) -> bool:
        in_ad = any(a < t <= b for a, b in ad_windows)
        return t == int(t) and (in_ad or t % 10 == 0)

    expected = [float(t) for t in range(1, int(end) + 1) if expected_at(t)]
    assert times == expected
    assert all(e.status == 204 for e in session.store if e.event_type == "ping")
    assert session.player.state is PlayerState.CLOSED and session.player.next_ping_at() is None


async def test_events_before_the_201_are_queued_with_their_player_time(session) -> None:
    started = session.start()
    queued = [session.send("adBreakStart"), session.send("adStart")]
    assert [e.state for e in session.store][1:] == [ExchangeState.QUEUED] * 2
    results = await asyncio.gather(started, *queued)
    assert [r.status for r in results] == [201, 204, 204]
    assert results[1].ts < results[2].ts


async def test_findings_travel_with_the_exchange_and_never_block(session) -> None:
    await session.start()
    lonely = await session.send("adStart")
    assert lonely.status == 204
    assert "AD_OUTSIDE_BREAK" in {f.code for f in lonely.findings}
    assert session.store[session.store.row_of(lonely)] is lonely


async def test_raw_bodies_are_sent_verbatim_and_bad_json_is_refused(session) -> None:
    await session.start()
    before = len(session.store)
    with pytest.raises(BodyError):
        session.send_body('{"eventType": "play", ')
    assert len(session.store) == before
    raw = '{"eventType":"ping","playerTime":{"playhead":0,"ts":1},"params":{}}'
    sent = await session.send_body(raw)
    assert sent.request_body == raw.encode()
    assert "PING_HAS_PARAMS" in {f.code for f in sent.findings}


async def test_gone_session_offers_a_new_one_with_open_states_resent() -> None:
    statuses = {"play": 410}
    client = MediaCollectionClient("http://127.0.0.1:9", transport=_fake_backend(statuses))
    session = Session(client, clock=ManualClock())
    gone: list[int] = []
    session.gone.connect(gone.append)
    try:
        await session.start()
        await session.send("stateStart", {"media.state.name": "mute"})
        await session.send("play")
        assert gone == [410] and session.is_gone
        statuses.clear()
        restarted = await session.new_session(resume=True)
        await session.settle()
        assert json.loads(restarted.request_body)["params"]["media.resume"] is True
        assert not session.is_gone
        last = session.store[len(session.store) - 1]
        assert last.event_type == "stateStart" and b"mute" in last.request_body
    finally:
        await client.aclose()


async def test_live_session_starts_at_the_second_of_the_day() -> None:
    clock = ManualClock()
    clock.advance(23 * 3600 + 59 * 60 + 50)  # 23:59:50 UTC
    client = MediaCollectionClient("http://127.0.0.1:9", transport=_fake_backend({}))
    session = Session(client, clock=clock, profile=Profile(content_type="live",
                                                           media_length=86400))
    try:
        start = await session.start()
        assert start.playhead == 86390
        session.send("play")
        await _advance(session, 25)
        pings = [e.playhead for e in session.store if e.event_type == "ping"]
        assert pings == [0, 10]  # 10 s and 20 s after 23:59:50: past midnight, wrapped
    finally:
        await client.aclose()


async def test_preview_is_the_body_send_builds(session: Session) -> None:
    await session.start()
    for event_type in ("adBreakStart", "bitrateChange", "stateStart"):
        preview = session.preview(event_type)
        sent = (await session.send(event_type)).body_json()
        assert {k: v for k, v in preview.items() if k != "playerTime"} == {
            k: v for k, v in sent.items() if k != "playerTime"}
    assert preview["playerTime"]["ts"] <= sent["playerTime"]["ts"]


class _Stalling(httpx.AsyncBaseTransport):
    """Answers sessionStart; holds every event until the test ends (a server gone quiet)."""

    def __init__(self) -> None:
        self.holding = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/sessions":
            return httpx.Response(201, headers={"Location": f"/api/v1/sessions/{SID}"})
        self.holding.set()
        await self.release.wait()
        return httpx.Response(204)


async def test_closing_the_client_lets_settle_return_with_every_event_cancelled() -> None:
    transport = _Stalling()
    client = MediaCollectionClient("http://127.0.0.1:9", transport=transport)
    session = Session(client, clock=ManualClock())
    try:
        await session.start()
        events = [session.send("play"), session.send("ping"), session.send("pauseStart")]
        await transport.holding.wait()
        await client.aclose()
        await asyncio.wait_for(session.settle(), 30)  # generous: it must not hang
    finally:
        transport.release.set()
    results = [f.result() for f in events]
    assert [r.error_kind for r in results] == [ErrorKind.CANCELLED] * 3
    assert all(e.state is not ExchangeState.SENDING and e.state is not ExchangeState.QUEUED
               for e in session.store)


async def test_state_changed_says_ended_as_the_session_end_answer_arrives(
        session: Session) -> None:
    states: list[SessionState] = []
    session.state_changed.connect(states.append)
    await session.start()
    await session.send("sessionEnd")
    assert session.state is SessionState.ENDED
    assert states == [SessionState.STARTING, SessionState.ACTIVE, SessionState.ENDED]
