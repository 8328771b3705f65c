"""The health table of a load run: per viewer, what was sent, what came back, what was late.

A :class:`Judge` says of each finished exchange whether its status was one the scenario
accepts and which findings it did not expect; the :class:`HealthTable` counts them per
viewer, with the pings that went out late or were shed (never queued without end).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from ..exchange import ErrorKind, Exchange, ExchangeState
from ..protocol.edge import classic_statuses
from ..findings import Severity
from ..scenarios.model import Scenario

__all__ = ["CANCELLED", "Judge", "Verdict", "ViewerHealth", "HealthTable", "percentile"]

CANCELLED = "cancelled at stop"  # the status of a call still in flight when a run stops

_SAMPLES = 200_000  # lateness samples kept for percentiles (the newest ones)
_VERDICTS = 1024  # answered calls' verdicts a Judge remembers


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank (NaN for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Verdict:
    """What a finished exchange means for the run: ``failure`` is None when all is well."""

    status: str  # the status code, or the state when nothing came back
    unexpected_status: bool
    findings: tuple[str, ...]  # codes the scenario does not expect
    failure: str | None


class Judge:
    """Statuses and findings one scenario accepts.

    A status is expected when the scenario's ``expect.statuses`` lists it for the event
    type (or ``*``), or a step of that event type expects it; a scenario that names none
    accepts 2xx. A finding is expected when the
    scenario asks for it (``expect.findings.present`` or a step's ``findings``); info-level
    findings never count.
    """

    def __init__(self, scenario: Scenario) -> None:
        self._statuses = scenario.expect.statuses
        self._wanted = set(scenario.expect.present) | {
            code for step in scenario.steps for code in step.expect.findings}
        self._by_step: dict[str, set[int]] = {}  # what a step of that type expects
        for step in scenario.steps:
            if step.event_type and step.expect.status:
                self._by_step.setdefault(step.event_type, set()).update(step.expect.status)
        # Answered calls' verdicts, by what decides them: a load run judges the same few
        # (a 204 for a ping with no findings) thousands of times a second.
        self._answered: dict[tuple[int, str, str, tuple[str, ...]], Verdict] = {}

    def accepts(self, event_type: str, status: int, dialect: str = "classic") -> bool:
        """``status`` is one the scenario expects (spec §9: Edge's 200 for a 201…)."""
        if dialect != "classic":
            return any(self.accepts(event_type, c) for c in classic_statuses(status))
        if status in self._by_step.get(event_type, ()):
            return True
        allowed = self._statuses.get(event_type) or self._statuses.get("*")
        return status in allowed if allowed else 200 <= status < 300

    def judge(self, exchange: Exchange) -> Verdict:
        findings = tuple(f.code for f in exchange.findings
                         if f.severity is not Severity.INFO and f.code not in self._wanted
                         ) if exchange.findings else ()
        if exchange.state is ExchangeState.DONE and exchange.status is not None:
            key = (exchange.status, exchange.event_type, exchange.dialect, findings)
            found = self._answered.get(key)
            if found is None:
                bad = not self.accepts(exchange.event_type, exchange.status, exchange.dialect)
                failure = (f"unexpected status {exchange.status} for {exchange.event_type}"
                           if bad else None)
                if len(self._answered) >= _VERDICTS:
                    self._answered.clear()
                found = self._answered[key] = Verdict(str(exchange.status), bad, findings,
                                                      failure)
            return found
        if exchange.error_kind is ErrorKind.CANCELLED:  # in flight when the run stopped
            return Verdict(CANCELLED, False, findings, None)
        return Verdict(exchange.state.value, False, findings,
                       exchange.error or f"no answer ({exchange.state.value})")


@dataclass
class ViewerHealth:
    """One viewer's row: every run of it (a Locust user repeats its scenario) adds up here."""

    viewer: int
    scenario: str
    state: str = "starting"
    runs: int = 0
    sent: int = 0
    errors: int = 0  # exchanges with no usable answer
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected_statuses: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    late_pings: int = 0
    shed_pings: int = 0
    worst_late_ms: float = 0.0

    @property
    def troubled(self) -> bool:
        return bool(self.errors or self.unexpected_statuses or self.findings
                    or self.late_pings or self.shed_pings)


class HealthTable:
    """Every viewer's :class:`ViewerHealth`, the totals and the pings' lateness."""

    def __init__(self, late_ms: float) -> None:
        self.late_ms = late_ms
        self.rows: dict[int, ViewerHealth] = {}
        self.lateness_ms: deque[float] = deque(maxlen=_SAMPLES)
        self.pings = 0

    def row(self, viewer: int, scenario: str) -> ViewerHealth:
        found = self.rows.get(viewer)
        if found is None:
            found = self.rows[viewer] = ViewerHealth(viewer, scenario)
        return found

    def ping_on_wire(self, row: ViewerHealth, late_ms: float) -> None:
        self.pings += 1
        self.lateness_ms.append(late_ms)
        row.worst_late_ms = max(row.worst_late_ms, late_ms)
        if late_ms > self.late_ms:
            row.late_pings += 1

    def finished(self, row: ViewerHealth, verdict: Verdict) -> None:
        row.sent += 1
        row.statuses[verdict.status] += 1
        row.unexpected_statuses += verdict.unexpected_status
        row.errors += verdict.failure is not None and not verdict.unexpected_status
        if verdict.findings:
            row.findings.update(verdict.findings)

    def totals(self) -> dict[str, Any]:
        """Sums over every viewer, and the pings' lateness p50/p99/max in ms."""
        rows = list(self.rows.values())
        late = list(self.lateness_ms)
        statuses: Counter[str] = Counter()
        findings: Counter[str] = Counter()
        for r in rows:
            statuses.update(r.statuses)
            findings.update(r.findings)
        return {"viewers": len(rows), "sent": sum(r.sent for r in rows),
                "errors": sum(r.errors for r in rows), "statuses": dict(statuses),
                "unexpected_statuses": sum(r.unexpected_statuses for r in rows),
                "findings": dict(findings), "pings": self.pings,
                "late_pings": sum(r.late_pings for r in rows),
                "shed_pings": sum(r.shed_pings for r in rows),
                "late_ms": {"threshold": self.late_ms, "p50": percentile(late, 50),
                            "p99": percentile(late, 99), "max": max(late, default=math.nan)}}

    def lines(self, limit: int = 10) -> list[str]:
        """The table as text: the troubled viewers first (at most ``limit``), then totals."""
        head = (f"{'viewer':>6} {'scenario':20} {'state':9} {'runs':>4} {'sent':>6} "
                f"{'errors':>6} {'unexp':>5} {'late':>5} {'shed':>5} {'worst ms':>8}  "
                "statuses / findings")
        shown = sorted(self.rows.values(), key=lambda r: (not r.troubled, r.viewer))[:limit]
        out = [head] + [
            f"{r.viewer:>6} {r.scenario[:20]:20} {r.state[:9]:9} {r.runs:>4} {r.sent:>6} "
            f"{r.errors:>6} {r.unexpected_statuses:>5} {r.late_pings:>5} {r.shed_pings:>5} "
            f"{r.worst_late_ms:>8.1f}  {_counts(r.statuses)}"
            + (f" / {_counts(r.findings)}" if r.findings else "") for r in shown]
        if len(self.rows) > len(shown):
            out.append(f"… and {len(self.rows) - len(shown)} more viewer(s)")
        t = self.totals()
        lm = t["late_ms"]
        spread = (f"; lateness p50 {lm['p50']:.1f} ms, p99 {lm['p99']:.1f} ms, "
                  f"max {lm['max']:.1f} ms" if t["pings"] else "")
        out.append(f"pings {t['pings']}: late (> {self.late_ms:g} ms) {t['late_pings']}, "
                   f"shed {t['shed_pings']}{spread}")
        return out


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items())) or "-"
