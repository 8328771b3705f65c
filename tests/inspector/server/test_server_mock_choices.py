"""Every **Mock:** choice of the spec (§1, §2.3-2.4, §3.1, §5, §6.2, §8), one test each."""

from __future__ import annotations

import json

import pytest

from inspector.protocol.catalogue import EVENT_NAMES
from inspector.protocol.schemas import DRAFT_04, schema_for
from mc_driver import Api, body, client_for
from test_server_status import CORS, assert_cors, assert_error


@pytest.mark.parametrize("path", ["/api/v1/sessions", f"/api/v1/sessions/{'a' * 64}/events"])
async def test_options_preflight_is_204_with_cors(http, path: str) -> None:
    response = await http.options(path, headers={"Origin": "https://player.example",
                                                 "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert_cors(response)


async def test_put_is_405_although_cors_lists_it(api: Api) -> None:  # I15
    sid = await api.start()
    for path in ("/api/v1/sessions", f"/api/v1/sessions/{sid}/events"):
        message = assert_error(await api.http.put(path, json=body("play", 1)), 405, "PUT")
        assert "POST" in message


async def test_content_type_is_not_enforced(api: Api) -> None:  # I15: curl -d sends a form
    raw = json.dumps(body("sessionStart", 0)).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = await api.http.post("/api/v1/sessions", content=raw, headers=form)
    assert response.status_code == 201
    sid = response.headers["location"].rsplit("/", 1)[1]
    raw = json.dumps(body("play", 1)).encode()
    response = await api.http.post(f"/api/v1/sessions/{sid}/events", content=raw)
    assert response.status_code == 204


async def test_cors_headers_on_every_kind_of_answer(api: Api) -> None:
    sid = await api.start()
    answers = [await api.http.get("/nowhere"), await api.http.delete("/api/v1/sessions"),
               await api.send(sid, "play", 1, params={"x": 1}),
               await api.http.get("/api/v1/schemas/play")]
    for response in answers:
        assert_cors(response)
    assert set(CORS) <= set(answers[0].headers)


async def test_states_update_is_400_by_default(api: Api) -> None:  # I10
    sid = await api.start()
    update = {"playerTime": {"playhead": 0, "ts": 1767225601000}, "eventType": "statesUpdate",
              "params": {"statesStart": [{"media.state.name": "mute"}]}}
    assert_error(await api.post(sid, update), 400, "statesUpdate", "stateStart")


async def test_states_update_accepted_when_configured(make_server, clock) -> None:  # I10
    server = make_server(reject_states_update=False, reorder_window=0)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sid = await driver.start()
        update = {"playerTime": {"playhead": 0, "ts": 1767225601000},
                  "eventType": "statesUpdate",
                  "params": {"statesStart": [{"media.state.name": "mute"},
                                             {"media.state.name": "fullscreen"}]}}
        assert (await driver.post(sid, update)).status_code == 204
        update["params"] = {"statesEnd": [{"media.state.name": "mute"}]}
        update["playerTime"] = {"playhead": 4, "ts": 1767225605000}
        assert (await driver.post(sid, update)).status_code == 204
        bad = {**update, "params": {"statesEnd": [{"media.state.nam": "mute"}]}}
        assert_error(await driver.post(sid, bad), 400, "statesEnd")
        states = (await driver.detail(sid))["report"]["states"]
    assert states["mute"] == {"count": 1, "seconds": 4.0, "open": False}
    assert states["fullscreen"]["open"] is True


@pytest.mark.parametrize("name", ["seekStart", "seekComplete"])
async def test_seek_events_are_400(api: Api, name: str) -> None:  # I20
    sid = await api.start()
    assert_error(await api.send(sid, "play", 1, eventType=name), 400, "seek", "playhead")


async def test_custom_metadata_on_other_events_is_400(api: Api) -> None:  # I6, §5
    sid = await api.start()
    assert_error(await api.send(sid, "play", 1, customMetadata={"a": "b"}), 400,
                 "customMetadata")
    for name in ("adStart", "chapterStart"):  # the three that allow it
        assert (await api.send(sid, name, 2, customMetadata={"tier": "gold"})).status_code == 204


async def test_custom_metadata_anywhere_when_configured(make_server, clock) -> None:  # I6
    server = make_server(custom_metadata_only_where_allowed=False)
    async with client_for(server) as http:
        driver = Api(http, clock)
        sid = await driver.start()
        assert (await driver.send(sid, "play", 1, customMetadata={"a": "b"})).status_code == 204
        bad = await driver.send(sid, "play", 2, customMetadata={"bad key!": "b"})
        assert_error(bad, 400, "customMetadata")
        number = await driver.send(sid, "play", 3, customMetadata={"n": 1})
        assert_error(number, 400, "customMetadata")


async def test_custom_metadata_keys_and_values(api: Api) -> None:  # §5
    start = body("sessionStart", 0, customMetadata={"a.reserved": "x", "media.show": "y"})
    assert (await api.http.post("/api/v1/sessions", json=start)).status_code == 201
    for bad in ({"has space": "x"}, {"n": 5}):
        response = await api.http.post("/api/v1/sessions",
                                       json=body("sessionStart", 0, customMetadata=bad))
        assert_error(response, 400, "customMetadata")


async def test_ping_with_a_params_key_is_400(api: Api) -> None:  # §3.1 rule 6
    sid = await api.start()
    assert_error(await api.send(sid, "ping", 1, params={}), 400, "ping", "params")


async def test_qoe_keys_prefixed_in_qoe_data_or_params_unprefixed_rejected(api: Api) -> None:
    sid = await api.start()  # I7
    assert (await api.send(sid, "play", 1, qoeData={"media.qoe.bitrate": 5})).status_code == 204
    assert (await api.send(sid, "play", 2, params={"media.qoe.bitrate": 5})).status_code == 204
    assert_error(await api.send(sid, "play", 3, qoeData={"bitrate": 5}), 400, "bitrate")


async def test_zero_based_pod_index_and_position_accepted(api: Api) -> None:  # I4, I5
    sid = await api.start()
    pod = await api.send(sid, "adBreakStart", 1, params={"media.ad.podIndex": 0,
                                                         "media.ad.podSecond": 0})
    assert pod.status_code == 204
    ad = body("adStart", 2)
    ad["params"]["media.ad.podPosition"] = 0
    ad["params"]["media.ad.podFriendlyName"] = "pre"  # I12: accepted on adStart, ignored
    assert (await api.post(sid, ad)).status_code == 204
    ad["params"]["media.ad.podPosition"] = -1
    assert_error(await api.post(sid, ad), 400, "podPosition")


async def test_missing_required_keys_are_400(api: Api) -> None:  # I12
    sid = await api.start()
    ad = body("adStart", 1)
    del ad["params"]["media.ad.playerName"]
    assert_error(await api.post(sid, ad), 400, "media.ad.playerName", "required")


async def test_error_data_in_params_or_qoe_data(api: Api) -> None:  # I9
    sid = await api.start()
    assert (await api.send(sid, "error", 1)).status_code == 204  # neither is required
    in_params = await api.send(sid, "error", 2, params={"media.errorId": "E1",
                                                        "media.errorSource": "player"})
    in_qoe = await api.send(sid, "error", 3, qoeData={"media.qoe.errorID": "E2",
                                                      "media.qoe.errorSource": "external"})
    assert in_params.status_code == in_qoe.status_code == 204
    errors = (await api.detail(sid))["report"]["errors"]
    assert errors["count"] == 3
    assert [(e["id"], e["source"]) for e in errors["items"]] == [
        (None, None), ("E1", "player"), ("E2", "external")]


async def test_adobe_timeline_bodies_with_trailing_commas_are_400(api: Api) -> None:  # I1
    sid = await api.start()
    raw = b'{"playerTime": {"playhead": 0, "ts": 1767225601000}, "eventType": "play",}'
    assert_error(await api.http.post(f"/api/v1/sessions/{sid}/events", content=raw), 400,
                 "invalid JSON")


async def test_sequence_errors_still_get_204(api: Api) -> None:  # §2.4, §3.1 rule 2
    sid = await api.start()
    for name in ("adStart", "adComplete", "chapterComplete", "adBreakComplete", "stateEnd"):
        assert (await api.send(sid, name, 1)).status_code == 204


async def test_session_complete_does_not_close(api: Api) -> None:  # I13
    sid = await api.start()
    assert (await api.send(sid, "sessionComplete", 1)).status_code == 204
    assert (await api.send(sid, "ping", 2)).status_code == 204
    assert (await api.detail(sid))["state"] == "open"


async def test_second_session_end_is_410(api: Api) -> None:  # I14
    sid = await api.start()
    assert (await api.send(sid, "sessionEnd", 1)).status_code == 204
    assert_error(await api.send(sid, "sessionEnd", 2), 410, "closed")


async def test_fullscreen_spellings_are_one_state(api: Api) -> None:  # I11
    sid = await api.start()
    await api.send(sid, "stateStart", 1, params={"media.state.name": "fullScreen"})
    await api.send(sid, "stateEnd", 3, params={"media.state.name": "fullscreen"})
    await api.send(sid, "sessionEnd", 4)
    report = (await api.detail(sid))["report"]
    assert report["states"] == {"fullscreen": {"count": 1, "seconds": 2.0, "open": False}}
    assert report["ignored"] == []


@pytest.mark.parametrize("name", EVENT_NAMES)
async def test_schema_endpoint_serves_the_catalogue_schema(http, name: str) -> None:  # §1.5
    response = await http.get(f"/api/v1/schemas/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    served = response.json()
    assert served["$schema"] == DRAFT_04 == "http://json-schema.org/draft-04/schema#"  # I21
    base_url = str(http.base_url).rstrip("/")
    assert served["id"] == f"{base_url}/api/v1/schemas/{name}"
    assert served == schema_for(name, base_url)


async def test_schema_endpoint_404_for_unknown_types(http) -> None:
    assert_error(await http.get("/api/v1/schemas/statesUpdate"), 404, "statesUpdate",
                 "sessionStart")
