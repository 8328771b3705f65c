"""Fault injection under /_inspector/faults: status, delay, dropped connection, filters."""

from __future__ import annotations

import time

import httpx
import pytest

from mc_driver import Api, body
from test_server_status import assert_cors, assert_error

_JSON = {"Content-Type": "application/json"}  # /_inspector/ refuses anything else (guard)


async def _fault(api: Api, **spec) -> None:
    response = await api.http.post("/_inspector/faults", json=spec)
    assert response.status_code == 201, response.text


async def test_next_n_calls_get_the_status_then_normal_service(api: Api) -> None:
    sid = await api.start()
    await _fault(api, status=503, count=2)
    for t in (1, 2):
        assert_error(await api.send(sid, "ping", t), 503, "injected")
    assert (await api.send(sid, "ping", 3)).status_code == 204
    events = (await api.detail(sid))["events"]
    assert [e["eventType"] for e in events] == ["sessionStart", "ping"]  # faulted = not taken


async def test_fault_on_session_start(api: Api) -> None:
    await _fault(api, status=500, eventType="sessionStart")
    response = await api.http.post("/api/v1/sessions", json=body("sessionStart", 0))
    assert_error(response, 500)
    assert_cors(response)
    assert (await api.http.get("/_inspector/sessions")).json()["sessions"] == []


async def test_filters_by_sid_and_event_type(api: Api) -> None:
    first, second = await api.start(), await api.start()
    await _fault(api, status=500, sid=second, eventType="play", count=5)
    assert (await api.send(first, "play", 1)).status_code == 204
    assert (await api.send(second, "ping", 1)).status_code == 204
    assert (await api.send(second, "play", 2)).status_code == 500
    listed = (await api.http.get("/_inspector/faults")).json()["faults"]
    assert listed == [{"count": 4, "status": 500, "sid": second, "eventType": "play"}]


async def test_delay_holds_the_answer(api: Api) -> None:
    sid = await api.start()
    await _fault(api, delay_ms=300)
    started = time.monotonic()
    assert (await api.send(sid, "ping", 1)).status_code == 204
    assert time.monotonic() - started >= 0.3


async def test_delay_beyond_the_client_timeout_is_a_timeout(api: Api) -> None:
    sid = await api.start()
    await _fault(api, delay_ms=2000)
    with pytest.raises(httpx.ReadTimeout):
        await api.http.post(f"/api/v1/sessions/{sid}/events", json=body("ping", 1),
                            timeout=0.2)


async def test_drop_closes_the_connection_without_an_answer(api: Api) -> None:
    sid = await api.start()
    await _fault(api, drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await api.send(sid, "ping", 1)
    assert (await api.send(sid, "ping", 2)).status_code == 204


async def test_delete_clears_every_rule(api: Api) -> None:
    sid = await api.start()
    await _fault(api, status=500, count=10)
    await _fault(api, drop=True)
    cleared = await api.http.delete("/_inspector/faults", headers=_JSON)
    assert cleared.json() == {"cleared": 2}
    assert (await api.http.get("/_inspector/faults")).json() == {"faults": []}
    assert (await api.send(sid, "ping", 1)).status_code == 204


@pytest.mark.parametrize("spec, words", [
    ({}, ["status, delay_ms or drop"]),
    ({"status": 99}, ["status", "200"]),
    ({"status": "500"}, ["status"]),
    ({"status": 500, "count": 0}, ["count"]),
    ({"drop": "yes"}, ["drop"]),
    ({"drop": True, "status": 500}, ["exclude"]),
    ({"status": 500, "bogus": 1}, ["bogus"]),
    ([500], ["JSON object"]),
])
async def test_bad_fault_specs_are_400(api: Api, spec, words) -> None:
    assert_error(await api.http.post("/_inspector/faults", json=spec), 400, *words)


async def test_faults_never_touch_inspector_routes(api: Api) -> None:
    await _fault(api, status=500, count=3)
    assert (await api.http.get("/_inspector/sessions")).status_code == 200
    assert (await api.http.get("/api/v1/schemas/play")).status_code == 200
    assert len((await api.http.get("/_inspector/faults")).json()["faults"]) == 1
