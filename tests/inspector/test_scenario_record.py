"""Record what a user does on a session, then replay it: same events, same bodies."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator

import pytest
import yaml

from inspector.client import MediaCollectionClient
from inspector.clock import SessionClock
from inspector.profile import Profile
from inspector.runner import run_scenario
from inspector.scenario import Replayer, ScenarioRecorder, parse_scenario, scenario_to_yaml
from inspector.scenarios.observed import DEFAULT_TOLERANCE_S, with_expectations
from inspector.server.embedded import EmbeddedServer
from inspector.session import Session


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as running:
        yield running


def _bodies(session: Session) -> list[dict]:
    """Every request body in order, ts removed (it depends on when the run happened)."""
    out = []
    for exchange in session.store:
        body = exchange.body_json()
        if isinstance(body, dict) and isinstance(body.get("playerTime"), dict):
            body["playerTime"].pop("ts", None)
        out.append(body if body is not None else exchange.request_body.decode())
    return out


async def _user_session(url: str) -> tuple[Session, ScenarioRecorder, MediaCollectionClient]:
    client = MediaCollectionClient(url)
    session = Session(client, clock=SessionClock(None, flowing=False),
                      profile=Profile(media_length=300))
    recorder = ScenarioRecorder(session)
    await session.wait(2)
    await session.start(custom_metadata={"tier": "gold"})
    await session.send("adBreakStart")
    await session.send("adStart", {"media.ad.length": 5})
    await session.wait(5)
    await session.send("adComplete")
    await session.send("adBreakComplete")
    await session.send("play", qoe={"media.qoe.bitrate": 1_500_000})
    await session.wait(23.5)
    session.seek(120)
    await session.wait(4)
    await session.send("chapterStart")
    await session.send("pauseStart")
    await session.wait(12)
    await session.send_body('{"eventType": "play", "playerTime": {"playhead": 1, "ts": 5}}')
    await session.send_body('{"eventType": "play"}')
    await session.send("play")
    await session.wait(9)
    await session.send("sessionEnd")
    recorder.stop()
    return session, recorder, client


async def test_record_then_replay_sends_the_same_events_and_bodies(server) -> None:
    original, recorder, client = await _user_session(server.base_url)
    await client.aclose()
    text = scenario_to_yaml(recorder.scenario("my run"))
    scenario = parse_scenario(text, "recorded.yaml")  # the file loads back as written
    assert [s.do for s in scenario.steps if s.do == "seek"] == ["seek"]

    replay_client = MediaCollectionClient(server.base_url)
    replayed = Session(replay_client, clock=SessionClock(None, flowing=False),
                       profile=Profile(media_length=300))
    await Replayer(scenario, replayed).run()
    await replay_client.aclose()

    assert [e.event_type for e in replayed.store] == [e.event_type for e in original.store]
    assert _bodies(replayed) == _bodies(original)
    assert [e.status for e in replayed.store] == [e.status for e in original.store]
    assert sum(e.event_type == "ping" for e in original.store) >= 4


async def test_replay_can_be_stopped(server) -> None:
    scenario = parse_scenario("name: s\noptions: {speed: 50}\nsteps:\n"
                              "  - {at: 0, do: sessionStart}\n  - {at: 0, do: play}\n"
                              "  - {at: 3600, do: sessionEnd}\n", "s.yaml")
    client = MediaCollectionClient(server.base_url)
    session = Session(client, clock=SessionClock(50, flowing=False))
    replayer = Replayer(scenario, session, speed=50)
    two_steps = asyncio.Event()
    replayer.stepped.connect(lambda i: i == 1 and two_steps.set())
    task = asyncio.create_task(replayer.run())
    await asyncio.wait_for(two_steps.wait(), 30)
    replayer.pause()
    held = replayer.elapsed
    for _ in range(20):  # let the loop run: a paused replay's time stands still
        await asyncio.sleep(0)
    assert replayer.elapsed == held
    replayer.resume()
    replayer.stop()
    records = await asyncio.wait_for(task, 30)
    await client.aclose()
    assert [r.step.do for r in records] == ["sessionStart", "play"]  # sessionEnd never sent
    assert json.loads(session.store[-1].request_body)["eventType"] in ("play", "ping")


# -- recordings that assert: folded seeks, expectations drawn from the session ------------


async def _ad_outside_break_session(url: str, *, pings: bool = False
                                    ) -> tuple[Session, ScenarioRecorder]:
    """A user who drags the playhead about and sends an ad outside any break (§3.1)."""
    client = MediaCollectionClient(url)
    session = Session(client, clock=SessionClock(None, flowing=False),
                      profile=Profile(media_length=300))
    session.set_auto_pings(pings)
    recorder = ScenarioRecorder(session)
    await session.start()
    await session.send("play")
    await session.send("chapterStart")
    await session.wait(3)
    for to in (40, 55.5, 70):  # one drag: three playhead jumps, nothing sent in between
        session.seek(to)
        await session.wait(0.25)
    await session.send("play")  # already playing: sent, so kept
    await session.wait(12)  # an auto ping (when on) carries the playhead of the seek before
    session.seek(90)
    await session.wait(10)  # an auto ping (when on) in between: both seeks stay
    session.seek(150)
    await session.send("adStart", {"media.ad.length": 5})
    await session.wait(9)
    await session.send("chapterComplete")
    await session.send("sessionEnd")
    await session.settle()
    recorder.stop()
    await client.aclose()
    return session, recorder


@pytest.mark.parametrize("pings", [False, True])
async def test_consecutive_seeks_fold_into_one_and_replay_sends_the_same_bodies(
        server, pings: bool) -> None:
    original, recorder = await _ad_outside_break_session(server.base_url, pings=pings)
    seeks = [s.to for s in recorder.steps if s.do == "seek"]
    assert seeks == ([70, 90, 150] if pings else [70, 150])  # a ping in between keeps 90
    assert [s.do for s in recorder.steps].count("play") == 2
    scenario = parse_scenario(scenario_to_yaml(recorder.scenario("folded")), "folded.yaml")

    client = MediaCollectionClient(server.base_url)
    replayed = Session(client, clock=SessionClock(None, flowing=False),
                       profile=Profile(media_length=300))
    replayed.set_auto_pings(pings)
    await Replayer(scenario, replayed).run()
    await client.aclose()
    assert [e.event_type for e in replayed.store] == [e.event_type for e in original.store]
    assert _bodies(replayed) == _bodies(original)
    assert any(b["eventType"] == "ping" for b in _bodies(original)) is pings


async def test_a_recording_expects_what_was_observed_and_fails_without_its_ad(server) -> None:
    _, recorder = await _ad_outside_break_session(server.base_url)
    recording = recorder.recording()
    assert recording.settled and recording.sid
    assert recording.default_name().startswith(f"Demo episode · {recording.sid[:8]} · ")
    observed = {(o.kind, o.key): o for o in recording.observations()}
    assert observed[("present", "AD_OUTSIDE_BREAK")].enabled
    assert observed[("status", "adStart")].value == (204,)
    assert observed[("status", "sessionStart")].value == (201,)
    assert observed[("report", "ads.started")].value == 0  # spec §10: no ad start outside
    content = observed[("report", "time.content")]
    assert content.tolerance == DEFAULT_TOLERANCE_S and content.value > 20
    chapter = observed[("report", "chapters.items.0.seconds")]  # spec §10: per chapter
    assert chapter.tolerance == DEFAULT_TOLERANCE_S and abs(chapter.value - content.value) < 0.01
    assert observed[("absent", "EVENT_AFTER_SESSION_END")].enabled
    assert not observed[("absent", "PING_LATE")].enabled  # INFO advice: offered unchecked

    scenario = with_expectations(recording.scenario, recording.observations(), "mine")
    text = scenario_to_yaml(scenario)
    loaded = parse_scenario(text, "mine.yaml")
    assert loaded.name == "mine" and loaded.expect == scenario.expect
    with EmbeddedServer() as fresh:
        outcome = await run_scenario(loaded, fresh.base_url, follow=fresh.follow)
    assert outcome.ok, outcome.failures
    texts = [str(e) for e in outcome.expectations]
    assert "ok   finding AD_OUTSIDE_BREAK appears" in texts and len(texts) > 10

    without = parse_scenario(_drop_step(text, "adStart"), "without-ad.yaml")
    with EmbeddedServer() as fresh:
        failed = await run_scenario(without, fresh.base_url, follow=fresh.follow)
    assert not failed.ok
    assert {e.description for e in failed.failures} >= {
        "finding AD_OUTSIDE_BREAK appears", "status 204 for every adStart"}


def _drop_step(text: str, do: str) -> str:
    data = yaml.safe_load(text)
    data["steps"] = [s for s in data["steps"] if s.get("do") != do]
    return yaml.safe_dump(data, sort_keys=False)


async def test_state_changes_on_a_flowing_clock_are_not_mistaken_for_seeks(server) -> None:
    """The playhead stops (or starts) when the event is stamped, before ``changed`` is
    handled; on a flowing clock time has moved on by then. Every wall-clock read here
    moves time on by 0.2 ms, so that gap spans several reads: more than the 0.5 ms a
    seek must jump, and the same on every run."""
    ticks = itertools.count(1_800_000_000.0, 0.0002)
    client = MediaCollectionClient(server.base_url)
    session = Session(client, clock=SessionClock(1.0, wall=lambda: next(ticks)),
                      profile=Profile(media_length=300))
    session.set_auto_pings(False)
    recorder = ScenarioRecorder(session)
    await session.start()
    for event in ("play", "pauseStart", "play", "bufferStart", "play"):
        await session.send(event)
    session.seek(120)
    for event in ("pauseStart", "play", "sessionEnd"):
        await session.send(event)
    recorder.stop()
    await client.aclose()
    assert [(s.do, s.to) for s in recorder.steps if s.do == "seek"] == [("seek", 120)]
