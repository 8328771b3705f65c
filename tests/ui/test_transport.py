"""The transport's speed box: the user's speed, or a replay's while one runs."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.timeline.transport import SPEEDS, Transport


def test_a_replay_shows_its_speed_then_gives_the_users_back_without_emitting(
        qtbot: QtBot) -> None:
    transport = Transport()
    qtbot.addWidget(transport)
    transport.set_speed(2.0)
    emitted: list[float] = []
    transport.speed_changed.connect(emitted.append)

    transport.show_replay_speed(10.0)
    assert transport.speed.currentText() == "10×" and not transport.speed.isEnabled()
    transport.show_replay_speed(None)  # "max" is not a transport speed: shown for the replay
    assert transport.speed.currentText() == "max" and transport.speed.count() == len(SPEEDS) + 1
    assert transport.end_replay() == 2.0
    assert transport.speed.currentText() == "2×" and transport.speed.isEnabled()
    assert transport.speed.count() == len(SPEEDS) and emitted == []
    assert transport.end_replay() == 2.0  # harmless without a replay
