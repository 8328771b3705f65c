"""The advisor: what Adobe's backend will make of each event, as Findings with stable codes.

It derives all of its state from the event bodies it is shown (users can send any raw
body), checks each body against the schema and the sequence so far, and never blocks or
raises: findings warn. The rules themselves live in ``inspector.rules``, one per code.
Spec: ../shared/spec/media-collection-api.md §2, §3, §3.1, §5, §6.
"""

from __future__ import annotations

from dataclasses import replace

from .findings import Finding, Severity
from .protocol.schemas import BodyValidator, SchemaError, validate_body
from .rules import (
    ADVISOR_ERROR,
    RULES,
    Context,
    EventView,
    Limits,
    RuleInfo,
    SequenceState,
    rule_info,
    run_rules,
)
from .rules.base import kind
from .rules.gates import idle_advice, stall_advice
from .rules.state import gone, record

__all__ = ["Advisor", "SequenceState", "RULES", "RuleInfo", "rule_info"]

_SESSION_START = kind("sessionStart")


def _validate(body: object, validator: BodyValidator | None) -> tuple[SchemaError, ...]:
    try:
        return tuple(validator(body) if validator is not None else validate_body(body))
    except Exception as exc:  # e.g. non-string keys from a Python caller
        return (SchemaError("", f"cannot be validated as JSON ({exc!r})", "json"),)


class Advisor:
    """Checks one session's events, in the order they are sent, against spec rules."""

    def __init__(self, *, ping_interval: float = 10.0, ad_ping_interval: float = 1.0,
                 idle_timeout: float = 600.0, stall_timeout: float = 1800.0,
                 warn_margin: float = 60.0, validator: BodyValidator | None = None) -> None:
        # Whose schemas judge each body: None, our catalogue's; or a target's (issue 17).
        self.validator = validator
        self._limits = Limits(ping_interval, ad_ping_interval, idle_timeout, stall_timeout,
                              warn_margin)
        self._state = SequenceState()

    @property
    def state(self) -> SequenceState:
        """The sequence so far, as the backend sees it (an immutable snapshot)."""
        return self._state

    @property
    def limits(self) -> Limits:
        return self._limits

    def set_ping_intervals(self, interval: float, ad_interval: float) -> None:
        """The cadence the player pings at from now on (the cadence rules judge by it)."""
        self._limits = replace(self._limits, ping_interval=interval,
                               ad_ping_interval=ad_interval)

    def check(self, body: object) -> list[Finding]:
        """The findings for ``body`` as the next event, without recording it."""
        return self._evaluate(body)[0]

    def advise(self, body: object) -> list[Finding]:
        """The findings for ``body``, then record it into the sequence. Never raises."""
        findings, view, accepted = self._evaluate(body)
        try:
            self._state = record(self._state, view, self._limits, accepted)
        except Exception as exc:  # keep the old state; report the bug, never raise
            findings.append(Finding(ADVISOR_ERROR.code, ADVISOR_ERROR.severity,
                                    f"recording this event failed: {exc!r}; please report it"))
        return findings

    def expiry_findings(self, now_ms: int) -> list[Finding]:
        """Findings about the 10-minute idle and 30-minute stall timeouts at ``now_ms``."""
        found: list[Finding] = []
        for code, helper in (("SESSION_IDLE_EXPIRY", idle_advice),
                             ("PLAYHEAD_STALL_EXPIRY", stall_advice)):
            advice = helper(self._state, now_ms, self._limits, ahead=True)
            if advice and not (found and found[0].severity is Severity.ERROR):
                info = rule_info(code)
                found.append(Finding(code, advice.severity or info.severity, advice.message,
                                     info.spec))
        return found

    def time_left(self, now_ms: int) -> dict[str, float]:
        """Seconds until the backend closes an open session: ``idle`` (10 minutes without
        events) and ``stall`` (30 minutes with the playhead unmoved), spec §6.2."""
        state, limits = self._state, self._limits
        if not state.open:
            return {}
        left = {}
        if state.last_ts is not None:
            left["idle"] = limits.idle_timeout - (now_ms - state.last_ts) / 1000
        if state.playhead_since_ts is not None:
            left["stall"] = limits.stall_timeout - (now_ms - state.playhead_since_ts) / 1000
        return left

    def session_gone(self, status: int) -> None:
        """The server answered ``status`` (404/410): later events are after the close."""
        self._state = gone(self._state, f"the server (it answered {status})")

    def reset(self) -> None:
        """Forget the sequence: a new session begins."""
        self._state = SequenceState()

    def _evaluate(self, body: object) -> tuple[list[Finding], EventView, bool]:
        view = EventView.of(body)
        errors = _validate(body, self.validator)
        # A sessionStart opens a new session: judge it on its own, not against the old one.
        state = SequenceState() if view.type == _SESSION_START else self._state
        authority = self.validator.authority if self.validator is not None else ""
        found = run_rules(Context.of(view, state, self._limits, errors, authority))
        return found, view, not errors
