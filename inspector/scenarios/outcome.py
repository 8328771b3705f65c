"""What a scenario run produced: expectation results, exchanges, report and a summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..chaos.effects import ChaosEffects
from ..exchange import Exchange
from ..export.evidence import EvidenceItem
from ..export.junit_case import JUnitCase

__all__ = ["ExpectationResult", "ScenarioOutcome"]


@dataclass(frozen=True)
class ExpectationResult:
    """One ``expect`` entry checked against a run: what was expected and what happened."""

    description: str
    ok: bool
    detail: str = ""

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        shown = self.detail and not self.ok
        return f"{mark} {self.description}" + (f" ({self.detail})" if shown else "")


@dataclass
class ScenarioOutcome:
    """The result of running one scenario (possibly by several simulated players)."""

    name: str
    source: str = ""
    duration_s: float = 0.0
    expectations: list[ExpectationResult] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    report: dict[str, Any] | None = None
    error: str | None = None
    players: int = 1
    latencies_ms: list[float] = field(default_factory=list)
    clock_ahead_s: float = 0.0  # how far ts ran ahead of the wall clock by the end
    chaos: ChaosEffects | None = None  # meant versus seen, when delivery chaos was on

    @property
    def ok(self) -> bool:
        """True when the run finished and every expectation held."""
        return self.error is None and all(e.ok for e in self.expectations)

    @property
    def failures(self) -> list[ExpectationResult]:
        return [e for e in self.expectations if not e.ok]

    def finding_counts(self) -> Counter[str]:
        """How often each finding code appeared, over every exchange."""
        return Counter(f.code for e in self.exchanges for f in e.findings)

    def status_counts(self) -> Counter[str]:
        """Exchanges by status code (or by state when there was no answer)."""
        return Counter(str(e.status) if e.status is not None else e.state.value
                       for e in self.exchanges)

    def summary_lines(self) -> list[str]:
        """Events sent, statuses and findings by code, one fact per line."""
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.status_counts().items()))
        found = ", ".join(f"{k} x{v}" for k, v in sorted(self.finding_counts().items()))
        return [f"events sent: {len(self.exchanges)}", f"statuses: {statuses or 'none'}",
                f"findings: {found or 'none'}"]

    def junit_case(self) -> JUnitCase:
        """This outcome as the record the JUnit export takes."""
        return JUnitCase(name=self.name, source=self.source, duration_s=self.duration_s,
                         error=self.error,
                         expectations=tuple(str(e) for e in self.expectations),
                         failed=tuple(str(e) for e in self.failures),
                         summary=tuple(self.summary_lines()))

    def evidence_item(self) -> EvidenceItem:
        """This outcome as the record the evidence pack takes (with its scenario file)."""
        source = Path(self.source) if self.source else None
        text = (source.read_text(encoding="utf-8", errors="replace")
                if source is not None and source.is_file() else None)
        verdict = ("PASS" if self.ok else f"ERROR: {self.error}" if self.error else
                   f"FAIL: {len(self.failures)} of {len(self.expectations)} expectations "
                   "not met")
        return EvidenceItem(self.name, self.exchanges, text, self.report, verdict,
                            [(e.description, e.ok, e.detail) for e in self.expectations])
