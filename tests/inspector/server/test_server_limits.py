"""Bad input and limits: body size, unknown paths and methods, the bounded session table."""

from __future__ import annotations

from mc_driver import Api, body, client_for
from test_server_status import assert_error


async def test_body_over_64_kib_is_413(api: Api) -> None:
    sid = await api.start()
    big = body("play", 1, qoeData={"media.qoe.bitrate": 1}, pad="x" * (64 * 1024))
    assert_error(await api.post(sid, big), 413, "65536 bytes")
    start = body("sessionStart", 0, customMetadata={"k": "v" * (64 * 1024)})
    assert_error(await api.http.post("/api/v1/sessions", json=start), 413)


async def test_body_just_under_the_limit_is_judged_on_its_content(api: Api) -> None:
    sid = await api.start()
    raw = b'{"eventType": "play"}' + b" " * (64 * 1024 - 30)
    assert_error(await api.http.post(f"/api/v1/sessions/{sid}/events", content=raw), 400,
                 "playerTime")


async def test_unknown_paths_are_404_json(http) -> None:
    for path in ("/", "/api/v2/sessions", "/api/v1/sessions/abc", "/_inspector/nothing"):
        assert_error(await http.get(path), 404, path)


async def test_other_methods_are_405_json_with_allow(http) -> None:
    response = await http.delete("/api/v1/sessions")
    assert_error(response, 405, "DELETE", "POST")
    assert "POST" in response.headers["allow"]
    assert_error(await http.get("/api/v1/sessions"), 405, "GET")
    assert_error(await http.post("/api/v1/schemas/play", json={}), 405, "POST")


async def test_open_session_cap_answers_503_then_frees_on_close(make_server, clock) -> None:
    server = make_server(max_open_sessions=3)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sids = [await driver.start() for _ in range(3)]
        full = await http.post("/api/v1/sessions", json=body("sessionStart", 0))
        assert_error(full, 503, "too many open sessions", "3", "sessionEnd")
        assert (await driver.send(sids[0], "sessionEnd", 1)).status_code == 204
        assert (await http.post("/api/v1/sessions", json=body("sessionStart", 0))).status_code \
            == 201


async def test_timed_out_sessions_free_the_cap(make_server, clock) -> None:
    server = make_server(max_open_sessions=2)
    async with client_for(server) as http:
        driver = Api(http, clock)
        await driver.start()
        await driver.start()
        clock.advance(600)
        assert (await http.post("/api/v1/sessions", json=body("sessionStart", 0))).status_code \
            == 201
        listing = (await http.get("/_inspector/sessions")).json()
        assert (listing["open"], listing["closed"]) == (1, 2)


async def test_closed_sessions_are_pruned_after_retention(make_server, clock) -> None:
    server = make_server(retention=60.0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        ended = await driver.start()
        await driver.send(ended, "sessionEnd", 1)
        clock.advance(61)
        listing = (await http.get("/_inspector/sessions")).json()
    assert listing["sessions"] == [] and server.call(lambda s: s.sessions.open_count) == 0


async def test_closed_table_is_bounded(make_server, clock) -> None:
    server = make_server(max_closed_sessions=2)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sids = [await driver.start() for _ in range(3)]
        for sid in sids:
            await driver.send(sid, "sessionEnd", 1)
        assert_error(await driver.send(sids[0], "ping", 2), 404)  # oldest forgotten first
        assert_error(await driver.send(sids[2], "ping", 2), 410)


async def test_accepted_events_list_is_bounded(make_server, clock) -> None:
    server = make_server(max_events_per_session=5, reorder_window=0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sid = await driver.start()
        for t in range(1, 9):
            await driver.send(sid, "ping", t, playhead=t)
        detail = await driver.detail(sid)
    assert len(detail["events"]) == 5 and detail["events_dropped"] == 4
    assert detail["events"][-1]["playerTime"]["playhead"] == 8
    assert detail["report"]["events"]["processed"] == 9  # the report still saw them all
