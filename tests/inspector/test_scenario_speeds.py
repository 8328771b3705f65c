"""Simulated time is decided first: every built-in sends the same bodies at every speed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from inspector.exchange import Exchange
from inspector.runner import run_scenario
from inspector.scenario import Scenario, builtin_paths, load_scenario
from inspector.server.embedded import EmbeddedServer

_WALL_SECONDS = 0.5  # each finite-speed run paces about this long on the wall


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as running:
        yield running


def _relative(exchanges: list[Exchange]) -> list[Any]:
    """Each request body with ``ts`` made relative to the run's first one; and the status."""
    bodies = [(json.loads(e.request_body), e.status) for e in exchanges if e.attempt == 1]
    first = bodies[0][0]["playerTime"]["ts"]
    for body, _ in bodies:
        if isinstance(body.get("playerTime"), dict) and "ts" in body["playerTime"]:
            body["playerTime"]["ts"] -= first
    return bodies


def _shifted(value: Any, first: int) -> Any:
    """``value`` with every ``ts`` in it made relative to ``first``."""
    if isinstance(value, dict):
        return {k: v - first if k == "ts" and isinstance(v, int) else _shifted(v, first)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, first) for v in value]
    return value


def _first_ts(exchanges: list[Exchange]) -> int:
    return json.loads(exchanges[0].request_body)["playerTime"]["ts"]


def _finite_speed(scenario: Scenario) -> float:
    return max(20.0, scenario.duration / _WALL_SECONDS)


@pytest.mark.parametrize("path", builtin_paths(), ids=lambda p: p.stem)
async def test_same_bodies_and_verdicts_at_max_and_at_a_finite_speed(
        server: EmbeddedServer, path) -> None:
    scenario = load_scenario(path)
    fast = await run_scenario(scenario, server.base_url, speed=None, follow=server.follow)
    paced = await run_scenario(scenario, server.base_url, speed=_finite_speed(scenario),
                               follow=server.follow)
    assert fast.error is None and paced.error is None
    assert [str(e) for e in paced.failures] == [str(e) for e in fast.failures] == []
    assert _relative(paced.exchanges) == _relative(fast.exchanges)
    assert (_shifted(paced.report, _first_ts(paced.exchanges))
            == _shifted(fast.report, _first_ts(fast.exchanges)))
