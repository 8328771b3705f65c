"""Spec §6.2 through the injected clock: 10 min idle, 30 min unmoved playhead, 24 h age,
410 for the retention period, then 404."""

from __future__ import annotations

from mc_driver import Api, client_for
from test_server_status import assert_error

MIN = 60.0
HOUR = 3600.0


async def test_no_events_for_10_minutes_closes(api: Api) -> None:
    sid = await api.start()
    api.clock.advance(10 * MIN - 1)
    assert (await api.send(sid, "ping", 599, playhead=0)).status_code == 204  # resets
    api.clock.advance(10 * MIN - 1)
    assert (await api.send(sid, "ping", 1198, playhead=0)).status_code == 204
    api.clock.advance(10 * MIN)
    assert_error(await api.send(sid, "ping", 1800), 410, "no events for 10 min")
    detail = await api.detail(sid)
    assert detail["state"] == "closed" and detail["close_reason"] == "idle_timeout"
    assert detail["report"]["closed"]["reason"] == "idle_timeout"


async def test_playhead_unmoved_for_30_minutes_closes_despite_pings(api: Api) -> None:
    sid = await api.start()
    for minute in range(9, 30, 9):  # pause pings every 9 min keep it from idling
        api.clock.set(api.clock.now() + 9 * MIN)
        assert (await api.send(sid, "ping", minute * 60, playhead=0)).status_code == 204
    api.clock.advance(3 * MIN)  # 30 min since the playhead last moved
    assert_error(await api.send(sid, "ping", 1800, playhead=0), 410,
                 "playhead unmoved for 30 min")
    assert (await api.detail(sid))["close_reason"] == "playhead_timeout"


async def test_moving_playhead_keeps_the_session_past_30_minutes(api: Api) -> None:
    sid = await api.start()
    for step in range(1, 7):  # 54 minutes of playing, an event every 9 min
        api.clock.advance(9 * MIN)
        response = await api.send(sid, "ping", step * 540, playhead=step * 540)
        assert response.status_code == 204, step


async def test_older_than_24_hours_closes(api: Api) -> None:
    sid = await api.start()
    elapsed = 0.0
    while elapsed + 9 * MIN < 24 * HOUR:
        api.clock.advance(9 * MIN)
        elapsed += 9 * MIN
        assert (await api.send(sid, "ping", elapsed, playhead=elapsed)).status_code == 204
    api.clock.advance(24 * HOUR - elapsed)
    assert_error(await api.send(sid, "ping", 24 * HOUR, playhead=24 * HOUR), 410,
                 "older than 24 h")


async def test_closed_sid_is_410_for_the_retention_period_then_404(api: Api) -> None:
    sid = await api.start()
    assert (await api.send(sid, "sessionEnd", 1)).status_code == 204
    api.clock.advance(24 * HOUR - 1)
    assert_error(await api.send(sid, "ping", 2), 410, "sessionEnd")
    api.clock.advance(1)
    assert_error(await api.send(sid, "ping", 3), 404, sid)
    assert (await api.http.get(f"/_inspector/sessions/{sid}")).status_code == 404


async def test_a_timed_out_session_is_forgotten_after_retention(api: Api) -> None:
    sid = await api.start()
    api.clock.advance(10 * MIN + 24 * HOUR - 1)  # closed at 10 min, retained 24 h from then
    assert_error(await api.send(sid, "ping", 2), 410, "no events")
    api.clock.advance(1)
    assert_error(await api.send(sid, "ping", 3), 404)


async def test_timeouts_and_retention_are_configurable(make_server, clock) -> None:
    server = make_server(idle_timeout=5.0, stall_timeout=8.0, max_age=None, retention=2.0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        idle = await driver.start()
        clock.advance(5)
        assert_error(await driver.send(idle, "ping", 5), 410, "no events for 5 s")
        stalled = await driver.start()
        for t in range(1, 9, 2):
            clock.advance(2)
            await driver.send(stalled, "ping", t, playhead=0)
        assert_error(await driver.send(stalled, "ping", 10, playhead=0), 410, "playhead")
        clock.advance(2)
        assert_error(await driver.send(idle, "ping", 20), 404)


async def test_inspector_clock_control_expires_sessions(api: Api) -> None:
    sid = await api.start()
    before = (await api.http.get("/_inspector/clock")).json()["now"]
    response = await api.http.post("/_inspector/clock", json={"advance": 600})
    assert response.status_code == 200 and response.json()["now"] == before + 600
    assert_error(await api.send(sid, "ping", 1), 410, "no events for 10 min")


async def test_inspector_clock_refuses_to_go_back(api: Api) -> None:
    for bad in ({"advance": -1}, {"advance": "10"}, [], {"advance": True}):
        assert_error(await api.http.post("/_inspector/clock", json=bad), 400, "advance")
    assert_error(await api.http.post("/_inspector/clock", content=b"{",
                                     headers={"Content-Type": "application/json"}), 400, "JSON")


async def test_session_complete_then_trailing_pings_keep_it_open(api: Api) -> None:
    sid = await api.start()
    await api.send(sid, "sessionComplete", 1, playhead=1)
    api.clock.advance(9 * MIN)
    assert (await api.send(sid, "ping", 540, playhead=1)).status_code == 204
    assert (await api.detail(sid))["state"] == "open"
