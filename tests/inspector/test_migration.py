"""The migration view's content: a session's calls in both dialects and the checklist of
what the Media Edge API cannot carry (spec §9), from real exchanges with the embedded backend."""

from __future__ import annotations

import json

import pytest

from inspector.client import MediaCollectionClient
from inspector.exchange import Exchange
from inspector.migration import checklist, migration_rows, session_numbers
from inspector.protocol.bodies import sample_body
from inspector.server import EmbeddedServer


@pytest.fixture
def server():
    with EmbeddedServer() as running:
        yield running


async def _session(server: EmbeddedServer, dialect: str, sessions: int = 1
                   ) -> list[Exchange]:
    client = MediaCollectionClient(server.base_url, timeout=5.0, backoff=0.0, dialect=dialect,
                                   config_id="ds-test")
    out = []
    try:
        for _ in range(sessions):
            channel = client.open_channel()
            start = sample_body("sessionStart")
            start["params"]["media.libraryVersion"] = "js-3.0"
            out.append(await channel.start(start))
            for i, event in enumerate(("adBreakStart", "adStart", "play", "sessionEnd")):
                out.append(await channel.submit(sample_body(event, ts=1767225601000 + i,
                                                            playhead=i)))
        return out
    finally:
        await client.aclose()


@pytest.mark.parametrize("dialect", ["classic", "edge"])
async def test_rows_put_each_call_beside_its_other_dialect(server, dialect) -> None:
    exchanges = await _session(server, dialect)
    rows = migration_rows(exchanges)
    assert [r.event_type for r in rows] == ["sessionStart", "adBreakStart", "adStart", "play",
                                            "sessionEnd"]
    assert all(r.sent_as == dialect and r.problem is None for r in rows)
    assert rows[0].classic_call == "POST /api/v1/sessions"
    assert rows[1].classic_call == f"POST /api/v1/sessions/{exchanges[1].sid}/events"
    assert rows[1].edge_call.startswith("POST /ee/va/v1/adBreakStart?configId=")
    pod = rows[1].edge_body["events"][0]["xdm"]["mediaCollection"]["advertisingPodDetails"]
    assert pod["index"] == rows[1].classic_body["params"]["media.ad.podIndex"]
    if dialect == "edge":  # the Edge side is what went on the wire
        assert [r.edge_body for r in rows] == [json.loads(e.request_body) for e in exchanges]
    assert "analytics.reportSuite" in rows[0].left_out and rows[3].left_out == ()


@pytest.mark.parametrize("dialect", ["classic", "edge"])
async def test_checklist_lists_analytics_and_visitor_keys_with_reason_and_page(server,
                                                                              dialect) -> None:
    items = {i.key: i for i in checklist(migration_rows(await _session(server, dialect)))}
    suite = items["analytics.reportSuite"]
    assert suite.reason == "Analytics settings move to the datastream (§9)"
    assert suite.events == ("sessionStart",) and suite.count == 1
    assert suite.section == "§4.1" and suite.doc is not None
    assert suite.doc[0] == "Request parameters" and suite.doc[1].startswith("https://")
    assert "identityMap" in items["visitor.marketingCloudOrgId"].reason
    assert "OpenAPI" in items["media.libraryVersion"].reason
    assert "media.id" not in items  # it has an Edge field (sessionDetails.name)


async def test_one_session_of_several(server) -> None:
    log = await _session(server, "classic", sessions=2)
    numbers = session_numbers(log)
    assert len(numbers) == 2
    second = [e.seq for e in log if e.channel == numbers[1]]
    assert [r.seq for r in migration_rows(log, numbers[1])] == second == [e.seq for e in log[5:]]
