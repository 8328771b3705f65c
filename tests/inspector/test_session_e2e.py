"""A session against the real embedded backend on 127.0.0.1: both sides' reports agree."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from inspector.client import MediaCollectionClient
from inspector.clock import ManualClock
from inspector.server import EmbeddedServer
from inspector.session import Session


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
    client = MediaCollectionClient(server.base_url, timeout=5)
    yield Session(client, clock=clock)
    await client.aclose()


async def _server_report(server: EmbeddedServer, sid: str) -> dict:
    async with httpx.AsyncClient(trust_env=False) as http:
        answer = await http.get(f"{server.base_url}/_inspector/sessions/{sid}")
    assert answer.status_code == 200
    return answer.json()["report"]


async def _pre_and_mid_roll(session: Session) -> None:
    session.start()
    session.send("adBreakStart")
    session.send("adStart", {"media.ad.length": 15})
    await session.wait(15)
    for name in ("adComplete", "adBreakComplete", "play"):
        session.send(name)
    await session.wait(40)
    session.send("adBreakStart")
    session.send("adStart", {"media.ad.length": 8})
    await session.wait(8)
    session.send("adComplete")
    session.send("adBreakComplete")
    await session.wait(20)


async def test_client_report_equals_server_report(session, server) -> None:
    await _pre_and_mid_roll(session)
    session.send("pauseStart")
    await session.wait(12)
    session.send("play")
    await session.wait(5)
    session.send("sessionComplete")
    session.send("sessionEnd")
    await session.settle()
    assert all(e.ok for e in session.store), [(e.event_type, e.status) for e in session.store]
    ours, theirs = session.report.to_dict(), await _server_report(server, session.sid)
    assert ours == theirs
    ms = pytest.approx  # ts rise by >= 1 ms per event, so times are exact to a few ms
    assert ours["ads"]["completed"] == 2 and ours["time"]["ad"] == ms(23, abs=0.01)
    assert ours["time"]["content"] == ms(65, abs=0.01) and ours["pauses"]["count"] == 1


async def test_ad_outside_a_break_is_flagged_and_counted_as_content(session, server) -> None:
    await _pre_and_mid_roll(session)
    lonely = session.send("adStart", {"media.ad.length": 10})
    await session.wait(10)
    session.send("adComplete")
    await session.wait(5)
    session.send("sessionEnd")
    await session.settle()
    assert "AD_OUTSIDE_BREAK" in {f.code for f in (await lonely).findings}
    assert (await lonely).status == 204  # Adobe accepts it, then ignores it
    ours, theirs = session.report.to_dict(), await _server_report(server, session.sid)
    assert ours == theirs
    assert ours["ads"]["started"] == 2  # the lonely ad is not counted as an ad
    assert ours["time"]["content_from_ignored_ads"] == pytest.approx(10, abs=0.01)
    assert ours["time"]["content"] == pytest.approx(40 + 20 + 10 + 5, abs=0.01)


async def test_server_report_through_the_client(session, server) -> None:
    await session.start()
    await session.send("play")
    report = await session.client.server_report(session.sid)
    assert isinstance(report, dict) and report["report"]["events"]["processed"] == 2
    missing = await session.client.server_report("0" * 64)
    assert isinstance(missing, str) and "404" in missing
