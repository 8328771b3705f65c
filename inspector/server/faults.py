"""Fault injection for the next N API calls: a status, a delay, or a dropped connection.

Rules are set through ``/_inspector/faults`` and only ever touch ``/api/v1/`` calls; they
are the only way the mock answers 5xx.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Fault", "FaultTable", "FaultError", "FaultTableFull", "parse_fault"]

_KEYS = {"status", "delay_ms", "drop", "count", "sid", "eventType"}
_MAX_TEXT = 200  # a sid is 64 characters, an event type under 20


class FaultError(ValueError):
    """A fault description that cannot be used; the message says why."""


class FaultTableFull(Exception):
    """The cap on active fault rules is reached."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class Fault:
    """One rule: what happens to the next ``count`` matching calls."""

    count: int = 1
    status: int | None = None
    delay_ms: int = 0
    drop: bool = False
    sid: str | None = None
    eventType: str | None = None  # noqa: N815 - the wire name, as users type it

    def matches(self, sid: str | None, event_type: str | None) -> bool:
        return ((self.sid is None or self.sid == sid)
                and (self.eventType is None or self.eventType == event_type))

    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON, leaving out what is not set (no filter, no delay, no drop)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False, 0)
                or k == "count"}


def _integer(spec: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        shown = repr(value) if len(repr(value)) <= 40 else f"{repr(value)[:40]}..."
        raise FaultError(f"{key} must be an integer from {low} to {high}, got {shown}")
    return value


def _text(spec: dict[str, Any], key: str) -> str | None:
    value = spec.get(key)
    if value is not None and not isinstance(value, str):
        raise FaultError(f"{key} must be a string, got {type(value).__name__}")
    if value is not None and len(value) > _MAX_TEXT:
        raise FaultError(f"{key} must be at most {_MAX_TEXT} characters, got {len(value)}")
    return value


def parse_fault(spec: Any) -> Fault:
    """A Fault from the JSON of ``POST /_inspector/faults``; FaultError when unusable."""
    if not isinstance(spec, dict):
        raise FaultError('expected a JSON object like {"status": 500, "count": 2}')
    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        raise FaultError(f"unknown key(s) {', '.join(unknown)}; use {', '.join(sorted(_KEYS))}")
    drop = spec.get("drop", False)
    if not isinstance(drop, bool):
        raise FaultError(f"drop must be true or false, got {type(drop).__name__}")
    fault = Fault(count=_integer(spec, "count", 1, 1, 1_000_000),
                  status=_integer(spec, "status", 0, 200, 599) if "status" in spec else None,
                  delay_ms=_integer(spec, "delay_ms", 0, 0, 600_000), drop=drop,
                  sid=_text(spec, "sid"), eventType=_text(spec, "eventType"))
    if fault.status is None and not fault.drop and not fault.delay_ms:
        raise FaultError("say what to do: status, delay_ms or drop")
    if fault.drop and fault.status is not None:
        raise FaultError("drop and status exclude each other: a dropped call gets no answer")
    return fault


class FaultTable:
    """Active rules, first match wins; a rule is removed when its count is used up."""

    def __init__(self, max_rules: int = 1_000) -> None:
        self._rules: list[Fault] = []
        self.max_rules = max_rules

    def add(self, fault: Fault) -> None:
        """Add a rule after the others; FaultTableFull at the cap."""
        if len(self._rules) >= self.max_rules:
            raise FaultTableFull(self.max_rules)
        self._rules.append(fault)

    def clear(self) -> int:
        """Remove every rule; return how many there were."""
        count, self._rules = len(self._rules), []
        return count

    def __bool__(self) -> bool:
        """True while some rule is active (the hot path skips matching otherwise)."""
        return bool(self._rules)

    def rules(self) -> list[Fault]:
        return list(self._rules)

    def take(self, sid: str | None, event_type: str | None) -> Fault | None:
        """The rule for this call, if any, using up one of its count."""
        for rule in self._rules:
            if rule.matches(sid, event_type):
                rule.count -= 1
                if rule.count == 0:
                    self._rules.remove(rule)
                return rule
        return None
