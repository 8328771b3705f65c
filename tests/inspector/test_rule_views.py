"""EventView.of and Context.of build their frozen dataclasses without __init__ (a shortcut
taken once per event): each must equal what the dataclass constructor makes."""

from __future__ import annotations

import dataclasses
import math

from inspector.advisor import Advisor
from inspector.protocol.bodies import sample_body
from inspector.protocol.catalogue import EVENT_NAMES
from inspector.rules.base import Context, EventView
from inspector.rules.state import SequenceState
from inspector.protocol.schemas import SchemaError


def _bodies() -> list[object]:
    found: list[object] = [sample_body(name, 1767225600000, 1.5) for name in EVENT_NAMES]
    found += [None, 3, "ping", [], {}, {"eventType": 7}, {1: "x", "eventType": "ping"},
              {"eventType": "ping", "playerTime": {"ts": True, "playhead": math.nan}},
              {"eventType": "nope", "playerTime": {"ts": 1.5, "playhead": -1},
               "params": {2: "two"}, "qoeData": [], "customMetadata": {"a": 1}}]
    return found


def test_event_view_of_equals_the_constructed_view() -> None:
    names = {f.name for f in dataclasses.fields(EventView)}
    for body in _bodies():
        view = EventView.of(body)
        assert set(vars(view)) == names, body
        rebuilt = EventView(**{k: v for k, v in vars(view).items() if k != "ms"})
        assert view == rebuilt and view.ms == rebuilt.ms, body
        assert view.keys == (frozenset(str(k) for k in body) if isinstance(body, dict)
                             else frozenset()), body


def test_context_of_equals_the_constructed_context() -> None:
    limits = Advisor().limits
    for body in _bodies():
        view = EventView.of(body)
        for errors, authority in (((), ""), ((SchemaError("a", "b", "type"),), "target")):
            made = Context.of(view, SequenceState(), limits, errors, authority)
            plain = Context(view, made.state, limits, errors, authority)
            assert made == plain and made.type == plain.type, body
            assert set(vars(made)) == {f.name for f in dataclasses.fields(Context)}
