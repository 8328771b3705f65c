"""Scenario records: what a scenario file says, after loading and checking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..chaos.rules import ChaosRule

__all__ = ["Options", "Step", "StepExpect", "Expect", "Scenario", "ACTION_EVENTS"]

# Player actions that send an event (``play`` is an event name already).
ACTION_EVENTS = {"pause": "pauseStart", "buffer": "bufferStart"}


@dataclass(frozen=True)
class Options:
    """How a scenario runs: auto pings and their cadence, speed, start time, server clock."""

    auto_pings: bool = True
    ping_interval: float = 10.0
    ad_ping_interval: float = 1.0
    speed: float | None = None  # None: as fast as possible
    start: str | None = None
    server_clock: bool = False
    end_at: float | None = None  # keep time (and pings) running until then


@dataclass(frozen=True)
class StepExpect:
    """What must hold for this step's own exchange."""

    status: tuple[int, ...] = ()
    findings: tuple[str, ...] = ()
    no_findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One action at simulated second ``at``: an event, a player action or a raw body."""

    at: float
    do: str | None = None
    params: dict[str, Any] | None = None
    qoe: dict[str, Any] | None = None
    custom_metadata: dict[str, Any] | None = None
    body: dict[str, Any] | str | None = None
    to: float | None = None
    note: str = ""
    expect: StepExpect = field(default_factory=StepExpect)
    line: int = 0

    @property
    def event_type(self) -> str | None:
        """The wire event this step sends (None for seek, wait and raw bodies)."""
        if self.body is not None or self.do in ("seek", "wait"):
            return None
        return ACTION_EVENTS.get(self.do or "", self.do)

    def label(self) -> str:
        what = self.do if self.body is None else "raw body"
        return f"step at {self.at:g}s ({what}, line {self.line})"


@dataclass(frozen=True)
class Expect:
    """Run-level expectations: findings present/absent, status codes, report values."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    statuses: dict[str, tuple[int, ...]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    """A loaded, checked scenario: ready to run, never half-valid."""

    name: str
    steps: tuple[Step, ...]
    description: str = ""
    endpoint: str | None = None
    media: dict[str, Any] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    expect: Expect = field(default_factory=Expect)
    source: str = ""
    chaos: tuple[ChaosRule, ...] = ()  # client-side delivery chaos (presets expanded)

    @property
    def duration(self) -> float:
        """Simulated seconds from start to the last step (or ``endAt``)."""
        last = self.steps[-1].at if self.steps else 0.0
        return max(last, self.options.end_at or 0.0)
