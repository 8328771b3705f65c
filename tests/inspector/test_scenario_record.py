"""Record what a user does on a session, then replay it: same events, same bodies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest

from inspector.client import MediaCollectionClient
from inspector.clock import SessionClock
from inspector.profile import Profile
from inspector.scenario import Replayer, ScenarioRecorder, parse_scenario, scenario_to_yaml
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
