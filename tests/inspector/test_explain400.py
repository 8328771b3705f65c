"""The 400 explainer (issue 17) on the embedded backend's real answers, in both dialects,
and on the common shapes of other validators' messages."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from inspector.client import MediaCollectionClient
from inspector.exchange import Exchange
from inspector.explain400 import Explained, classic_message_items, explain, explain_exchange
from inspector.protocol.bodies import sample_body
from inspector.protocol.edge import session_id_from_response, to_edge
from inspector.server import EmbeddedServer


@pytest.fixture
def server():
    with EmbeddedServer() as running:
        yield running


def _bad(event_type: str, change: Any, ts: int) -> dict[str, Any]:
    body = sample_body(event_type, ts=ts, playhead=1)
    change(body)
    return body


def _drop(key: str) -> Any:
    return lambda body: body["params"].pop(key)


def _put(where: str, key: str, value: Any) -> Any:
    return lambda body: body.setdefault(where, {}).__setitem__(key, value)


async def _answers(server: EmbeddedServer, dialect: str, bodies: list[dict[str, Any]],
                   start: dict[str, Any] | None = None) -> list[Exchange]:
    client = MediaCollectionClient(server.base_url, timeout=5.0, backoff=0.0, retries=0,
                                   dialect=dialect, config_id="ds-test")
    try:
        channel = client.open_channel()
        started = await channel.start(start or sample_body("sessionStart"))
        return [started] + [await channel.submit(b) for b in bodies]
    finally:
        await client.aclose()


def _only(items: list[Explained]) -> Explained:
    assert len(items) == 1, items
    return items[0]


# One body per failure the issue names; ts strictly increasing (§2.2).
_CASES = {
    "missing": ("adStart", _drop("media.ad.id"), "params.media.ad.id", "required"),
    "type": ("adBreakStart", _put("params", "media.ad.podIndex", "one"),
             "params.media.ad.podIndex", "type"),
    "unexpected": ("chapterStart", _put("params", "media.chapter.bogus", "x"),
                   "params.media.chapter.bogus", "additionalProperties"),
}


@pytest.mark.parametrize("dialect", ["classic", "edge"])
async def test_each_failure_is_matched_to_its_field_with_the_catalogue_rule(server,
                                                                           dialect) -> None:
    bodies = [_bad(event, change, 1767225601000 + i)
              for i, (event, change, _, _) in enumerate(_CASES.values())]
    _start, *answered = await _answers(server, dialect, bodies)
    assert [e.status for e in answered] == [400] * len(bodies)
    for exchange, (_event, _, classic, kind) in zip(answered, _CASES.values(), strict=True):
        item = _only(explain_exchange(exchange))
        assert (item.classic, item.kind) == (classic, kind)
        assert item.message  # the target's own words, shown beside the rule
        if dialect == "edge":  # named as the body sent names it: the Edge JSONPath
            assert item.field.startswith("events[0].xdm.mediaCollection.")
        else:
            assert item.field == classic
    missing, wrong, extra = (explain_exchange(e)[0] for e in answered)
    assert missing.rule.startswith("params.media.ad.id is required on adStart, type string")
    assert "type integer" in wrong.rule and "§4.3" in wrong.rule
    assert "not a params key of chapterStart" in extra.rule
    assert missing.key == "media.ad.id"


async def test_edge_sessionstart_207_names_the_missing_field(server) -> None:
    start = sample_body("sessionStart")
    del start["params"]["media.id"]
    (started,) = await _answers(server, "edge", [], start=start)
    assert started.status == 207
    item = _only(explain_exchange(started))
    assert item.classic == "params.media.id"
    assert item.field == "events[0].xdm.mediaCollection.sessionDetails.name"
    assert "required on sessionStart" in item.rule


async def test_params_on_ping_classic(server) -> None:
    ping = _bad("ping", _put("params", "media.id", "x"), 1767225601000)
    _start, answered = await _answers(server, "classic", [ping])
    assert answered.status == 400
    item = _only(explain_exchange(answered))
    assert (item.field, item.kind) == ("params", "additionalProperties")
    assert item.rule.startswith("ping takes no params")


def test_params_on_ping_edge(server) -> None:
    # Our client leaves a ping's params out of its Edge call (no Edge object takes them), so
    # the Edge body carrying one is posted as a player would.
    with httpx.Client(base_url=server.base_url) as http:
        started = http.post("/ee/va/v1/sessionStart?configId=x",
                            json=to_edge(sample_body("sessionStart"), None).body)
        sid = session_id_from_response(started.json())
        ping = to_edge(sample_body("ping", ts=1767225601000, playhead=1), sid).body
        ping["events"][0]["xdm"]["mediaCollection"]["sessionDetails"] = {"name": "x"}
        answer = http.post("/ee/va/v1/ping?configId=x", json=ping)
    assert answer.status_code == 400
    item = _only(explain("ping", 400, answer.content, "edge"))
    assert item.field == "events[0].xdm.mediaCollection.sessionDetails"
    assert item.classic == "params" and item.rule.startswith("ping takes no params")


def test_answers_that_are_not_400_explain_nothing() -> None:
    assert explain("play", 204, b"") == []
    assert explain("play", 400, b"not json at all") == []
    assert explain("play", 400, json.dumps({"message": "invalid JSON: Expecting value"})) == []
    assert explain("sessionStart", 207, b"{}", "classic") == []


@pytest.mark.parametrize(("message", "expected"), [
    ("'media.id' is a required property", [("params.media.id", "required")]),
    ("params: 'media.id' is a required property", [("params.media.id", "required")]),
    ("Additional properties are not allowed ('y', 'z' were unexpected) at params",
     [("params.y", "additionalProperties"), ("params.z", "additionalProperties")]),
    ("Additional properties are not allowed ('foo' was unexpected)",
     [("foo", "additionalProperties")]),
    ("'x' is not of type 'integer' at playerTime.ts", [("playerTime.ts", "type")]),
    ("'x' is not of type 'integer'\n\nOn instance['playerTime']['ts']:\n    'x'",
     [("playerTime.ts", "type")]),
    ("#/params: required key [media.id] not found", [("params.media.id", "required")]),
    ("#/playerTime/ts: expected type: Integer, found: String", [("playerTime.ts", "type")]),
    ("'x' is not of type 'integer'", []),  # no path: nothing to point at
])
def test_common_validator_shapes(message: str, expected: list[tuple[str, str]]) -> None:
    items = explain("sessionStart", 400, json.dumps({"message": message}).encode())
    assert [(i.classic, i.kind) for i in items] == expected


def test_our_list_of_failures_splits_only_between_fields() -> None:
    message = ("adStart failed validation: params.media.ad.id: required but missing; "
               "params.media.ad.length: required but missing (and 2 more)")
    assert [p for p, _ in classic_message_items(message)] == ["params.media.ad.id",
                                                              "params.media.ad.length"]
    hint = ("eventType: statesUpdate is not a Media Collection event here (I10); send "
            "stateStart and stateEnd")
    assert classic_message_items(hint) == [("eventType", hint.removeprefix("eventType: "))]


def test_an_edge_field_without_classic_counterpart_says_so() -> None:
    problem = {"type": "x", "status": 400, "title": "Bad Request", "report": {"details": [
        {"name": "$.events[0].xdm.mediaCollection.sessionID", "reason": "Missing required"}]}}
    item = _only(explain("play", 400, json.dumps(problem), "edge"))
    assert item.field == "events[0].xdm.mediaCollection.sessionID" and item.classic == ""
    assert "no classic counterpart" in item.rule and item.key is None
