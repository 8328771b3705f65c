"""What a headless run has completed so far, kept for Ctrl-C: summary and exports still work."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..exchange import Exchange
from ..runstore import FINAL_STATES, RunRecorder
from ..scenarios.model import Scenario
from ..scenarios.outcome import ScenarioOutcome
from ..signals import Signal

__all__ = ["ExchangeTap", "RunProgress"]


class ExchangeTap:
    """Sees every client of a scenario (as a recorder does) and passes them on to ``inner``."""

    def __init__(self, inner: RunRecorder | None) -> None:
        self.inner = inner
        self._seen: dict[int, Exchange] = {}  # by identity, in the order first seen

    def observe_exchanges(self, exchanged: Signal[[Exchange]]) -> None:
        exchanged.connect(lambda e: self._seen.setdefault(id(e), e))
        if self.inner is not None:
            self.inner.observe_exchanges(exchanged)

    def completed(self) -> list[Exchange]:
        """Exchanges in a final state (an answer, an error, never sent), in order."""
        return [e for e in self._seen.values() if e.state in FINAL_STATES]


@dataclass
class RunProgress:
    """The outcomes so far and the scenario under way."""

    outcomes: list[ScenarioOutcome] = field(default_factory=list)
    current: Scenario | None = None
    players: int = 1
    tap: ExchangeTap | None = None
    began: float = 0.0

    def start(self, scenario: Scenario, players: int, tap: ExchangeTap) -> None:
        self.current, self.players, self.tap = scenario, players, tap
        self.began = time.perf_counter()

    def done(self, outcome: ScenarioOutcome) -> None:
        self.outcomes.append(outcome)
        self.current = self.tap = None

    def interrupted(self) -> list[ScenarioOutcome]:
        """Every outcome, the scenario under way as an error holding what it completed."""
        if self.current is None:
            return list(self.outcomes)
        exchanges = self.tap.completed() if self.tap is not None else []
        name = self.current.name + (f" x{self.players}" if self.players > 1 else "")
        partial = ScenarioOutcome(
            name, self.current.source, time.perf_counter() - self.began, [], exchanges,
            None, f"interrupted (Ctrl-C) after {len(exchanges)} completed exchange(s)",
            self.players)
        partial.latencies_ms = [e.duration_ms for e in exchanges if e.duration_ms is not None]
        return [*self.outcomes, partial]
