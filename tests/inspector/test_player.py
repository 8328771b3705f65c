"""The simulated player: states, playhead and ping cadence, with a ManualClock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.clock import EPOCH_2026, ManualClock
from inspector.player import DAY, PingOptions, Player, PlayerState
from inspector.protocol.catalogue import EVENT_NAMES


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def _started(clock: ManualClock, length: float = 600.0, content_type: str = "vod") -> Player:
    player = Player(clock)
    player.apply("sessionStart", {"media.length": length, "media.contentType": content_type})
    return player


def test_playhead_moves_only_while_content_plays(clock: ManualClock) -> None:
    player = _started(clock)
    clock.advance(5)
    assert player.playhead == 0 and player.state is PlayerState.STARTING
    player.apply("play")
    clock.advance(10)
    assert player.playhead == 10
    for hold, expected_state in (("pauseStart", PlayerState.PAUSED),
                                 ("bufferStart", PlayerState.BUFFERING)):
        player.apply(hold)
        clock.advance(7)
        assert player.playhead == 10 and player.state is expected_state
    player.apply("play")
    clock.advance(1)
    assert player.playhead == 11


def test_playhead_frozen_through_an_ad_break_then_content_resumes(clock: ManualClock) -> None:
    player = _started(clock)
    player.apply("play")
    clock.advance(21)
    player.apply("adBreakStart")
    player.apply("adStart")
    assert player.state is PlayerState.IN_AD and player.ad_open
    clock.advance(8)
    player.apply("adComplete")
    assert player.state is PlayerState.IN_BREAK and player.playhead == 21
    player.apply("adBreakComplete")  # timeline 1, t54: no play follows, content goes on
    clock.advance(6)
    assert player.state is PlayerState.PLAYING and player.playhead == 27


def test_pre_roll_waits_for_play(clock: ManualClock) -> None:
    player = _started(clock)
    player.apply("adBreakStart")
    player.apply("adStart")
    clock.advance(22)
    player.apply("adComplete")
    player.apply("adBreakComplete")
    assert player.state is PlayerState.STARTING and player.playhead == 0
    player.apply("play")
    clock.advance(8)
    assert player.playhead == 8


def test_vod_stops_at_length_and_seek_jumps(clock: ManualClock) -> None:
    player = _started(clock, length=60.33)
    player.apply("play")
    clock.advance(100)
    assert player.playhead == 60.33
    player.seek(12)
    assert player.playhead == 12
    player.seek(-5)
    assert player.playhead == 0


def test_live_playhead_is_second_of_day_and_wraps(clock: ManualClock) -> None:
    clock.set(EPOCH_2026 + DAY - 5)  # 23:59:55
    player = _started(clock, length=86400, content_type="live")
    assert player.live and player.playhead == DAY - 5
    player.apply("play")
    clock.advance(8)
    assert player.playhead == pytest.approx(3)


def test_ts_strictly_increasing_even_when_the_clock_stands_still(clock: ManualClock) -> None:
    player = _started(clock)
    stamps = [player.stamp().ts for _ in range(5)]
    assert stamps == list(range(stamps[0], stamps[0] + 5))
    assert stamps[0] == int(EPOCH_2026 * 1000)


def _pings(player: Player, clock: ManualClock, until: float) -> list[float]:
    sent = []
    while (due := player.next_ping_at()) is not None and due <= until:
        clock.set(max(clock.now(), due))
        player.ping_sent(due)
        sent.append(due - player.session_started_at)
    clock.set(max(clock.now(), until))
    return sent


def test_ping_grid_10s_in_content_1s_in_ads(clock: ManualClock) -> None:
    player = _started(clock)
    start = clock.now()
    player.apply("adBreakStart")
    player.apply("adStart")
    in_ad = _pings(player, clock, start + 22)
    assert in_ad == [float(s) for s in range(1, 23)]
    player.apply("adComplete")
    player.apply("adBreakComplete")
    player.apply("play")
    content = _pings(player, clock, start + 60)
    assert content == [30.0, 40.0, 50.0, 60.0]  # spec §6.4: the grid from session start


def test_pings_stop_at_session_end_and_can_be_switched_off(clock: ManualClock) -> None:
    player = _started(clock)
    player.apply("sessionEnd")
    assert player.next_ping_at() is None and player.state is PlayerState.CLOSED
    quiet = Player(clock, pings=PingOptions(enabled=False))
    quiet.apply("sessionStart", {})
    assert quiet.next_ping_at() is None
    slow = Player(clock, pings=PingOptions(interval=25))
    slow.apply("sessionStart", {})
    assert slow.next_ping_at() == clock.now() + 25


def test_generated_params_count_up(clock: ManualClock) -> None:
    player = _started(clock)
    first_pod = player.defaults("adBreakStart")
    assert first_pod["media.ad.podIndex"] == 1 and first_pod["media.ad.podSecond"] == 0
    player.apply("adBreakStart", first_pod)
    ads = []
    for _ in range(2):
        ad = player.defaults("adStart")
        ads.append(ad)
        player.apply("adStart", ad)
        player.apply("adComplete")
    assert [a["media.ad.podPosition"] for a in ads] == [1, 2]  # I4: 1-based
    assert ads[0]["media.ad.id"] != ads[1]["media.ad.id"]
    player.apply("adBreakComplete")
    assert player.defaults("adBreakStart")["media.ad.podIndex"] == 2
    assert player.defaults("adStart")["media.ad.podPosition"] == 1
    player.apply("stateStart", {"media.state.name": "fullscreen"})
    assert player.defaults("stateStart")["media.state.name"] != "fullscreen"
    assert player.defaults("stateEnd")["media.state.name"] == "fullscreen"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(EVENT_NAMES + ("seek",)),
                          st.floats(min_value=0, max_value=120)), max_size=40))
def test_any_click_sequence_keeps_ts_increasing_and_playhead_in_range(steps) -> None:
    clock = ManualClock()
    player = _started(clock, length=300)
    last = 0
    for action, seconds in steps:
        clock.advance(seconds)
        if action == "seek":
            player.seek(seconds * 3)
            continue
        stamp = player.stamp()
        player.apply(action, player.defaults(action))
        assert stamp.ts > last and 0 <= stamp.playhead <= 300
        last = stamp.ts
