"""Captured sessions as the records the exports take (JUnit cases, the run document)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..exchange import Exchange
from ..export import JUnitCase, run_document
from ..findings import Severity
from .analysis import CapturedSession
from .summary import metrics_line

__all__ = ["session_case", "capture_document", "EXPECTATION"]

EXPECTATION = "no finding at error level"


def session_case(session: CapturedSession, source: str = "") -> JUnitCase:
    """One JUnit case per captured session: it fails on findings at error level."""
    first: dict[str, str] = {}
    for finding in session.findings:
        if finding.severity is Severity.ERROR:
            first.setdefault(finding.code, str(finding))
    counts = session.finding_counts()
    failed = tuple(f"{text} (x{counts[code]})" for code, text in sorted(first.items()))
    found = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
    summary = (f"calls: {len(session.exchanges)}", f"findings: {found or 'none'}",
               f"metrics: {metrics_line(session.report.to_dict())}",
               *(f"note: {n}" for n in session.notes))
    return JUnitCase(name=f"session {session.sid or session.key}", source=source,
                     duration_s=_span(session.exchanges),
                     expectations=(f"{'FAIL' if failed else 'ok  '} {EXPECTATION}",),
                     failed=failed, summary=summary)


def _span(exchanges: list[Exchange]) -> float:
    times = [e.started_at for e in exchanges if e.started_at is not None]
    return round(max(times) - min(times), 3) if times else 0.0


def capture_document(exchanges: Iterable[Exchange], sessions: Iterable[CapturedSession],
                     meta: Mapping[str, Any] | None = None, *,
                     redact: bool = False) -> dict[str, Any]:
    """The ``--json`` document: every exchange, each session's summary, and (under
    ``report``, keyed by sid) each session's report."""
    chosen = list(sessions)
    info = {**dict(meta or {}), "sessions": [
        {k: v for k, v in s.to_dict().items() if k != "report"} for s in chosen]}
    return run_document(exchanges, meta=info, redact=redact,
                        report={s.key: s.report.to_dict() for s in chosen})
