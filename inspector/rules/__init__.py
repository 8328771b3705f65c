"""The advisor's rules, one small unit per stable code (spec §2-§6 of media-collection-api.md).

``RULES`` is the catalogue the UI shows; ``run_rules`` applies them to one event in three
phases: the body alone, the session gates, then (when the session is open) the sequence.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Finding, Severity
from . import ads, body, cadence, gates, metadata, sequence, values  # noqa: F401  (registers)
from .base import REGISTRY, Context, EventView, Phase, Rule
from .state import Limits, SequenceState

__all__ = ["RuleInfo", "RULES", "ADVISOR_ERROR", "rule_info", "run_rules", "Context",
           "EventView", "Limits", "SequenceState"]


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the UI lists it: code, highest severity, summary and spec reference."""

    code: str
    severity: Severity
    summary: str
    spec: str


# A rule that raised: reported, never swallowed, so a bug shows up in the log and in tests.
ADVISOR_ERROR = RuleInfo("ADVISOR_ERROR", Severity.INFO, "a rule failed on this body "
                         "(a bug in Media Inspector)", "")
RULES: tuple[RuleInfo, ...] = tuple(
    RuleInfo(r.code, r.severity, r.summary, r.spec) for r in REGISTRY) + (ADVISOR_ERROR,)
_BY_CODE = {r.code: r for r in RULES}


def rule_info(code: str) -> RuleInfo:
    """The catalogue entry for ``code``; KeyError if unknown."""
    return _BY_CODE[code]


def _failed(rule: Rule, exc: Exception) -> Finding:
    return Finding(ADVISOR_ERROR.code, ADVISOR_ERROR.severity,
                   f"rule {rule.code} failed: {exc!r}; please report this body")


_PHASES: dict[tuple[Phase, str | None], tuple[Rule, ...]] = {}
_PHASES_OF = [-1]  # the REGISTRY version _PHASES was built from


def _rules(phase: Phase, type_: str | None) -> tuple[Rule, ...]:
    """The rules of ``phase`` that can fire on an event of ``type_`` (None: unknown)."""
    if _PHASES_OF[0] != REGISTRY.version:
        _PHASES.clear()
        _PHASES_OF[0] = REGISTRY.version
    found = _PHASES.get((phase, type_))
    if found is None:
        found = _PHASES[(phase, type_)] = tuple(
            r for r in REGISTRY if r.phase is phase and (r.types is None or type_ in r.types))
    return found


def _phase(phase: Phase, context: Context) -> list[Finding]:
    # A rule that raises gives only ADVISOR_ERROR, none of the findings it made before.
    found: list[Finding] = []
    for r in _rules(phase, context.type):
        try:
            advice = list(r.check(context))
        except Exception as exc:  # a rule's bug must not stop sending or the other rules
            found.append(_failed(r, exc))
            continue
        if advice:
            found += [r.finding(a) for a in advice]
    return found


def run_rules(context: Context) -> list[Finding]:
    """All findings for one event: body rules, then gates, then (if open) sequence rules."""
    found = _phase(Phase.BODY, context)
    if context.type is None:
        return found
    gate = _phase(Phase.GATE, context)
    if any(f.severity is Severity.ERROR for f in gate) or not context.state.open:
        return found + gate
    return found + gate + _phase(Phase.SEQUENCE, context)
