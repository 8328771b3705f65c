"""Expectations drawn from what a recorded session did, for a recording that asserts.

A recording alone only says what to send; replaying it would check nothing ("0 of 0").
:func:`observe` turns what was observed while recording (each exchange's status and
findings, and the report the backend would count, spec §10) into candidate expectations;
the user keeps or drops each one, and :func:`with_expectations` writes the kept ones into
the scenario's ``expect`` block, in the same model hand-written scenarios use.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Iterable, Literal, Mapping

from ..advisor import RULES
from ..exchange import Exchange, ExchangeState
from ..findings import Severity
from ..report import SessionReport
from .expect import MISSING, report_value
from .model import Expect, Scenario

__all__ = ["Observation", "Recording", "observe", "with_expectations", "observed_report",
           "file_stem", "DEFAULT_TOLERANCE_S", "COUNT_METRICS", "SECONDS_METRICS"]

Kind = Literal["present", "absent", "status", "report"]

# How far a replayed time metric may drift from the recorded one. Steps are recorded to
# the millisecond, so a replay lands within a few ms; half a second leaves room to edit.
DEFAULT_TOLERANCE_S = 0.5
# Report paths (inspector.report.SessionReport.to_dict) for spec §10's metrics: counts are
# exact, seconds are compared within a tolerance.
COUNT_METRICS = ("ad_breaks.started", "ad_breaks.completed", "ads.started", "ads.completed",
                 "ads.skipped", "chapters.started", "chapters.completed", "chapters.skipped",
                 "pauses.count", "buffers.count", "errors.count", "events.ignored",
                 "completed", "closed.reason")
SECONDS_METRICS = ("time.content", "time.ad", "pauses.seconds", "buffers.seconds")
_UNSETTLED = (ExchangeState.QUEUED, ExchangeState.SENDING)


@dataclass(frozen=True)
class Observation:
    """One candidate expectation: what was observed, and whether the user keeps it."""

    kind: Kind
    key: str  # a finding code, an event type or a report path
    value: Any = None  # statuses (tuple) for "status"; the observed value for "report"
    tolerance: float | None = None  # report seconds only: kept as {approx, tolerance}
    enabled: bool = True

    def describe(self) -> str:
        """What the expectation checks, in the words ``run`` prints."""
        if self.kind == "present":
            return f"finding {self.key} appears"
        if self.kind == "absent":
            return f"finding {self.key} never appears"
        if self.kind == "status":
            return f"status {'/'.join(map(str, self.value))} for every {self.key}"
        if self.tolerance is not None:
            return f"report {self.key} ≈ {self.value:g} s"
        return f"report {self.key} = {self.value!r}"

    def expected(self) -> Any:
        """The value written under ``expect.report`` (report observations only)."""
        if self.tolerance is not None:
            return {"approx": self.value, "tolerance": self.tolerance}
        return self.value


@dataclass
class Recording:
    """What one recording produced: the folded scenario and every exchange it observed."""

    scenario: Scenario
    exchanges: list[Exchange]
    started: float  # wall-clock epoch seconds when recording began

    @property
    def settled(self) -> bool:
        """True once every observed exchange has its answer (or is known to have none)."""
        return not any(e.state in _UNSETTLED for e in self.exchanges)

    def _start(self) -> Exchange | None:
        return next((e for e in reversed(self.exchanges) if e.event_type == "sessionStart"),
                    None)

    @property
    def sid(self) -> str | None:
        start = self._start()
        return start.sid if start is not None else None

    @property
    def media_name(self) -> str | None:
        start = self._start()
        body = start.body_json() if start is not None else None
        params = body.get("params") if isinstance(body, dict) else None
        name = params.get("media.name") if isinstance(params, dict) else None
        return name if isinstance(name, str) and name.strip() else None

    def default_name(self) -> str:
        """Media name, sid prefix and date: ``Demo episode · 1a2b3c4d · 2026-12-01``."""
        parts = [self.media_name or "recording"]
        if self.sid:
            parts.append(self.sid[:8])
        parts.append(time.strftime("%Y-%m-%d", time.localtime(self.started)))
        return " · ".join(parts)

    def observations(self) -> list[Observation]:
        """Candidate expectations for this recording (every advisor rule's code known)."""
        return observe(self.exchanges, (r.code for r in RULES),
                       {r.code: r.severity for r in RULES})


def file_stem(name: str) -> str:
    """A file name for a scenario name: ``demo-episode-1a2b3c4d-2026-12-01``."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
    return stem or "recording"


def observed_report(exchanges: Iterable[Exchange]) -> dict[str, Any] | None:
    """The report (spec §10) for the last session started among ``exchanges``.

    Built as the session builds it: every 2xx body of that session, in order. None when no
    session was started while recording (a replay could not reproduce one).
    """
    chosen: list[Exchange] = []
    for exchange in exchanges:
        if exchange.event_type == "sessionStart":
            chosen = []
        chosen.append(exchange)
    if not chosen or chosen[0].event_type != "sessionStart":
        return None
    report = SessionReport()
    channel = chosen[0].channel
    for exchange in chosen:
        body = exchange.body_json()
        if exchange.channel == channel and exchange.ok and isinstance(body, dict):
            report.add(body)
    return report.to_dict()


def _path(report: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    """(found, value) at a dotted path, read as the expectations read it."""
    value = report_value(report, path)
    return value is not MISSING, (None if value is MISSING else value)


def _seconds_paths(report: Mapping[str, Any]) -> list[str]:
    """The time metrics: totals, then each chapter's time spent (spec §10)."""
    _, chapters = _path(report, "chapters.items")
    count = len(chapters) if isinstance(chapters, list) else 0
    return [*SECONDS_METRICS, *(f"chapters.items.{i}.seconds" for i in range(count))]


def _metrics(report: Mapping[str, Any] | None) -> list[Observation]:
    if report is None:
        return []
    out = []
    for path in COUNT_METRICS:
        found, value = _path(report, path)
        if found and (value is None or isinstance(value, (bool, int, str))):
            out.append(Observation("report", path, value))
    for path in _seconds_paths(report):
        found, value = _path(report, path)
        if found and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(Observation("report", path, value, DEFAULT_TOLERANCE_S))
    return out


def observe(exchanges: Iterable[Exchange], known_codes: Iterable[str],
            severities: Mapping[str, Severity] | None = None) -> list[Observation]:
    """Candidate expectations for a run like this one, each enabled by default but:

    an absent INFO finding (advice, not a fault) is offered unchecked. Event types with an
    exchange that got no answer get no status expectation (a replay cannot promise one).
    """
    exchanges = list(exchanges)
    seen = {f.code for e in exchanges for f in e.findings}
    statuses: dict[str, set[int]] = defaultdict(set)
    unanswered: set[str] = set()
    for e in exchanges:
        if e.status is None:
            unanswered.add(e.event_type)
        else:
            statuses[e.event_type].add(e.status)
    out = [Observation("status", t, tuple(sorted(codes)))
           for t, codes in statuses.items() if t not in unanswered]
    out += [Observation("present", code) for code in sorted(seen)]
    sev = severities or {}
    out += [Observation("absent", code, enabled=sev.get(code) is not Severity.INFO)
            for code in sorted(set(known_codes) - seen)]
    return out + _metrics(observed_report(exchanges))


def with_expectations(scenario: Scenario, observations: Iterable[Observation],
                      name: str | None = None) -> Scenario:
    """``scenario`` expecting the enabled observations (and renamed, when ``name``)."""
    kept = [o for o in observations if o.enabled]
    expect = Expect(
        present=tuple(o.key for o in kept if o.kind == "present"),
        absent=tuple(o.key for o in kept if o.kind == "absent"),
        statuses={o.key: tuple(o.value) for o in kept if o.kind == "status"},
        report={o.key: o.expected() for o in kept if o.kind == "report"})
    return replace(scenario, expect=expect, name=name.strip() if name and name.strip()
                   else scenario.name)
