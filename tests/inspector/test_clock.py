"""The session clock: instants decided first, wall pacing second (no test sleeps on the wall)."""

from __future__ import annotations

import asyncio
import math

import pytest

from inspector.clock import ManualClock, SessionClock


class Wall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def wall() -> Wall:
    return Wall()


def test_speed_change_keeps_time_continuous(wall: Wall) -> None:
    clock = SessionClock(10, start=0, wall=wall)
    wall.t += 1
    assert clock.now() == 10
    clock.set_speed(60)
    assert clock.now() == 10
    wall.t += 1
    assert clock.now() == 70
    clock.set_speed(None)
    wall.t += 5
    assert clock.now() == 70
    clock.advance(3)
    assert clock.now() == 73


def test_stepped_clock_stands_still_between_instants(wall: Wall) -> None:
    clock = SessionClock(60, start=0, flowing=False, wall=wall)
    wall.t += 100
    assert clock.now() == 0  # a script's sends between two waits share one instant


async def test_flowing_time_never_passes_an_instant_still_waited_for(wall: Wall) -> None:
    clock = SessionClock(10, start=0, wall=wall)
    reaching = asyncio.create_task(clock.reach(5))
    await asyncio.sleep(0)
    wall.t += 3  # 30 simulated seconds later, but the ping due at 5 has not been sent yet
    assert clock.now() == 5
    clock.set_speed(10)  # wakes the nap
    assert await reaching is True
    assert clock.now() == 30  # then it flows on with the wall: no drift, no jump back


async def test_stepped_reach_lands_exactly_on_the_instant_however_late(wall: Wall) -> None:
    clock = SessionClock(60, start=0, flowing=False, wall=wall)
    reaching = asyncio.create_task(clock.reach(15))
    await asyncio.sleep(0)
    wall.t += 0.1
    assert clock.now() == pytest.approx(6)  # views see time move during the wait
    wall.t += 7  # the loop woke far too late (a loaded machine)
    clock.set_speed(60)
    assert await reaching is True
    assert clock.now() == 15
    wall.t += 1
    assert clock.now() == 15


async def test_max_speed_reach_jumps_at_once() -> None:
    clock = ManualClock(start=0)
    assert await clock.reach(600) is True
    assert clock.now() == 600
    assert await clock.reach(10) is True and clock.now() == 600  # never backwards


async def test_interrupt_makes_a_pending_reach_give_up(wall: Wall) -> None:
    clock = SessionClock(1, start=0, wall=wall)
    reaching = asyncio.create_task(clock.reach(math.inf))
    await asyncio.sleep(0)
    clock.interrupt()
    assert await reaching is False
    wall.t += 2
    assert clock.now() == 2  # no horizon left behind


def test_reanchor_starts_a_new_session_at_the_wall_clock(wall: Wall) -> None:
    clock = SessionClock(60, wall=wall)
    wall.t += 3
    assert clock.ahead() == pytest.approx(177)
    clock.reanchor()
    assert clock.ahead() == 0
    clock.reanchor(start=50.0)
    assert clock.now() == 50.0


def test_start_is_a_whole_millisecond(wall: Wall) -> None:
    wall.t = 1000.0004321
    assert SessionClock(wall=wall).now() * 1000 == round(SessionClock(wall=wall).now() * 1000)
