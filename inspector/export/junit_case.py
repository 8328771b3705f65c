"""The record a JUnit export is made from: one test case, in plain strings and numbers.

Exports take records, not the objects that produced them, so ``inspector.export`` never
imports ``inspector.scenarios``; whoever has scenario outcomes converts them (see
:meth:`inspector.scenarios.outcome.ScenarioOutcome.junit_case`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JUnitCase"]


@dataclass(frozen=True)
class JUnitCase:
    """One ``<testcase>``: what ran, for how long, what it checked and what went wrong.

    ``error`` set means the case could not run; otherwise any ``failed`` line makes it a
    failure. ``expectations`` holds every checked expectation as a line (failed ones too),
    ``summary`` the facts shown under them (events sent, statuses, findings).
    """

    name: str
    source: str = ""  # the file the case came from (empty for a clicked run)
    duration_s: float = 0.0
    error: str | None = None
    expectations: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
