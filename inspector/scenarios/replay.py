"""Replay: drive a Session through a scenario's steps in simulated time.

Each step's instant is fixed by the file (``at`` seconds from the start); the session's one
scheduler reaches it, sending the auto pings on the way at theirs, and the speed only sets
how long the wall waits in between (none at max). So a scenario sends the same bodies at
every speed. Pause and stop work between instants, so the window can animate a replay
(demo mode) and halt it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..exchange import Exchange
from ..session import Session
from ..signals import Signal
from .model import Scenario, Step

__all__ = ["Replayer", "StepRecord"]


@dataclass
class StepRecord:
    """A step as run: its exchange (None for seek and wait) and the sim time it ran at."""

    step: Step
    exchange: Exchange | None
    at: float


class Replayer:
    """Runs one scenario on one session at ``speed`` (None: max) from simulated ``start``.

    ``start`` is epoch seconds (None: the wall clock's now). ``began()`` fires once the
    replay drives the session's clock, ``stepped(index)`` after each step.
    """

    def __init__(self, scenario: Scenario, session: Session, *, speed: float | None = None,
                 start: float | None = None) -> None:
        self.scenario, self.session, self.clock = scenario, session, session.clock
        self.speed, self.start = speed, start
        self.records: list[StepRecord] = []
        self.began: Signal[[]] = Signal()
        self.stepped: Signal[[int]] = Signal()
        self._paused = False
        self._stopped = False
        self._t0 = self.clock.now()

    # -- controls (for the window) ------------------------------------------------------

    def pause(self) -> None:
        """Hold simulated time (and so the next step) until :meth:`resume`."""
        if not self._paused:
            self._paused = True
            self.clock.set_speed(0.0)

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            self.clock.set_speed(self.speed)

    def stop(self) -> None:
        """End the replay at the current instant; nothing more is sent."""
        self._stopped = True
        self.clock.interrupt()

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the replay began."""
        return self.clock.now() - self._t0

    # -- running ------------------------------------------------------------------------

    async def run(self) -> list[StepRecord]:
        """Run every step (and due pings) in order; returns what each step produced."""
        async with self.session.scripted(self.speed):
            self.clock.reanchor(self.start)  # a replay is a new session: its own start
            self._t0 = self.clock.now()
            self.began.emit()
            for index, step in enumerate(self.scenario.steps):
                await self._advance_to(self._t0 + step.at)
                if self._stopped:
                    break
                self.records.append(StepRecord(step, await self._perform(step), self.elapsed))
                self.stepped.emit(index)
            end = self.scenario.options.end_at
            if end is not None and not self._stopped:
                await self._advance_to(self._t0 + end)
            await self.session.settle()
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
        """Move time to ``target``, sending each auto ping at its instant on the way."""
        if target > self.clock.now():
            await self.session.run_until(target, keep_going=lambda: not self._stopped)


def describe(step: Step) -> dict[str, Any]:
    """A step as a short dict (progress lines and the window's scenario view)."""
    return {"at": step.at, "do": step.do or "body", "line": step.line}
