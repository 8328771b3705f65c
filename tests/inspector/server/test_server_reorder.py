"""The reorder window of spec §2.3 behind the HTTP layer (I17: 5 s or 10 events)."""

from __future__ import annotations

from mc_driver import Api, client_for


def _order(detail: dict) -> list[tuple[str, int]]:
    return [(e["eventType"], e["playerTime"]["ts"] % 100_000) for e in detail["events"]]


async def test_overtaken_events_are_processed_in_ts_order(api: Api) -> None:
    sid = await api.start()
    # play (t=2) overtakes adBreakStart (t=1): sorted, the report sees a proper pre-roll
    for name, t in (("play", 2), ("adBreakStart", 1), ("adStart", 1.5), ("adComplete", 1.8)):
        assert (await api.send(sid, name, t)).status_code == 204
    detail = await api.detail(sid)
    assert _order(detail) == [("sessionStart", 0), ("adBreakStart", 1000),
                              ("adStart", 1500), ("adComplete", 1800), ("play", 2000)]
    assert detail["pending_in_reorder_window"] == 4  # shown, not yet released
    assert detail["report"]["ads"]["started"] == 1 and detail["report"]["ignored"] == []


async def test_the_window_releases_at_10_events(api: Api, server) -> None:
    sid = await api.start()
    for t in range(10, 0, -1):
        await api.send(sid, "ping", t, playhead=t)
    detail = await api.detail(sid)
    assert detail["pending_in_reorder_window"] == 0
    assert [ts for _, ts in _order(detail)][1:] == [t * 1000 for t in range(1, 11)]


async def test_the_window_releases_after_5_seconds(api: Api) -> None:
    sid = await api.start()
    await api.send(sid, "ping", 3, playhead=3)
    api.clock.advance(4.9)
    await api.send(sid, "ping", 2, playhead=2)
    assert (await api.detail(sid))["pending_in_reorder_window"] == 2
    api.clock.advance(0.1)  # 5 s after the window opened
    await api.send(sid, "ping", 1, playhead=1)  # too late for the first window
    detail = await api.detail(sid)
    assert detail["pending_in_reorder_window"] == 1
    assert _order(detail)[1:] == [("ping", 2000), ("ping", 3000), ("ping", 1000)]
    assert detail["findings"] == []  # the late one is still in the second window
    api.clock.advance(5)
    detail = await api.detail(sid)  # a read applies what the clock says has happened
    assert detail["pending_in_reorder_window"] == 0
    assert [f["code"] for f in detail["findings"]] == ["LATE_EVENT"]


async def test_session_start_skips_the_window(api: Api) -> None:
    sid = await api.start()
    detail = await api.detail(sid)
    assert _order(detail) == [("sessionStart", 0)] and detail["pending_in_reorder_window"] == 0


async def test_equal_ts_keep_arrival_order_with_a_finding(api: Api) -> None:
    sid = await api.start()
    await api.send(sid, "pauseStart", 1)
    await api.send(sid, "play", 1)
    await api.send(sid, "sessionEnd", 2)
    detail = await api.detail(sid)
    assert [name for name, _ in _order(detail)] == ["sessionStart", "pauseStart", "play",
                                                    "sessionEnd"]
    assert [f["code"] for f in detail["findings"]] == ["EQUAL_TS"]
    assert detail["report"]["pauses"] == {"count": 1, "seconds": 0.0}


async def test_session_end_flushes_and_later_ts_events_are_after_close(api: Api) -> None:
    sid = await api.start()
    await api.send(sid, "ping", 5, playhead=5)  # sent before sessionEnd, but a later ts
    await api.send(sid, "sessionEnd", 4)
    report = (await api.detail(sid))["report"]
    assert report["closed"] == {"reason": "sessionEnd", "ts": 1767225604000}
    assert [(i["eventType"], i["code"]) for i in report["ignored"]] == [("ping", "AFTER_CLOSE")]


async def test_reordering_can_be_switched_off(make_server, clock) -> None:
    server = make_server(reorder_window=0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sid = await driver.start()
        await driver.send(sid, "ping", 2, playhead=2)
        await driver.send(sid, "ping", 1, playhead=1)
        detail = await driver.detail(sid)
    assert _order(detail)[1:] == [("ping", 2000), ("ping", 1000)]
    assert detail["report"]["events"]["out_of_order"] == 1
