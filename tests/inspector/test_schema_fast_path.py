"""The compiled schema check agrees with the reference validator (jsonschema) on every body.

``validate_body`` trusts the compiled check for bodies it passes, so a body the compiled
code passes but jsonschema rejects would lose a finding: these tests look for one.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.protocol.bodies import sample_body
from inspector.protocol.catalogue import EVENT_NAMES, params_for, qoe_params, sample_value
from inspector.protocol.schemas import full_validation, validate_body

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from([0, -1, 0.0, -0.0, 1.0, 1.5, "", "0", True, False]))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)


def _full_body(event_type: str) -> dict[str, Any]:
    """A valid body with every parameter the event takes set (the common case: valid)."""
    body = sample_body(event_type, ts=1767225600000, playhead=12.5)
    params = {p.key: sample_value(p) for p in params_for(event_type)}
    if params:
        body["params"] = params
    return body


def _agree(body: Any) -> None:
    event_type = body.get("eventType") if isinstance(body, dict) else None
    if not isinstance(event_type, str) or event_type not in EVENT_NAMES:
        return  # validate_body answers these itself, before any schema
    assert validate_body(body) == full_validation(event_type, body)


def test_valid_bodies_of_every_event_pass_both() -> None:
    for name in EVENT_NAMES:
        for body in (sample_body(name), _full_body(name)):
            assert full_validation(name, body) == [] and validate_body(body) == []


_PLACES = ["playerTime.playhead", "playerTime.ts", "playerTime", "eventType", "params",
           "qoeData", "customMetadata", "extra", "playerTime.extra", "params.not.a.param",
           "qoeData.media.qoe.bitrate", "customMetadata.series_tier",
           "customMetadata.bad key!", *(f"params.{p.key}" for p in qoe_params()[:3])]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(EVENT_NAMES), st.booleans(),
       st.lists(st.tuples(st.sampled_from(_PLACES), st.booleans(), _VALUES), max_size=3),
       st.data())
def test_mutated_bodies_get_the_same_verdict(name, full, mutations, data) -> None:
    body = copy.deepcopy(_full_body(name) if full else sample_body(name))
    keys = [f"params.{k}" for k in body.get("params", {})]
    if keys:
        mutations.append((data.draw(st.sampled_from(keys)), data.draw(st.booleans()),
                          data.draw(_VALUES)))
    for place, delete, value in mutations:
        head, _, rest = place.partition(".")
        target: Any = body
        if rest and head in ("playerTime", "params", "qoeData", "customMetadata"):
            if not isinstance(body.get(head), dict):
                body[head] = {}
            target, head = body[head], rest
        if delete:
            target.pop(head, None)
        else:
            target[head] = value
    _agree(body)
