"""The Media Edge API on the embedded backend (spec §9), over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from inspector.protocol.edge import (
    classic_field,
    problem_details,
    session_id_from_response,
    to_edge,
)
from inspector.report import SessionReport
from mc_driver import Api, client_for
from tests.inspector.server.adobe_timelines import (
    TIMELINE_1,
    TIMELINE_2,
    TIMELINE_3,
    downloaded_batch,
    timeline,
)

CONFIG = {"configId": "sample-datastream"}


async def _start(http: httpx.AsyncClient, body: dict[str, Any], **kw: Any) -> httpx.Response:
    call = to_edge(body, None)
    return await http.post(f"/ee/va/v1/{call.path_event}", params=CONFIG, json=call.body, **kw)


async def _send(http: httpx.AsyncClient, sid: str, body: dict[str, Any],
                path: str = "/ee/va/v1/{event}") -> httpx.Response:
    call = to_edge(body, sid)
    return await http.post(path.format(event=call.path_event), json=call.body)


@pytest.mark.parametrize("steps", [TIMELINE_1, TIMELINE_2, TIMELINE_3], ids=["T1", "T2", "T3"])
async def test_a_whole_session_in_edge_reports_like_classic(server, clock, steps) -> None:
    bodies = timeline(steps)
    async with client_for(server) as http:
        started = await _start(http, bodies[0])
        assert started.status_code == 200, started.text
        sid = session_id_from_response(started.json())
        assert sid is not None and len(sid) == 64
        statuses = [(await _send(http, sid, b)).status_code for b in bodies[1:]]
        detail = await Api(http, clock).detail(sid)
    assert statuses == [204] * (len(bodies) - 1)
    classic = SessionReport()
    for body in bodies:
        classic.add(body)
    assert detail["report"] == classic.to_dict() | {"events": detail["report"]["events"]}
    assert detail["events"][1:] == bodies[1:]  # the one event model: classic bodies kept


async def test_cluster_path_text_plain_and_credentialed_cors(server) -> None:
    bodies = timeline(TIMELINE_2)[:3]
    origin = "https://player.example"
    async with client_for(server) as http:
        call = to_edge(bodies[0], None)
        started = await http.post("/ee/v1/interact", params=CONFIG,
                                  content=json.dumps(call.body),
                                  headers={"Content-Type": "text/plain", "Origin": origin})
        assert started.status_code == 200, started.text
        assert started.headers["access-control-allow-origin"] == origin
        assert started.headers["access-control-allow-credentials"] == "true"
        sid = session_id_from_response(started.json())
        assert sid
        call = to_edge(bodies[1], sid)
        sent = await http.post(f"/ee/or2/va/v1/{call.path_event}",
                               content=json.dumps(call.body),
                               headers={"Content-Type": "text/plain", "Origin": origin})
    assert sent.status_code == 204
    assert sent.headers["access-control-allow-origin"] == origin


async def test_a_400_problem_names_several_fields(api, http) -> None:
    sid = session_id_from_response((await _start(http, timeline(TIMELINE_1)[0])).json())
    assert sid
    ad_start = next(b for b in timeline(TIMELINE_1) if b["eventType"] == "adStart")
    call = to_edge(ad_start, sid)
    mc = call.body["events"][0]["xdm"]["mediaCollection"]
    del mc["advertisingDetails"]["name"]
    mc["advertisingDetails"]["length"] = "fifteen"
    mc["playhead"] = 1.5
    response = await http.post("/ee/va/v1/adStart", json=call.body)
    assert response.status_code == 400
    problem = response.json()
    assert {"type", "status", "title", "detail", "report"} <= set(problem)
    assert problem["status"] == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    names = {classic_field(name) for name, _ in problem_details(problem)}
    assert names == {"media.ad.id", "media.ad.length", "playerTime.playhead"}


async def test_a_bad_session_start_is_a_207_with_errors_and_no_sid(http) -> None:
    call = to_edge(timeline(TIMELINE_1)[0], None)
    del call.body["events"][0]["xdm"]["mediaCollection"]["sessionDetails"]["name"]
    response = await http.post("/ee/va/v1/sessionStart", params=CONFIG, json=call.body)
    assert response.status_code == 207
    assert session_id_from_response(response.json()) is None
    assert [(classic_field(n), r) for n, r in problem_details(response.json())] == \
        [("media.id", "Missing required field")]


async def test_session_start_needs_a_config_id(http) -> None:
    call = to_edge(timeline(TIMELINE_1)[0], None)
    response = await http.post("/ee/va/v1/sessionStart", json=call.body)
    assert response.status_code == 400 and "configId" in response.json()["detail"]


async def test_unknown_and_closed_sessions_are_404(http) -> None:
    bodies = timeline(TIMELINE_2)
    unknown = await _send(http, "f" * 64, bodies[1])
    assert unknown.status_code == 404
    assert unknown.json()["status"] == 404
    assert isinstance(unknown.json()["report"]["details"], str)
    sid = session_id_from_response((await _start(http, bodies[0])).json())
    assert sid
    assert (await _send(http, sid, bodies[-1])).status_code == 204  # sessionEnd
    closed = await _send(http, sid, bodies[-1])
    assert closed.status_code == 404 and "closed" in closed.json()["report"]["details"]


async def test_a_state_path_is_404_with_a_hint(http) -> None:
    response = await http.post("/ee/va/v1/stateStart", json={})
    assert response.status_code == 404 and "statesUpdate" in response.json()["detail"]


async def test_inspector_shows_the_dialect_of_each_session(api, http) -> None:
    classic_sid = await api.start()
    edge_sid = session_id_from_response((await _start(http, timeline(TIMELINE_1)[0])).json())
    listed = (await http.get("/_inspector/sessions")).json()
    rows = listed["sessions"] if isinstance(listed, dict) else listed
    dialects = {row["sid"]: row["dialect"] for row in rows}
    assert dialects == {classic_sid: "classic", edge_sid: "edge"}


async def test_an_offline_batch_is_one_session_reported_like_classic(server, clock) -> None:
    bodies = timeline(TIMELINE_3)
    async with client_for(server) as http:
        answer = await http.post("/ee/va/v1/downloaded", params=CONFIG,
                                 json=downloaded_batch(bodies))
        assert answer.status_code == 200, answer.text
        sid = session_id_from_response(answer.json())
        assert sid is not None
        detail = await Api(http, clock).detail(sid)
    classic = SessionReport()
    for body in bodies:
        classic.add(body)
    assert detail["dialect"] == "edge"
    assert detail["events"][1:] == bodies[1:]
    assert detail["report"] == classic.to_dict() | {"events": detail["report"]["events"]}


async def test_a_batch_with_a_bad_entry_is_refused_whole_naming_it(server) -> None:
    bodies = timeline(TIMELINE_2)[:6]
    batch = downloaded_batch(bodies)
    entries = batch["events"][0]["xdm"]["mediaDownloadedEvents"]
    entries[3]["mediaCollection"]["playhead"] = "late"
    entries[4]["mediaEventType"] = "media.seekStart"
    async with client_for(server) as http:
        refused = await http.post("/ee/va/v1/downloaded", params=CONFIG, json=batch)
        no_config = await http.post("/ee/va/v1/downloaded", json=downloaded_batch(bodies))
        sessions = (await http.get("/_inspector/sessions")).json()
    assert refused.status_code == 400
    names = [name for name, _ in problem_details(refused.json())]
    assert "$.events[0].xdm.mediaDownloadedEvents[3].mediaCollection.playhead" in names
    assert "$.events[0].xdm.mediaDownloadedEvents[4].mediaEventType" in names
    assert no_config.status_code == 400 and "configId" in no_config.text
    assert sessions["sessions"] == []  # nothing half-taken
