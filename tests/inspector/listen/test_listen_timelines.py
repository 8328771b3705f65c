"""Done means: Adobe's three timelines through ``listen`` in front of the embedded backend
change nothing the server sees or answers, and the proxy's summary shows the same findings
and metrics as a direct run (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from inspector.client import MediaCollectionClient
from inspector.exchange import Exchange
from inspector.protocol.bodies import sample_body
from inspector.runner import run_scenario
from inspector.scenarios.library import resolve
from inspector.scenarios.loader import load_scenario
from inspector.scenarios.model import Scenario
from inspector.scenarios.outcome import ScenarioOutcome
from inspector.server import EmbeddedServer
from inspector.server.state import ServerState

from listen_helpers import listening_proxy

_VARYING = {"date", "location"}  # the sid and the second the answer was sent
_START = "2026-03-01T12:00:00Z"  # both runs on the same simulated instants


def _timeline(name: str) -> Scenario:
    scenario = load_scenario(resolve(name))
    return replace(scenario, options=replace(scenario.options, start=_START))


def _seen_by_server(state: ServerState) -> list[dict[str, Any]]:
    return [{"events": list(s.events), "report": s.report_view()[0],
             "findings": [(f.code, f.severity, f.message) for f in s.findings],
             "closed": s.close_reason} for s in state.sessions.sessions()]


def _answers(exchanges: list[Exchange]) -> list[tuple[Any, ...]]:
    return [(e.method, e.url.split("/api/", 1)[1].split("/")[0], e.status, e.response_body,
             sorted((k.lower(), v) for k, v in e.response_headers if k.lower() not in _VARYING))
            for e in exchanges]


async def _direct(name: str) -> tuple[ScenarioOutcome, list[dict[str, Any]]]:
    server = EmbeddedServer()
    url = await server.astart()
    try:
        outcome = await run_scenario(_timeline(name), url, speed=None,
                                     follow=server.follow)
        return outcome, server.call(_seen_by_server)
    finally:
        await server.astop()


@pytest.mark.parametrize("name", ["timeline-1", "timeline-2", "timeline-3"])
async def test_a_timeline_through_listen_changes_nothing_and_is_judged_the_same(
        name: str) -> None:
    direct, direct_seen = await _direct(name)
    server = EmbeddedServer()
    upstream = await server.astart()
    try:
        async with listening_proxy(upstream) as (url, _proxy, listening):
            proxied = await run_scenario(_timeline(name), url, speed=None,
                                         follow=server.follow)
        proxied_seen = server.call(_seen_by_server)
    finally:
        await server.astop()

    assert proxied.ok and direct.ok, (proxied.failures, direct.failures)
    # What the server saw (accepted bodies, its report and findings) and answered.
    assert proxied_seen == direct_seen and len(proxied_seen) == 1
    assert _answers(proxied.exchanges) == _answers(direct.exchanges)
    # Byte for byte: what the player sent is what the proxy forwarded, and back.
    recorded = listening.exchanges
    assert [e.request_body for e in recorded] == [e.request_body for e in proxied.exchanges]
    assert [e.response_body for e in recorded] == [e.response_body for e in proxied.exchanges]
    # The proxy's summary: same findings and metrics as the direct run.
    (session,) = listening.analyzer.sessions.values()
    assert session.sid == proxied.exchanges[0].sid
    assert session.finding_counts() == direct.finding_counts()
    assert session.report.to_dict() == direct.report
    assert len(session.exchanges) == len(direct.exchanges) > 20


async def test_an_ad_outside_a_break_through_listen_is_named_with_its_code() -> None:
    server = EmbeddedServer()
    upstream = await server.astart()
    try:
        async with listening_proxy(upstream) as (url, _proxy, listening):
            client = MediaCollectionClient(url, retries=0)
            channel, started = await client.start_session(sample_body("sessionStart"))
            await channel.send(sample_body("adStart", ts=started.ts + 1000))
            await client.aclose()
    finally:
        await server.astop()
    assert started.status == 201
    (session,) = listening.analyzer.sessions.values()
    assert "AD_OUTSIDE_BREAK" in session.finding_counts()
    assert session.errors >= 1
