"""Every built-in scenario runs headless against the embedded backend, expectations met."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from inspector.runner import run_scenario
from inspector.scenario import builtin_paths, load_scenario
from inspector.server.embedded import EmbeddedServer

REQUIRED = {"timeline-1", "timeline-2", "timeline-3", "ad-outside-break",
            "abandoned-session-expires", "events-after-session-end", "error-recovery",
            "player-states", "bitrate-qoe", "skipped-midroll-ad", "chapters-with-skip",
            "live-across-midnight"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as running:
        yield running


def test_the_library_has_every_scenario_the_issue_lists() -> None:
    names = {load_scenario(p).name for p in builtin_paths()}
    assert REQUIRED <= names


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.stem)
async def test_builtin_meets_its_expectations(server: EmbeddedServer, path) -> None:
    scenario = load_scenario(path)
    assert scenario.description and (scenario.expect.report or scenario.expect.present
                                     or any(s.expect.status for s in scenario.steps))
    outcome = await run_scenario(scenario, server.base_url)
    assert outcome.error is None
    assert [str(e) for e in outcome.failures] == []
    assert len(outcome.expectations) >= 3


async def test_an_unmet_expectation_fails_the_outcome(server: EmbeddedServer) -> None:
    base = load_scenario(next(p for p in builtin_paths() if p.stem == "ad-outside-break"))
    wrong = replace(base, expect=replace(base.expect, present=(), absent=("AD_OUTSIDE_BREAK",)))
    outcome = await run_scenario(wrong, server.base_url)
    assert not outcome.ok
    assert [e.description for e in outcome.failures] == ["finding AD_OUTSIDE_BREAK never appears"]
