"""Rules that name the event types they fire on are silent on every other type."""

from __future__ import annotations

from typing import Any

from inspector.advisor import Advisor
from inspector.protocol.bodies import sample_body
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.rules import Context, EventView, SequenceState
from inspector.rules.base import REGISTRY
from tests.inspector.server.adobe_timelines import TIMELINE_1, TIMELINE_2, TIMELINE_3, timeline


def _states() -> list[SequenceState]:
    """Every state the advisor passes through over spec §7's timelines and odd sequences."""
    odd = [(0, 0, "sessionStart"), (0, 0, "adBreakStart"), (1, 0, "adStart"),
           (2, 0, "chapterStart"), (3, 0, "stateStart"), (4, 0, "adBreakStart"),
           (5, 0, "adStart"), (6, 0, "adStart"), (7, 0, "play"), (8, 0, "ping"),
           (9, 0, "sessionEnd"), (10, 0, "ping")]
    states = [SequenceState()]
    for rows in (TIMELINE_1, TIMELINE_2, TIMELINE_3, odd):
        advisor = Advisor()
        for body in timeline(rows):
            advisor.advise(body)
            states.append(advisor.state)
    return states


def _bodies() -> list[dict[str, Any]]:
    """Each event type's sample body, also carrying every other type's params and metadata."""
    samples = {name: sample_body(name, ts=1767225600000 + 5000, playhead=5)
               for name in EVENT_NAMES}
    extras: dict[str, Any] = {}
    for body in samples.values():
        extras.update(body.get("params") or {})
    bodies = []
    for body in samples.values():
        bodies.append(body)
        bodies.append({**body, "params": {**extras, "media.ad.podSecond": 0,
                                          "media.state.name": "custom"},
                       "customMetadata": {"a.x": 1, "media.y": "z", "bad key": 2},
                       "qoeData": {"media.qoe.bitrate": 1}})
    return bodies


def test_typed_rules_say_nothing_on_other_event_types() -> None:
    typed = [r for r in REGISTRY if r.types is not None]
    assert len(typed) >= 15
    states, bodies = _states(), _bodies()
    checked = 0
    for rule in typed:
        for body in bodies:
            view = EventView.of(body)
            if view.type in rule.types:
                continue
            for state in states:
                assert list(rule.check(Context(view, state, Advisor().limits))) == [], (
                    rule.code, body["eventType"])
                checked += 1
    assert checked > 10_000
