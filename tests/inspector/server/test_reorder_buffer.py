"""ReorderBuffer on its own (spec §2.3): a push first releases what the window made due."""

from __future__ import annotations

from inspector.server.reorder import ReorderBuffer


def test_a_push_after_the_window_releases_the_old_window_and_opens_a_new_one() -> None:
    buffer: ReorderBuffer[str] = ReorderBuffer(5.0, 10)
    assert buffer.push("a", 3, 0.0) == [] and buffer.push("b", 1, 1.0) == []
    assert buffer.push("c", 2, 5.0) == ["b", "a"]  # due at 0 + 5: sorted by ts
    assert buffer.push("d", 1, 9.0) == []  # the new window opened at 5, with c
    assert buffer.push("e", 9, 10.0) == ["d", "c"]
    assert len(buffer) == 1 and buffer.due(14.9) == [] and buffer.due(15.0) == ["e"]


def test_max_events_releases_everything_sorted_ties_in_arrival_order() -> None:
    buffer: ReorderBuffer[str] = ReorderBuffer(5.0, 4)
    assert [buffer.push(name, ts, 0.1 * i) for i, (name, ts) in
            enumerate([("x", 7), ("y", 2), ("z", 7)])] == [[], [], []]
    assert buffer.push("w", 2, 0.4) == ["y", "w", "x", "z"] and len(buffer) == 0


def test_a_disabled_window_releases_each_event_at_once() -> None:
    for buffer in (ReorderBuffer[str](0.0, 10), ReorderBuffer[str](5.0, 1)):
        assert not buffer.enabled and buffer.push("a", 5, 0.0) == ["a"]
