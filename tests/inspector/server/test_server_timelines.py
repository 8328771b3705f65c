"""Spec §7's timelines through real HTTP (sent shuffled, as calls overtake each other), and
through our own client: the server's report equals a SessionReport fed the same bodies."""

from __future__ import annotations

import random

import pytest

from inspector.client import MediaCollectionClient
from inspector.report import SessionReport
from mc_driver import Api, client_for
from tests.inspector.server.adobe_timelines import TIMELINE_1, TIMELINE_2, TIMELINE_3, timeline


@pytest.mark.parametrize("steps", [TIMELINE_1, TIMELINE_2, TIMELINE_3], ids=["T1", "T2", "T3"])
async def test_shuffled_timeline_reports_like_the_ordered_one(make_server, clock, steps) -> None:
    server = make_server(reorder_max_events=10_000)  # the window holds the whole burst
    bodies = timeline(steps)
    rest = bodies[1:-1]  # sessionEnd closes at once (and timelines 1, 3 end differently)
    random.Random(7).shuffle(rest)
    rest.append(bodies[-1])
    async with client_for(server) as http:
        driver = Api(http, clock)
        response = await http.post("/api/v1/sessions", json=bodies[0])
        sid = response.headers["location"].rsplit("/", 1)[1]
        for body in rest:
            assert (await driver.post(sid, body)).status_code == 204
        detail = await driver.detail(sid)
    expected = SessionReport()
    for body in bodies:
        expected.add(body)
    assert detail["events"] == bodies
    assert detail["report"] == expected.to_dict() | {"events": detail["report"]["events"]}


async def test_our_client_against_the_embedded_server(server) -> None:
    client = MediaCollectionClient(server.base_url, timeout=2.0, backoff=0.0)
    try:
        bodies = timeline(TIMELINE_2)
        channel, started = await client.start_session(bodies[0])
        assert started.status == 201 and started.sid is not None and len(started.sid) == 64
        statuses = [(await channel.send(body)).status for body in bodies[1:]]
    finally:
        await client.aclose()
    assert statuses == [204] * (len(bodies) - 1)
    report = server.call(lambda state: state.sessions.lookup(started.sid).report_view()[0])
    assert report["closed"]["reason"] == "sessionEnd" and report["errors"]["count"] == 1
    assert report["time"]["content"] == pytest.approx(33, abs=0.01)
