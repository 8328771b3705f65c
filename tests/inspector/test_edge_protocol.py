"""The Media Edge dialect (spec §9): mapping, schemas, sid and problem extraction."""

from __future__ import annotations

from typing import Any

import pytest

from inspector.protocol.bodies import PlayerTime, build_body
from inspector.protocol.catalogue import (
    EVENT_NAMES,
    PARAMS,
    Location,
    event,
    params_for,
    qoe_params,
    sample_value,
)
from inspector.protocol.edge import (
    EdgeMappingError,
    classic_field,
    edge_field,
    no_edge_counterpart,
    parse_edge_path,
    problem_details,
    session_id_from_response,
    to_classic,
    to_classic_events,
    to_edge,
)
from inspector.protocol.edge_schemas import edge_schema_for, validate_edge

SID = "ab" * 32


def _full_body(event_type: str, playhead: float = 12) -> dict[str, Any]:
    """A classic body with every parameter the catalogue allows on the event, at its sample."""
    params = {p.key: sample_value(p) for p in params_for(event_type)}
    qoe = {p.key: sample_value(p) for p in qoe_params()}
    cm = {"_acme.tier": "gold", "series": "s1"} if event(event_type).custom_metadata else None
    return build_body(event_type, PlayerTime(playhead, 1767225600350), params, qoe, cm)


def _without_no_counterpart(body: dict[str, Any]) -> dict[str, Any]:
    gone = set(no_edge_counterpart(body))
    out = dict(body)
    for obj, prefix in (("params", ""), ("qoeData", "qoeData.")):
        if obj in out:
            out[obj] = {k: v for k, v in out[obj].items() if prefix + k not in gone}
            if not out[obj] and not (obj == "params" and event(body["eventType"]).requires_params):
                del out[obj]
    return out


@pytest.mark.parametrize("event_type", EVENT_NAMES)
def test_every_event_validates_against_its_edge_schema(event_type: str) -> None:
    call = to_edge(_full_body(event_type), SID)
    assert validate_edge(call.path_event, call.body) == []
    assert call.body["events"][0]["xdm"]["eventType"] == f"media.{call.path_event}"


@pytest.mark.parametrize("event_type", EVENT_NAMES)
def test_classic_to_edge_to_classic_gives_the_same_event(event_type: str) -> None:
    body = _full_body(event_type)
    call = to_edge(body, SID)
    assert to_classic(call.path_event, call.body) == _without_no_counterpart(body)


def test_the_catalogues_every_param_is_mapped_or_listed_for_migration() -> None:
    # Each key either reaches the Edge body of some event or is on the checklist.
    for param in PARAMS:
        where = param.location.value
        placed = [e for e in param.events if edge_field(e, f"{where}.{param.key}")]
        listed = [e for e in param.events
                  if (f"qoeData.{param.key}" if param.location is Location.QOE else param.key)
                  in no_edge_counterpart(_full_body(e))]
        assert sorted(placed + listed) == sorted(param.events), param.key


def test_section_9_names() -> None:
    edge = to_edge(_full_body("sessionStart"), None).body["events"][0]["xdm"]
    details = edge["mediaCollection"]["sessionDetails"]
    assert details["name"] == "ep-0042" and details["friendlyName"] == "sample"
    assert {"hasResume", "appVersion", "assetID", "mvpd", "authorized"} <= set(details)
    assert "sessionID" not in edge["mediaCollection"]
    assert edge["timestamp"] == "2026-01-01T00:00:00.350Z"
    pod = to_edge(_full_body("adBreakStart"), SID).body["events"][0]["xdm"]["mediaCollection"]
    assert set(pod["advertisingPodDetails"]) == {"index", "offset", "friendlyName"}
    ad = to_edge(_full_body("adStart"), SID).body["events"][0]["xdm"]["mediaCollection"]
    assert {"name", "friendlyName", "campaignID", "podPosition"} <= set(ad["advertisingDetails"])
    assert ad["customMetadata"] == [{"name": "_acme.tier", "value": "gold"},
                                    {"name": "series", "value": "s1"}]
    state = to_edge(_full_body("stateEnd"), SID)
    assert state.path_event == "statesUpdate"
    assert state.body["events"][0]["xdm"]["mediaCollection"]["statesEnd"] == [{"name":
                                                                                "fullscreen"}]


def test_analytics_and_visitor_have_no_edge_counterpart() -> None:
    missing = no_edge_counterpart(_full_body("sessionStart"))
    assert "analytics.trackingServer" in missing and "visitor.marketingCloudOrgId" in missing
    assert "media.id" not in missing
    assert "media.ad.podFriendlyName" in no_edge_counterpart(_full_body("adStart"))


@pytest.mark.parametrize(("playhead", "sent"), [(7.5, 8), (7.49, 7), (0.5, 1), (3, 3)])
def test_playhead_is_rounded_like_the_web_sdk(playhead: float, sent: int) -> None:
    call = to_edge(_full_body("ping", playhead), SID)
    assert call.body["events"][0]["xdm"]["mediaCollection"]["playhead"] == sent


def test_a_states_update_with_several_states_gives_several_classic_events() -> None:
    body = {"events": [{"xdm": {"eventType": "media.statesUpdate",
                                "timestamp": "2022-03-04T13:40:40+00:00",
                                "mediaCollection": {"playhead": 60, "sessionID": SID,
                                                    "statesStart": [{"name": "mute"}],
                                                    "statesEnd": [{"name": "fullscreen"}]}}}]}
    assert validate_edge("statesUpdate", body) == []
    got = to_classic_events("statesUpdate", body)
    assert [(b["eventType"], b["params"]["media.state.name"]) for b in got] == \
        [("stateEnd", "fullscreen"), ("stateStart", "mute")]
    assert got[1]["playerTime"]["ts"] == got[0]["playerTime"]["ts"] + 1
    with pytest.raises(EdgeMappingError, match="2 states"):
        to_classic("statesUpdate", body)


