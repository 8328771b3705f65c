"""Bad input and limits: body size, unknown paths and methods, the bounded session table."""

from __future__ import annotations

import json

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


async def test_accepted_list_cap_is_shown_and_gives_its_bytes_back(make_server, clock) -> None:
    server = make_server(max_events_per_session=3, reorder_window=0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sid = await driver.start()
        sizes = []
        for t in range(1, 7):
            await driver.send(sid, "ping", t, playhead=t)
            sizes.append((await http.get("/_inspector/sessions")).json()["stored_bytes"])
        detail = await driver.detail(sid)
    assert detail["events_limit"] == 3 and detail["events_dropped"] == 4
    assert sizes[-1] == sizes[-2] == sizes[-3] < sizes[0] * 2  # flat once the list is full


def _stored(server) -> int:
    return int(server.call(lambda s: s.sessions.budget.used))


async def test_stored_bytes_cap_forgets_closed_sessions_first(make_server, clock) -> None:
    start_size = len(json.dumps(body("sessionStart", 0)))
    server = make_server(max_stored_bytes=start_size * 3 + 100, reorder_window=0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        first = await driver.start()
        assert (await driver.send(first, "sessionEnd", 1)).status_code == 204
        for _ in range(2):
            await driver.start()
        assert (await driver.send(first, "ping", 2)).status_code == 410  # still kept
        newest = await driver.start()  # no room left: the closed session goes
        assert_error(await driver.send(first, "ping", 3), 404)
        assert _stored(server) <= start_size * 3 + 100
        listing = (await http.get("/_inspector/sessions")).json()
    assert first not in {s["sid"] for s in listing["sessions"]}
    assert newest in {s["sid"] for s in listing["sessions"]}


async def test_stored_bytes_cap_full_of_open_sessions_is_503_but_they_can_end(
        make_server, clock) -> None:
    start_size = len(json.dumps(body("sessionStart", 0)))
    limit = start_size * 2 + 150
    server = make_server(max_stored_bytes=limit, reorder_window=0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sids = [await driver.start(), await driver.start()]
        answers = [await driver.send(sids[0], "ping", t, playhead=t) for t in range(1, 6)]
        assert answers[0].status_code == 204
        full = answers[-1]
        assert_error(full, 503, "max_stored_bytes", str(limit), "sessionEnd")
        assert_error(await http.post("/api/v1/sessions", json=body("sessionStart", 0)), 503,
                     "max_stored_bytes")
        padded = json.dumps(body("sessionEnd", 9)).encode() + b" " * 5000
        ended = await http.post(f"/api/v1/sessions/{sids[1]}/events", content=padded)
        assert ended.status_code == 204  # a session can always end
        assert _stored(server) < limit + 200  # its padding was not kept
        assert (await http.post("/api/v1/sessions",
                                json=body("sessionStart", 0))).status_code == 201


async def test_fault_rules_are_capped(make_server, clock) -> None:
    server = make_server(max_fault_rules=2)
    async with client_for(server) as http:
        for _ in range(2):
            assert (await http.post("/_inspector/faults", json={"status": 500, "sid": "a"})
                    ).status_code == 201
        assert_error(await http.post("/_inspector/faults", json={"status": 500}), 503,
                     "too many fault rules", "2", "max_fault_rules", "DELETE")
        await http.delete("/_inspector/faults", headers={"Content-Type": "application/json"})
        assert (await http.post("/_inspector/faults", json={"status": 500})).status_code == 201
        assert_error(await http.post("/_inspector/faults", json={"status": 500, "sid": "s" * 201}),
                     400, "sid", "200 characters")


async def test_session_list_is_paged_and_cheap(make_server, clock) -> None:
    server = make_server()
    async with client_for(server) as http:
        driver = Api(http, clock)
        sids = [await driver.start() for _ in range(120)]
        first = (await http.get("/_inspector/sessions")).json()
        assert (first["total"], first["open"], len(first["sessions"])) == (120, 120, 100)
        assert [s["sid"] for s in first["sessions"]] == sids[:100]  # oldest first
        assert first["sessions"][0]["media.id"] == body("sessionStart", 0)["params"]["media.id"]
        rest = (await http.get(first["next"])).json()
        assert [s["sid"] for s in rest["sessions"]] == sids[100:] and rest["next"] is None
        page = (await http.get("/_inspector/sessions?offset=5&limit=3")).json()
        assert [s["sid"] for s in page["sessions"]] == sids[5:8]
        for bad in ("limit=0", "limit=1001", "offset=-1", "limit=x", "offset=1e3"):
            assert_error(await http.get(f"/_inspector/sessions?{bad}"), 400, bad.split("=")[0])
