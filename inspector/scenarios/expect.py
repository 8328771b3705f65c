"""Checking a run against a scenario's expectations: step, finding, status and report."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..exchange import Exchange
from ..protocol.edge import edge_status
from .model import Scenario, StepExpect
from .outcome import ExpectationResult
from .replay import StepRecord

__all__ = ["MISSING", "evaluate", "report_value", "check_value"]

MISSING = object()  # report_value's answer for a path the report does not have


def report_value(report: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``ads.started``, ``time.content``); a marker if absent."""
    value: Any = report
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def check_value(actual: Any, want: Any) -> bool:
    """``want`` is a plain value (numbers within 10 ms) or {min, max, approx, tolerance}."""
    if actual is MISSING:
        return False
    if isinstance(want, Mapping):
        if not isinstance(actual, (int, float)) or isinstance(actual, bool):
            return False
        if "approx" in want and abs(actual - want["approx"]) > want.get("tolerance", 0.5):
            return False
        return want.get("min", actual) <= actual <= want.get("max", actual)
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(
            actual, (int, float)) and not isinstance(actual, bool):
        return abs(actual - want) <= 0.01
    return bool(actual == want)


def _codes(exchange: Exchange | None) -> set[str]:
    return {f.code for f in exchange.findings} if exchange is not None else set()


def _status_met(exchange: Exchange | None, codes: Iterable[int]) -> bool:
    """The exchange's status is one of ``codes`` (in its dialect: spec §9's 200 for 201)."""
    if exchange is None:
        return False
    edge = exchange.dialect == "edge"
    return exchange.status in {edge_status(c) if edge else c for c in codes}


def _step_results(record: StepRecord) -> Iterable[ExpectationResult]:
    want: StepExpect = record.step.expect
    ex, label = record.exchange, record.step.label()
    if want.status:
        got = ex.status if ex is not None else None
        yield ExpectationResult(f"{label}: status {'/'.join(map(str, want.status))}",
                                _status_met(ex, want.status),
                                f"got {got if got is not None else 'none'}"
                                + (f": {ex.error}" if ex is not None and ex.error else ""))
    for code in want.findings:
        yield ExpectationResult(f"{label}: finding {code}", code in _codes(ex),
                                f"got {sorted(_codes(ex)) or 'none'}")
    for code in want.no_findings:
        yield ExpectationResult(f"{label}: no finding {code}", code not in _codes(ex))


def evaluate(scenario: Scenario, records: list[StepRecord], exchanges: list[Exchange],
             report: Mapping[str, Any]) -> list[ExpectationResult]:
    """Every expectation of ``scenario`` checked against what one run produced."""
    results = [r for record in records for r in _step_results(record)]
    seen = {f.code for e in exchanges for f in e.findings}
    want = scenario.expect
    results += [ExpectationResult(f"finding {c} appears", c in seen) for c in want.present]
    results += [ExpectationResult(f"finding {c} never appears", c not in seen)
                for c in want.absent]
    for event_type, codes in want.statuses.items():
        chosen = [e for e in exchanges if event_type in ("*", e.event_type)]
        bad = sorted({str(e.status) for e in chosen if not _status_met(e, codes)})
        text = "/".join(map(str, codes))
        results.append(ExpectationResult(
            f"status {text} for every {event_type if event_type != '*' else 'exchange'}",
            bool(chosen) and not bad,
            f"also got {', '.join(bad)}" if bad else "" if chosen else "none sent"))
    for path, value in want.report.items():
        actual = report_value(report, path)
        results.append(ExpectationResult(
            f"report {path} = {value}", check_value(actual, value),
            "" if check_value(actual, value) else
            f"got {'nothing at that path' if actual is MISSING else actual!r}"))
    return results