@pytest.mark.parametrize("body", [
    {}, {"events": []}, {"events": [{"xdm": 3}]},
    {"events": [{"xdm": {"eventType": "media.ping", "timestamp": "2022-03-04T13:40:40Z"}}]},
    {"events": [{"xdm": {"eventType": "media.play", "timestamp": "2022-03-04T13:40:40Z",
                         "mediaCollection": {"playhead": 1}}}]},
    {"events": [{"xdm": {"eventType": "media.ping", "timestamp": "yesterday",
                         "mediaCollection": {"playhead": 1}}}]},
    {"events": [{"xdm": {"eventType": "media.ping", "timestamp": "2022-03-04T13:40:40",
                         "mediaCollection": {"playhead": 1}}}]},
    {"events": [{"xdm": {"eventType": "media.ping", "timestamp": "2022-03-04T13:40:40Z",
                         "mediaCollection": {"playhead": 1, "chapterDetails": {}}}}]},
])
def test_to_classic_refuses_what_it_cannot_map_with_a_clear_message(body: Any) -> None:
    with pytest.raises(EdgeMappingError) as caught:
        to_classic("ping", body)
    assert isinstance(caught.value, ValueError) and "§9" in str(caught.value)


def test_sid_from_a_200_with_several_handle_entries() -> None:
    answer = {"requestId": "r1", "handle": [
        {"type": "locationHint:result", "payload": [{"scope": "EdgeNetwork", "hint": "va6"}]},
        {"type": "state:store", "payload": [{"key": "kndctr_X_cluster", "value": "va6"}]},
        {"type": "media-analytics:new-session", "payload": [{"sessionId": SID}],
         "eventIndex": 0}]}
    assert session_id_from_response(answer) == SID
    assert session_id_from_response({"handle": answer["handle"][:2]}) is None
    assert session_id_from_response({"handle": [{"type": "media-analytics:new-session",
                                                 "payload": []}]}) is None
    assert session_id_from_response([1, 2]) is None


def test_a_207_names_its_fields() -> None:
    answer = {"handle": [{"type": "locationHint:result", "payload": []}], "errors": [
        {"type": "https://ns.adobe.com/aep/errors/va-edge-0400-400", "status": 400,
         "title": "Invalid request", "report": {"eventIndex": 0, "details": [
             {"name": "$.xdm.mediaCollection.sessionDetails.name",
              "reason": "Missing required field"},
             {"name": "$.xdm.mediaCollection.sessionDetails.length",
              "reason": "expected number"}]}}]}
    assert session_id_from_response(answer) is None
    details = problem_details(answer)
    assert [classic_field(n) for n, _ in details] == ["media.id", "media.length"]
    assert details[1][1] == "expected number"


def test_a_400_problem_with_several_fields() -> None:
    problem = {"type": "https://ns.adobe.com/aep/errors/va-edge-0400-400", "status": 400,
               "title": "Bad Request", "detail": "Invalid request.", "report": {"details": [
                   {"name": "$.events[0].xdm.mediaCollection.advertisingDetails.name",
                    "reason": "Missing required field"},
                   {"name": "$.events[0].xdm.mediaCollection.advertisingDetails.podPosition",
                    "reason": "Missing required field"},
                   {"name": "$.events[0].xdm.mediaCollection.sessionID",
                    "reason": "Unexpected error. Hint: InvalidApiSidLength=63"}]}}
    names = [classic_field(n) for n, _ in problem_details(problem)]
    assert names == ["media.ad.id", "media.ad.podPosition", None]
    # A 404's report.details is a string (the OpenAPI): no field named.
    assert problem_details({"status": 404, "report": {"details": "longer than 24h"}}) == []


@pytest.mark.parametrize("event_type", EVENT_NAMES)
def test_edge_field_and_classic_field_round_trip(event_type: str) -> None:
    keys = [p.key for p in params_for(event_type) + qoe_params()]
    keys += ["playerTime.playhead", "playerTime.ts", "eventType"]
    mapped = {k: edge_field(event_type, k) for k in keys}
    assert any(mapped.values())
    for key, path in mapped.items():
        if path is not None:
            assert classic_field(path) == key
            assert classic_field("$." + path) == key
    assert edge_field("adBreakStart", "media.ad.podIndex") == \
        "events[0].xdm.mediaCollection.advertisingPodDetails.index"


def test_our_schema_errors_name_fields_the_way_adobe_does() -> None:
    body = to_edge(_full_body("adStart"), SID).body
    ad = body["events"][0]["xdm"]["mediaCollection"]["advertisingDetails"]
    del ad["name"]
    ad["length"] = "long"
    names = {e.name: e.reason for e in validate_edge("adStart", body)}
    assert names["$.events[0].xdm.mediaCollection.advertisingDetails.name"] == \
        "Missing required field"
    assert [classic_field(n) for n in sorted(names)] == ["media.ad.length", "media.ad.id"]


def test_schemas_come_from_the_catalogue() -> None:
    schema = edge_schema_for("adBreakStart")
    pod = schema["definitions"]["mediaCollection"]["properties"]["advertisingPodDetails"]
    assert pod["required"] == ["index", "offset"]
    with pytest.raises(KeyError):
        edge_schema_for("stateStart")


def test_paths() -> None:
    assert parse_edge_path("/ee/va/v1/play") == (None, "play")
    assert parse_edge_path("/ee/or2/va/v1/ping") == ("or2", "ping")
    assert parse_edge_path("/api/v1/sessions") is None
