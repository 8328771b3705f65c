"""The client in both dialects against the embedded backend on 127.0.0.1 (spec §9)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from inspector.client import ChannelState, MediaCollectionClient
from inspector.exchange import ExchangeState
from inspector.export.har import har_log
from inspector.protocol.bodies import sample_body
from inspector.protocol.edge import to_edge
from inspector.runner import run_scenario
from inspector.scenarios.library import resolve
from inspector.scenarios.loader import load_scenario
from inspector.server import EmbeddedServer
from inspector.server.faults import parse_fault
from tests.inspector.server.adobe_timelines import TIMELINE_2, timeline

DATASTREAM = "ds-test"


@pytest.fixture
def server():
    with EmbeddedServer() as running:
        yield running


def _client(server: EmbeddedServer, dialect: str) -> MediaCollectionClient:
    return MediaCollectionClient(server.base_url, timeout=5.0, backoff=0.0, dialect=dialect,
                                 config_id=DATASTREAM)


def _report(server: EmbeddedServer, sid: str) -> dict[str, Any]:
    return server.call(lambda state: state.sessions.lookup(sid).report_view()[0])


@pytest.mark.parametrize("dialect", ["classic", "edge"])
async def test_a_session_with_events_queued_before_the_sid(server, dialect) -> None:
    bodies = timeline(TIMELINE_2)
    client = _client(server, dialect)
    try:
        channel = client.open_channel()
        start = channel.start(bodies[0])
        queued = [channel.submit(b) for b in bodies[1:]]  # before the start's answer
        started = await start
        answered = [await f for f in queued]
    finally:
        await client.aclose()
    assert started.sid is not None and channel.state is ChannelState.ACTIVE
    assert started.status == (201 if dialect == "classic" else 200)
    assert [e.status for e in answered] == [204] * len(answered)
    assert channel.ended and all(e.dialect == dialect for e in [started, *answered])
    # The classic event model on every exchange, whatever went on the wire.
    assert [e.body_json() for e in [started, *answered]] == bodies
    if dialect == "edge":
        assert started.url.endswith(f"/ee/va/v1/sessionStart?configId={DATASTREAM}")
        assert answered[0].url.endswith(f"/ee/va/v1/adBreakStart?configId={DATASTREAM}")
        wire = [json.loads(e.request_body) for e in answered]
        assert wire == [to_edge(b, started.sid).body for b in bodies[1:]]
        assert {w["events"][0]["xdm"]["mediaCollection"]["sessionID"] for w in wire} == \
            {started.sid}
    else:
        assert answered[0].url.endswith(f"/api/v1/sessions/{started.sid}/events")
    report = _report(server, started.sid)
    assert report["closed"]["reason"] == "sessionEnd" and report["errors"]["count"] == 1


async def test_a_207_is_a_failed_start_with_its_fields(server) -> None:
    start = sample_body("sessionStart")
    del start["params"]["media.id"]
    start["params"]["media.length"] = "long"
    client = _client(server, "edge")
    try:
        channel = client.open_channel()
        first = channel.start(start)
        later = channel.submit(sample_body("play"))
        started, unsent = await first, await later
    finally:
        await client.aclose()
    assert started.status == 207 and started.sid is None
    assert channel.state is ChannelState.FAILED
    assert dict(started.field_errors) == {"media.id": "Missing required field",
                                          "media.length": "expected number, got string"}
    assert "media.id" in (started.error or "")
    assert unsent.state is ExchangeState.UNSENT and channel.unsent == [unsent]
    assert unsent.body_json() == sample_body("play")  # still the classic body: resendable


async def test_a_400_problem_keeps_every_field_by_classic_key(server) -> None:
    ad = sample_body("adStart", ts=1767225600100)
    del ad["params"]["media.ad.id"]
    ad["params"]["media.ad.podPosition"] = "first"
    client = _client(server, "edge")
    try:
        channel, started = await client.start_session(sample_body("sessionStart"))
        refused = await channel.send(ad)
    finally:
        await client.aclose()
    assert started.ok and refused.status == 400
    assert dict(refused.field_errors) == {"media.ad.id": "Missing required field",
                                          "media.ad.podPosition": "expected integer, got "
                                                                  "string"}
    har = har_log([refused])["log"]["entries"][0]
    assert har["_fieldErrors"] == [{"name": k, "reason": r} for k, r in refused.field_errors]
    assert har["_dialect"] == "edge"


async def test_a_5xx_is_retried_with_the_same_edge_body(server) -> None:
    server.call(lambda state: state.faults.add(parse_fault({"status": 500,
                                                            "eventType": "play"})))
    client = _client(server, "edge")
    seen: list[Any] = []
    client.exchanged.connect(seen.append)
    try:
        channel, started = await client.start_session(sample_body("sessionStart"))
        played = await channel.send(sample_body("play", ts=1767225600500))
    finally:
        await client.aclose()
    plays = list(dict.fromkeys(e for e in seen if e.event_type == "play"))
    assert [(e.attempt, e.status) for e in plays] == [(1, 500), (2, 204)]
    assert plays[0].request_body == plays[1].request_body and played is plays[1]
    problem = json.loads(plays[0].response_body)  # an Edge error is a problem, even injected
    assert (problem["status"], problem["title"]) == (500, "Injected fault")
    assert played.body_json() == sample_body("play", ts=1767225600500)


def _relative(value: Any, t0: int) -> Any:
    """``value`` with every ``ts`` made relative to the session's start (each run anchors its
    clock to the wall, so absolute instants differ between runs)."""
    if isinstance(value, dict):
        return {k: v - t0 if k == "ts" and isinstance(v, int) else _relative(v, t0)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v, t0) for v in value]
    return value


def _server_report(server: EmbeddedServer, outcome: Any) -> dict[str, Any]:
    start = next(e for e in outcome.exchanges if e.event_type == "sessionStart" and e.sid)
    report = _report(server, start.sid)
    report.pop("events", None)  # counts by type: the same, but say nothing of metrics
    return _relative(report, start.ts)


@pytest.mark.parametrize("name", ["timeline-1", "timeline-2", "timeline-3"])
async def test_the_timelines_give_the_same_metrics_in_both_dialects(name) -> None:
    scenario = load_scenario(resolve(name))
    reports = {}
    for dialect in ("classic", "edge"):
        with EmbeddedServer() as server:
            outcome = await run_scenario(scenario, server.base_url, speed=None,
                                         follow=server.follow, dialect=dialect,
                                         config_id=DATASTREAM)
            assert outcome.ok, [r.description for r in outcome.failures]
            reports[dialect] = _server_report(server, outcome)
            assert {e.dialect for e in outcome.exchanges} == {dialect}
    assert reports["edge"] == reports["classic"]
    assert reports["classic"]["time"]["content"] > 0


def test_run_timeline_1_in_the_edge_dialect_exits_0() -> None:
    done = subprocess.run([sys.executable, "-m", "inspector", "run", "timeline-1",
                           "--dialect", "edge", "--no-store", "--speed", "max"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "200: 1" in done.stdout and "PASS timeline-1" in done.stdout


def test_a_config_id_that_is_no_datastream_id_is_refused_as_the_window_does() -> None:
    done = subprocess.run([sys.executable, "-m", "inspector", "run", "timeline-1",
                           "--dialect", "edge", "--config-id", "my stream", "--no-store"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'my stream' is not a datastream id" in done.stderr and not done.stdout


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="dialect"):
        MediaCollectionClient("http://127.0.0.1:1", dialect="soap")


@pytest.mark.parametrize("dialect", ["classic", "edge"])
async def test_findings_name_fields_in_the_dialect_sent(server, dialect) -> None:
    from inspector.session import Session

    client = _client(server, dialect)
    session = Session(client)
    try:
        await session.start()
        sent = await session.send_body(json.dumps(sample_body("adBreakStart") | {
            "params": {"media.ad.podIndex": 1}}))  # podSecond missing
    finally:
        await client.aclose()
    messages = " ".join(f.message for f in sent.findings)
    assert [f.code for f in sent.findings if "podSecond" in f.message or "offset" in
            f.message], messages
    if dialect == "edge":
        assert "xdm.mediaCollection.advertisingPodDetails.offset" in messages
        assert "media.ad.podSecond" not in messages
    else:
        assert "media.ad.podSecond" in messages


async def test_load_viewers_in_the_edge_dialect_meet_the_classic_expectations() -> None:
    from inspector.load.health import Judge
    from inspector.runner import run_players

    scenario = load_scenario(resolve("events-after-session-end"))  # expects a 410
    with EmbeddedServer() as server:
        outcome = await run_players(scenario, server.base_url, 2, speed=None,
                                    follow=server.follow, dialect="edge",
                                    config_id=DATASTREAM)
    assert outcome.ok, [str(e) for e in outcome.expectations]
    judge = Judge(scenario)
    verdicts = [judge.judge(e) for e in outcome.exchanges]
    assert {e.dialect for e in outcome.exchanges} == {"edge"}
    assert {e.status for e in outcome.exchanges} >= {200, 204, 404}
    assert [v.failure for v in verdicts if v.unexpected_status] == []


async def test_a_run_recorded_in_edge_gives_dialect_neutral_steps(server) -> None:
    from inspector.clock import SessionClock
    from inspector.scenario import ScenarioRecorder
    from inspector.session import Session

    client = _client(server, "edge")
    session = Session(client, clock=SessionClock(None, flowing=False))
    recorder = ScenarioRecorder(session)
    try:
        await session.start()
        await session.send("play")
        await session.wait(3)
        await session.send("sessionEnd")
    finally:
        recorder.stop()
        await client.aclose()
    steps = recorder.scenario("edge run").steps
    assert [s.do for s in steps if s.do] == ["sessionStart", "play", "sessionEnd"]
    assert all(s.body is None for s in steps)  # no XDM body copied in as a raw step


async def test_keys_the_edge_body_cannot_carry_are_said_never_dropped_silently(server) -> None:
    ping = sample_body("ping", ts=1767225600100)
    ping["params"] = {"media.ad.id": "spot-1"}  # params on ping: no Edge field
    client = _client(server, "edge")
    try:
        channel, started = await client.start_session(sample_body("sessionStart"))
        sent = await channel.send(ping)
    finally:
        await client.aclose()
    moved = {f.code: f for f in started.findings}["EDGE_DATASTREAM_FIELDS"]
    assert moved.severity.value == "info"
    for key in sample_body("sessionStart")["params"]:
        if key.startswith(("analytics.", "visitor.")):
            assert key in moved.message
    lost = {f.code: f for f in sent.findings}["EDGE_FIELD_LEFT_OUT"]
    assert lost.severity.value == "warning" and "media.ad.id" in lost.message
    assert b"spot-1" not in sent.request_body  # what the message says is what happened
