"""What every advisor rule shares: the event view, the context, the rule record and registry.

A rule is a small function ``(Context) -> Iterable[Advice]`` registered with :func:`rule`,
which gives it a stable code, a severity, a one-line summary and a spec reference.
Spec: ../shared/spec/media-collection-api.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable, Mapping

from ..findings import Finding, Severity
from ..protocol.catalogue import EVENT_NAMES, event
from ..protocol.schemas import SchemaError
from .state import MAX_MS, MIN_MS, Limits, SequenceState, plausible_ms

__all__ = [
    "Phase",
    "EventView",
    "Context",
    "Advice",
    "Rule",
    "REGISTRY",
    "rule",
    "kind",
    "group",
    "seconds",
    "plausible_ms",
    "MIN_MS",
    "MAX_MS",
]


class Phase(str, Enum):
    """When a rule runs: on the body alone, as a session gate, or against the sequence."""

    BODY = "body"  # the body by itself: schema, types, metadata keys
    GATE = "gate"  # is there an open session for this event at all?
    SEQUENCE = "sequence"  # against the events so far; skipped when a gate says "closed"


def kind(name: str) -> str:
    """An event type name a rule refers to, checked against the catalogue at import."""
    return event(name).name


def group(name: str) -> frozenset[str]:
    """The event types of one catalogue group (``Ads``, ``Playback``...)."""
    found = frozenset(n for n in EVENT_NAMES if event(n).group == name)
    if not found:
        raise KeyError(f"no catalogue group {name!r}")
    return found


def seconds(ms: float) -> str:
    """A duration in ms as a short text in seconds (``9.5 s``)."""
    return f"{ms / 1000:.3g} s" if abs(ms) < 100_000 else f"{ms / 1000:.0f} s"


def _mapping(value: object) -> Mapping[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


_MISSING = object()


@dataclass(frozen=True)
class EventView:
    """A decoded body read defensively: every field is ``None``/empty when absent or malformed."""

    body: object
    type: str | None = None  # eventType when it is a string
    ts: int | None = None  # playerTime.ts when it is a JSON integer
    raw_ts: object = _MISSING  # playerTime.ts as sent (the sentinel when absent)
    playhead: float | None = None  # playerTime.playhead when it is a finite number
    params: Mapping[str, Any] = field(default_factory=dict)
    qoe: Mapping[str, Any] = field(default_factory=dict)
    custom_metadata: Mapping[str, Any] = field(default_factory=dict)
    keys: frozenset[str] = frozenset()  # the top-level keys present
    # ts when it is plausibly milliseconds since the epoch, else None (read by many rules
    # on every event, so worked out once).
    ms: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ms", self.ts if plausible_ms(self.ts) else None)

    @classmethod
    def of(cls, body: object) -> EventView:
        """Read ``body`` (any value) without raising."""
        if not isinstance(body, dict):
            return cls(body)
        time = body.get("playerTime")
        time = time if isinstance(time, dict) else {}
        raw_ts = time.get("ts", _MISSING)
        ts = raw_ts if isinstance(raw_ts, int) and not isinstance(raw_ts, bool) else None
        type_ = body.get("eventType")
        # Built as a frozen dataclass is, without its per-field object.__setattr__ calls
        # (half of this method's cost, once per event); tests hold it equal to cls(...).
        view = object.__new__(cls)
        view.__dict__.update(
            body=body, type=type_ if isinstance(type_, str) else None, ts=ts, raw_ts=raw_ts,
            playhead=_number(time.get("playhead")), params=_mapping(body.get("params")),
            qoe=_mapping(body.get("qoeData")),
            custom_metadata=_mapping(body.get("customMetadata")),
            keys=frozenset(map(str, body)), ms=ts if plausible_ms(ts) else None)
        return view

    @property
    def known(self) -> bool:
        """True when ``eventType`` is one of the catalogue's wire values."""
        return self.type in EVENT_NAMES

    @property
    def has_ts(self) -> bool:
        return self.raw_ts is not _MISSING


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at: the event, the sequence before it, limits, schema errors."""

    event: EventView
    state: SequenceState
    limits: Limits
    schema_errors: tuple[SchemaError, ...] = ()
    # Who decides what a body may hold when not our catalogue (a target's schemas, issue
    # 17): the rules that read the catalogue's shape then leave it to schema_errors.
    schema_authority: str = ""
    # The event's type when it is a catalogue one, else None (read by nearly every rule,
    # so worked out once).
    type: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", self.event.type if self.event.known else None)

    @classmethod
    def of(cls, event: EventView, state: SequenceState, limits: Limits,
           schema_errors: tuple[SchemaError, ...] = (), schema_authority: str = "") -> Context:
        """``Context(...)`` without a frozen dataclass's per-field ``object.__setattr__``
        (the advisor builds one per event); tests hold the two equal."""
        context = object.__new__(cls)
        context.__dict__.update(event=event, state=state, limits=limits,
                                schema_errors=schema_errors,
                                schema_authority=schema_authority,
                                type=event.type if event.known else None)
        return context


@dataclass(frozen=True)
class Advice:
    """What a rule says: a message, and a severity when it differs from the rule's own."""

    message: str
    severity: Severity | None = None


Check = Callable[[Context], Iterable[Advice]]


@dataclass(frozen=True)
class Rule:
    """One registered rule: stable code, highest severity, summary, spec reference, check."""

    code: str
    severity: Severity
    summary: str
    spec: str
    phase: Phase
    check: Check
    # The event types the check can fire on at all (its first test), or None for any:
    # run_rules skips the rule for other types (a ping runs a third fewer rules).
    types: frozenset[str] | None = None

    def finding(self, advice: Advice) -> Finding:
        """The Finding for one piece of advice from this rule."""
        return Finding(self.code, advice.severity or self.severity, advice.message, self.spec)

    def run(self, context: Context) -> list[Finding]:
        """This rule's findings for ``context``."""
        return [self.finding(a) for a in self.check(context)]


class _Registry(list[Rule]):
    """The rule list; ``version`` changes with every change to it (run_rules caches by it)."""

    version = 0

    def _changed(self) -> None:
        self.version += 1

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def append(self, value: Rule) -> None:
        super().append(value)
        self._changed()

    def insert(self, index: Any, value: Rule) -> None:
        super().insert(index, value)
        self._changed()

    def remove(self, value: Rule) -> None:
        super().remove(value)
        self._changed()


REGISTRY: _Registry = _Registry()


def rule(code: str, severity: Severity, summary: str, spec: str,
         phase: Phase = Phase.SEQUENCE,
         types: Iterable[str] | None = None) -> Callable[[Check], Check]:
    """Register the decorated check under ``code`` (codes are unique).

    ``types``: the only event types the check can say anything about (it tests
    ``ctx.type`` first); tests/inspector/test_rule_types.py holds every rule silent on the
    others.
    """
    def register(check: Check) -> Check:
        if any(r.code == code for r in REGISTRY):
            raise ValueError(f"duplicate rule code {code}")
        REGISTRY.append(Rule(code, severity, summary, spec, phase, check,
                             None if types is None else frozenset(types)))
        return check
    return register
