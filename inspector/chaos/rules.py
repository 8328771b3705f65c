"""Client-side delivery chaos: the rules, and how they are written in files and on the CLI.

A rule picks events by type (and optionally the n-th occurrence in a session) and says what
the client does to them on the way out: delay, reorder, duplicate, drop, hold the
sessionStart answer back, or fail the call before it leaves. The body is never changed:
``playerTime.ts`` stays what the player meant, so the server sees late or out-of-order ts
(spec §2.3). Delays are on the session clock (:mod:`inspector.clock`), never wall time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Mapping

from ..protocol.catalogue import EVENT_NAMES

__all__ = ["Action", "ChaosError", "ChaosRule", "parse_rule", "REORDER_WINDOW_S",
           "REORDER_WINDOW_EVENTS", "RULE_KEYS"]

# Adobe's reorder window (spec §2.3, our reading of I17): 5 s or 10 buffered events.
REORDER_WINDOW_S = 5.0
REORDER_WINDOW_EVENTS = 10


class ChaosError(ValueError):
    """A rule that cannot be used; ``key`` names the field at fault (for file:line)."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class Action(str, Enum):
    """What a rule does to the events it picks."""

    DELAY = "delay"  # deliver `seconds` later on the session clock; later events overtake
    REORDER = "reorder"  # hold it and the next count-1 non-ping events, deliver them reversed
    DUPLICATE = "duplicate"  # deliver it, then deliver the same body again
    DROP = "drop"  # never deliver it
    # Hold the sessionStart answer `seconds`: the call leaves, but the client has no sid until
    # then, so later events wait in its queue and go out in order once it comes (spec §6.3).
    HOLD_START = "holdStart"
    TIMEOUT = "timeout"  # fail it as a timeout before it leaves: nothing reaches the server
    RESET = "reset"  # fail it as a connection reset before it leaves


_NEEDS_SECONDS = (Action.DELAY, Action.HOLD_START)
RULE_KEYS = ("action", "events", "nth", "seconds", "count", "order", "enabled")


@dataclass(frozen=True)
class ChaosRule:
    """One rule. ``events`` empty: every event type (``holdStart``: sessionStart only)."""

    action: Action
    events: tuple[str, ...] = ()
    nth: int | None = None  # only the n-th matching event of each session (1-based)
    seconds: float = 0.0  # delay / holdStart, on the session clock
    count: int = 2  # reorder: how many events (the picked one included)
    order: str = "reverse"  # reorder: "reverse" or "rotate" (the first one goes last)
    enabled: bool = True
    preset: str = ""  # the preset it came from, if any

    def picks(self, event_type: str | None, occurrence: int) -> bool:
        """True when this rule applies to the ``occurrence``-th matching ``event_type``."""
        if not self.enabled:
            return False
        if self.action is Action.HOLD_START:
            return event_type == "sessionStart"
        if self.events and event_type not in self.events:
            return False
        return self.nth is None or occurrence == self.nth

    def describe(self) -> str:
        """One line a person reads in the panel and the run's output."""
        which = ", ".join(self.events) if self.events else "every event"
        if self.nth is not None:
            which = f"the {_ordinal(self.nth)} {which}"
        return {
            Action.DELAY: f"delay {which} by {self.seconds:g} s",
            Action.REORDER: f"reorder {which} with the next {self.count - 1} non-ping "
                            f"event(s) ({self.order})",
            Action.DUPLICATE: f"send {which} twice",
            Action.DROP: f"drop {which}",
            Action.HOLD_START: f"hold the sessionStart answer back {self.seconds:g} s",
            Action.TIMEOUT: f"time out {which} before it leaves",
            Action.RESET: f"reset the connection of {which} before it leaves",
        }[self.action]

    def toggled(self, enabled: bool) -> ChaosRule:
        return replace(self, enabled=enabled)

    def to_dict(self) -> dict[str, Any]:
        """The rule as a scenario file writes it (defaults left out)."""
        data: dict[str, Any] = {"action": self.action.value}
        if self.events:
            data["events"] = list(self.events)
        if self.nth is not None:
            data["nth"] = self.nth
        if self.action in _NEEDS_SECONDS:
            data["seconds"] = self.seconds
        if self.action is Action.REORDER:
            data.update(count=self.count, order=self.order)
        if not self.enabled:
            data["enabled"] = False
        return data


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(data: Mapping[str, Any], key: str, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ChaosError(f"{key} must be a number of seconds from 0 up, not {value!r}", key)
    return float(value)


def _events(data: Mapping[str, Any]) -> tuple[str, ...]:
    raw = data.get("events", ())
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise ChaosError("events must be an event type or a list of them", "events")
    unknown = [n for n in names if n not in EVENT_NAMES]
    if unknown:
        raise ChaosError(f"unknown event type {unknown[0]!r} (spec §3 lists: "
                         f"{', '.join(EVENT_NAMES)})", "events")
    return tuple(names)


def parse_rule(data: Any, preset: str = "") -> ChaosRule:
    """A rule from its file form (``{action: delay, events: [adStart], seconds: 7}``)."""
    if not isinstance(data, Mapping):
        raise ChaosError("a chaos rule is a mapping with an `action:`")
    extra = [k for k in data if k not in RULE_KEYS]
    if extra:
        raise ChaosError(f"unknown key {extra[0]!r} in a chaos rule (allowed: "
                         f"{', '.join(RULE_KEYS)})", str(extra[0]))
    try:
        action = Action(data.get("action"))
    except ValueError:
        raise ChaosError(f"action must be one of {', '.join(a.value for a in Action)}, not "
                         f"{data.get('action')!r}", "action") from None
    nth, count = data.get("nth"), data.get("count", 2)
    if nth is not None and (isinstance(nth, bool) or not isinstance(nth, int) or nth < 1):
        raise ChaosError(f"nth must be a whole number from 1 up, not {nth!r}", "nth")
    if isinstance(count, bool) or not isinstance(count, int) or not 2 <= count <= 100:
        raise ChaosError(f"count must be a whole number from 2 to 100, not {count!r}", "count")
    order = data.get("order", "reverse")
    if order not in ("reverse", "rotate"):
        raise ChaosError(f"order must be reverse or rotate, not {order!r}", "order")
    if action in _NEEDS_SECONDS and "seconds" not in data:
        raise ChaosError(f"{action.value} needs `seconds:` (on the session clock)", "action")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ChaosError(f"enabled must be true or false, not {enabled!r}", "enabled")
    return ChaosRule(action, _events(data), nth, _number(data, "seconds", 0.0), count, order,
                     enabled, preset)
