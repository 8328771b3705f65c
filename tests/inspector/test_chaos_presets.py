"""Each chaos preset on Adobe's timeline 1 against the embedded backend: meant versus seen."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from inspector.chaos import PRESETS, preset_names, rules_for
from inspector.chaos.effects import predict_processing, late_events
from inspector.exchange import ErrorKind, ExchangeState
from inspector.runner import run_scenario
from inspector.scenarios.library import resolve
from inspector.scenarios.loader import load_scenario
from inspector.scenarios.outcome import ScenarioOutcome
from inspector.server.embedded import EmbeddedServer


@pytest.fixture
async def embedded() -> AsyncIterator[EmbeddedServer]:
    server = EmbeddedServer()
    await server.astart()
    yield server
    await server.astop()


async def _run(server: EmbeddedServer, *presets: str) -> ScenarioOutcome:
    scenario = dataclasses.replace(load_scenario(resolve("timeline-1")),
                                   chaos=rules_for(presets))
    outcome = await run_scenario(scenario, server.base_url, follow=server.follow)
    assert outcome.error is None and outcome.chaos is not None
    return outcome


def test_every_preset_has_a_story_and_a_public_thread() -> None:
    assert preset_names() == ["out-of-order-ads", "pod-gap", "double-start",
                              "lost-session-end", "flaky-network", "slow-session-start"]
    for preset in PRESETS:
        assert preset.story and preset.link.startswith("https://github.com/")
        assert preset.rules and all(rule.preset == preset.name for rule in preset.rules)


async def test_out_of_order_ads_loses_ad_time_past_the_window(embedded) -> None:
    effects = (await _run(embedded, "out-of-order-ads")).chaos
    assert effects.source == "the embedded backend's own report"
    assert any(x.startswith("adBreakStart") for x in effects.processed_late)
    changed = {c.key: (c.meant, c.seen) for c in effects.metric_changes}
    assert changed["ad_time_spent"][0] == 30 and changed["ad_time_spent"][1] < 30
    assert effects.meant_metrics["ad_time_spent"] == 30  # the meant session is timeline 1's


async def test_pod_gap_delays_the_second_ad_past_the_window(embedded) -> None:
    outcome = await _run(embedded, "pod-gap")
    ad_starts = [e for e in outcome.exchanges if e.event_type == "adStart"]
    assert ad_starts[0].chaos is None and "delayed 6 s" in (ad_starts[1].chaos or "")
    assert outcome.chaos.arrived_out_of_order and outcome.chaos.metric_changes


async def test_double_start_opens_a_second_session(embedded) -> None:
    effects = (await _run(embedded, "double-start")).chaos
    starts = next(c for c in effects.metric_changes if c.key == "media_starts")
    assert (starts.meant, starts.seen) == (1, 2)
    assert any("opened 2 sessions" in d for d in effects.differences)


async def test_lost_session_end_leaves_the_session_open(embedded) -> None:
    outcome = await _run(embedded, "lost-session-end")
    assert any(d.startswith("missing: sessionEnd") for d in outcome.chaos.differences)
    assert any(d.startswith("open: the player ended the session but the server still has it")
               for d in outcome.chaos.differences)
    end = next(e for e in outcome.exchanges if e.event_type == "sessionEnd")
    assert end.status is None and end.chaos == "dropped (never sent)"


async def test_flaky_network_fails_two_pings_and_doubles_a_play(embedded) -> None:
    outcome = await _run(embedded, "flaky-network")
    kinds = [e.error_kind for e in outcome.exchanges if e.event_type == "ping" and e.chaos]
    assert kinds == [ErrorKind.TIMEOUT, ErrorKind.NETWORK]
    effects = outcome.chaos
    assert effects.never_sent == 2
    meant_pings = sum(b["eventType"] == "ping" for b in effects.meant)
    assert sum(b["eventType"] == "ping" for b in effects.processed) == meant_pings - 2
    assert sum(b["eventType"] == "play" for b in effects.processed) == sum(
        b["eventType"] == "play" for b in effects.meant) + 1


async def test_slow_session_start_sends_the_first_seconds_at_once(embedded) -> None:
    outcome = await _run(embedded, "slow-session-start")
    queued = [e for e in outcome.exchanges if "held sessionStart" in (e.chaos or "")]
    assert [e.event_type for e in queued][:2] == ["adBreakStart", "adStart"]
    assert all(e.status == 204 for e in queued)
    first = outcome.exchanges[0].ts or 0
    # the ones the player meant while the answer was out (the ping due as it comes in too)
    assert all((e.ts or 0) - first <= 8000 for e in queued)
    assert all(e.state is ExchangeState.DONE and e.sid == outcome.exchanges[0].sid
               for e in outcome.exchanges)


def _body(kind: str, ts: int) -> dict:
    return {"eventType": kind, "playerTime": {"playhead": 0, "ts": ts}}


def test_prediction_resorts_inside_the_window_only() -> None:
    start, a, b, c = (_body("sessionStart", 0), _body("play", 1000), _body("pauseStart", 2000),
                      _body("play", 9000))
    inside = predict_processing([(0, start), (2.0, b), (3.0, a)])
    assert [x["playerTime"]["ts"] for x in inside] == [0, 1000, 2000]
    # pauseStart's window closed at 7 s; the late play still sorts before the 9 s one,
    # which shares its window, but comes after pauseStart
    past = predict_processing([(0, start), (2.0, b), (9.0, c), (9.5, a)])
    assert [x["playerTime"]["ts"] for x in past] == [0, 2000, 1000, 9000]
    assert late_events(past) == ["play (meant at 1 s) after pauseStart (at 2 s)"]
