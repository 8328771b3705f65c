"""Replay: drive a Session through a scenario's steps in simulated time.

At max speed the clock jumps from one due moment (a step or an auto ping) to the next; at a
finite speed it runs on its own and the replayer sleeps in real time. Pause and stop work
between moments, so the window can animate a replay (demo mode) and halt it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from ..clock import ManualClock, VirtualClock
from ..exchange import Exchange
from ..session import Session
from ..signals import Signal
from .model import Scenario, Step

__all__ = ["Replayer", "StepRecord"]

ServerClockHook = Callable[[float], Awaitable[None]]


@dataclass
class StepRecord:
    """A step as run: its exchange (None for seek and wait) and the sim time it ran at."""

    step: Step
    exchange: Exchange | None
    at: float


class Replayer:
    """Runs one scenario on one session; ``stepped(index)`` fires after each step."""

    def __init__(self, scenario: Scenario, session: Session, *,
                 advance_server: ServerClockHook | None = None) -> None:
        clock = session.clock
        if not isinstance(clock, (VirtualClock, ManualClock)):
            raise TypeError("a replay needs a VirtualClock or ManualClock on its session")
        self.scenario, self.session, self.clock = scenario, session, clock
        self.advance_server = advance_server
        self.records: list[StepRecord] = []
        self.stepped: Signal[[int]] = Signal()
        self._running = asyncio.Event()
        self._running.set()
        self._stopped = False
        self._t0 = clock.now()

    # -- controls (for the window) ------------------------------------------------------

    def pause(self) -> None:
        """Hold simulated time and the next step until :meth:`resume`."""
        if isinstance(self.clock, VirtualClock) and self.clock.speed:
            self._speed = self.clock.speed
            self.clock.set_speed(0.0)
        self._running.clear()

    def resume(self) -> None:
        if isinstance(self.clock, VirtualClock) and self.clock.speed == 0.0:
            self.clock.set_speed(getattr(self, "_speed", 1.0))
        self._running.set()

    def stop(self) -> None:
        """End the replay after the current moment; nothing more is sent."""
        self._stopped = True
        self._running.set()

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the replay began."""
        return self.clock.now() - self._t0

    # -- running ------------------------------------------------------------------------

    async def run(self) -> list[StepRecord]:
        """Run every step (and due pings) in order; returns what each step produced."""
        for index, step in enumerate(self.scenario.steps):
            await self._advance_to(self._t0 + step.at)
            if self._stopped:
                break
            self.records.append(StepRecord(step, await self._perform(step), self.elapsed))
            self.stepped.emit(index)
        end = self.scenario.options.end_at
        if end is not None and not self._stopped:
            await self._advance_to(self._t0 + end)
        return self.records

    async def _perform(self, step: Step) -> Exchange | None:
        s = self.session
        if step.body is not None:
            return await s.send_body(step.body)
        if step.do == "seek":
            s.seek(float(step.to or 0.0))
            return None
        event_type = step.event_type
        if event_type is None:  # wait
            return None
        if event_type == "sessionStart":
            params = {**self.scenario.media, **(step.params or {})}
            return await s.start(params, step.custom_metadata)
        return await s.send(event_type, step.params, step.qoe, step.custom_metadata)

    async def _advance_to(self, target: float) -> None:
        """Move time to ``target``, sending each auto ping at its moment on the way."""
        while not self._stopped:
            await self._running.wait()
            due = self.session.player.next_ping_at()
            moment = target if due is None else min(due, target)
            await self._wait_until(moment)
            pings = self.session.tick()
            if pings:
                await asyncio.gather(*pings)
            if moment >= target:
                return

    async def _wait_until(self, moment: float) -> None:
        gap = moment - self.clock.now()
        if gap <= 0:
            return
        clock = self.clock
        if not isinstance(clock, VirtualClock) or clock.speed is None:
            self.clock.advance(gap)
            if self.advance_server is not None:
                await self.advance_server(gap)
            await asyncio.sleep(0)  # let answers and observers run between moments
            return
        while (gap := moment - self.clock.now()) > 0 and not self._stopped:
            await self._running.wait()
            await asyncio.sleep(min(gap / (clock.speed or 1.0), 0.25))


def describe(step: Step) -> dict[str, Any]:
    """A step as a short dict (progress lines and the window's scenario view)."""
    return {"at": step.at, "do": step.do or "body", "line": step.line}
