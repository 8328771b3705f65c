"""A readable summary of one scenario outcome (headless runs)."""

from __future__ import annotations

import math

from ..scenarios.outcome import ScenarioOutcome

__all__ = ["format_outcome", "percentile"]


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def format_outcome(outcome: ScenarioOutcome, verbose: bool = False) -> str:
    """Verdict, counts, latency percentiles (for several players) and the expectations not
    met (``verbose``: every one, met or not, with what was seen)."""
    verdict = "PASS" if outcome.ok else "ERROR" if outcome.error else "FAIL"
    lines = [f"{verdict} {outcome.name} ({outcome.source}, {outcome.duration_s:.2f}s)"]
    lines += [f"  {line}" for line in outcome.summary_lines()]
    if outcome.players > 1 or outcome.latencies_ms:
        lat = outcome.latencies_ms
        lines.append("  latency ms: " + ", ".join(
            f"p{p} {percentile(lat, p):.1f}" for p in (50, 90, 99)) +
            f", max {max(lat, default=0):.1f} over {len(lat)} requests")
    if outcome.error:
        lines.append(f"  error: {outcome.error}")
    met = sum(e.ok for e in outcome.expectations)
    lines.append(f"  expectations: {met} of {len(outcome.expectations)} met")
    shown = outcome.expectations if verbose else outcome.failures
    lines += [f"    {e}" + (f" ({e.detail})" if verbose and e.ok and e.detail else "")
              for e in shown]
    return "\n".join(lines)
