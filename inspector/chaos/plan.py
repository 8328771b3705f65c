"""A session's chaos plan: what the rules do to each exchange as its lane dequeues it.

The lane (:class:`~inspector.channel.SessionChannel`) asks :meth:`ChaosPlan.intercept`
about every exchange it is about to send. The plan lets it go, or takes it: holds it until
an instant on the session clock (delay, a reorder group), ends it before it leaves (drop,
injected timeout or reset), or sends a copy after it (duplicate). Held exchanges are off
the lane, so later events overtake them; whoever awaits a held one gets it at once, still
queued and marked, and it is sent when the session's scheduler reaches its instant
(:meth:`next_due`, :meth:`release_due`).

A held sessionStart *answer* (``holdStart``) is different: the call leaves at once and the
server has it, but the lane receives its answer only at the instant (:meth:`answer_gate`),
so it has no sid until then and later events wait in the lane's own queue (spec §6.3).
Whoever awaits the start or an event queued behind it gets it at once, still pending
(:meth:`handed`): a replay goes on to its next step, and only the session clock, never an
awaited answer, lets the answer in. Every exchange a rule touched says so in
:attr:`Exchange.chaos`; nothing vanishes.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from ..channel import ChannelState
from ..clock import Clock
from ..exchange import ErrorKind, Exchange, ExchangeState
from ..findings import Finding, Severity
from ..report import SessionReport
from .rules import REORDER_WINDOW_S, Action, ChaosRule

if TYPE_CHECKING:
    from ..channel import SessionChannel

__all__ = ["ChaosPlan", "KEPT"]

KEPT = 20_000  # meant and delivered exchanges kept for the comparison (a long live session)


@dataclass
class _Held:
    due: float  # session-clock instant it is sent at; inf: until its reorder group fills
    exchange: Exchange
    channel: SessionChannel
    since: float


@dataclass
class _Answer:
    """A lane's sessionStart answer, held until ``due`` (``gate`` lets it in)."""

    due: float
    gate: asyncio.Future[None]
    channel: SessionChannel
    exchange: Exchange  # the sessionStart
    parked: list[asyncio.Future[Any]] = field(default_factory=list)  # awaited after it


@dataclass
class _Group:
    rule: ChaosRule
    items: list[_Held] = field(default_factory=list)


def late_delivery(waited: float) -> Finding:
    """The advisor's word on a call chaos held past the reorder window (what Adobe will do)."""
    return Finding(
        "LATE_DELIVERY", Severity.WARNING,
        f"delivered {waited:g} s after the player meant it, past the {REORDER_WINDOW_S:g} s "
        "reorder window: Adobe processes it after the events sent in the meantime, so "
        "what it reports can differ from what the player meant (spec §2.3)", "§2.3")


def _window_note(seconds: float) -> str:
    if seconds > REORDER_WINDOW_S:
        return f"past the {REORDER_WINDOW_S:g} s reorder window, spec §2.3"
    return f"inside the {REORDER_WINDOW_S:g} s reorder window: the backend re-sorts it, §2.3"


class ChaosPlan:
    """The rules of one simulated player, applied lane by lane (one lane per session).

    ``meant`` holds every exchange the player produced, in the order it meant them;
    ``delivered`` every one that left, with the session-clock instant it left at (the
    latest :data:`KEPT` of each).
    """

    def __init__(self, rules: Iterable[ChaosRule], clock: Clock) -> None:
        self.rules: list[ChaosRule] = list(rules)
        self.clock = clock
        self.meant: deque[Exchange] = deque(maxlen=KEPT)
        self.delivered: deque[tuple[float, Exchange]] = deque(maxlen=KEPT)
        self.pending: set[asyncio.Future[Any]] = set()  # released, not yet answered
        self._again: set[int] = set()  # seqs chaos put back on a lane (released, copies)
        self._held: list[_Held] = []
        self._groups: dict[int, _Group] = {}
        self._counts: Counter[tuple[int, str]] = Counter()
        self._answers: dict[int, _Answer] = {}  # lane -> its held sessionStart answer

    @property
    def active(self) -> bool:
        return any(rule.enabled for rule in self.rules)

    @property
    def held(self) -> list[Exchange]:
        return [h.exchange for h in self._held]

    def meant_report(self, lane: int) -> SessionReport:
        """What the player meant on ``lane``, reported in the order it meant it (spec §10):
        the client's own report follows the order the answers came back in instead."""
        report = SessionReport()
        for exchange in self.meant:
            body = exchange.body_json() if exchange.channel == lane else None
            if isinstance(body, dict):
                report.add(body)
        return report

    # -- the lane's hook ----------------------------------------------------------------

    def intercept(self, channel: SessionChannel, exchange: Exchange,
                  future: asyncio.Future[Exchange]) -> bool:
        """Called as ``channel`` dequeues ``exchange``; True when chaos took it."""
        now = self.clock.now()
        if exchange.seq in self._again:  # released from hold, or a duplicate: it goes now
            self._again.discard(exchange.seq)
            self.delivered.append((now, exchange))
            return False
        self.meant.append(exchange)
        kind, lane = exchange.event_type, channel.number
        starting = exchange.url == channel.client.sessions_url
        if starting:
            self._close_group(lane)
        self._counts[lane, kind] += 1
        rule = self._rule_for(lane, kind, self._counts[lane, kind])
        taken = self._apply(rule, channel, exchange, now, starting)
        if taken:
            if not future.done():
                future.set_result(exchange)
        else:
            self.delivered.append((now, exchange))
        return taken

    def _rule_for(self, lane: int, kind: str | None, occurrence: int) -> ChaosRule | None:
        """The rule that decides the ``occurrence``-th ``kind`` of ``lane``: the first that
        picks it."""
        return next((r for r in self.rules if r.picks(kind, occurrence)), None)

    def _apply(self, rule: ChaosRule | None, channel: SessionChannel, exchange: Exchange,
               now: float, starting: bool) -> bool:
        group = self._groups.get(channel.number)
        if group is not None and not starting and exchange.event_type != "ping":
            return self._join(group, channel, exchange, now)
        if rule is None or rule.action is Action.HOLD_START:  # that one: see intercept
            return False
        action = rule.action
        if action is Action.DELAY:
            exchange.chaos = (f"delayed {rule.seconds:g} s on the session clock "
                              f"({_window_note(rule.seconds)})")
            return self._hold(channel, exchange, now + rule.seconds, now)
        if action is Action.REORDER:
            group = self._groups[channel.number] = _Group(rule)
            return self._join(group, channel, exchange, now)
        if action is Action.DUPLICATE:
            self._duplicate(channel, exchange)
            return False
        self._end(channel, exchange, action, starting)
        return True

    def answer_gate(self, lane: int) -> asyncio.Future[None] | None:
        """What lane ``lane`` waits on before it reads its sessionStart answer (None: no hold)."""
        answer = self._answers.get(lane)
        return answer.gate if answer is not None and not answer.gate.done() else None

    def handed(self, channel: SessionChannel, exchange: Exchange,
               future: asyncio.Future[Exchange]) -> asyncio.Future[Exchange]:
        """The future to hand out for ``exchange``, just queued on ``channel``.

        A sessionStart whose answer a rule holds, and every event queued behind a held
        answer, get one resolved now (the exchange still pending and marked); ``future``
        itself is awaited by :attr:`pending` only once the answer is in. Otherwise
        ``future`` itself.
        """
        lane = channel.number
        answer = self._answers.get(lane)
        if answer is None and exchange.url == channel.client.sessions_url:
            rule = self._rule_for(lane, "sessionStart", self._counts[lane, "sessionStart"] + 1)
            if rule is not None and rule.action is Action.HOLD_START:
                answer = self._hold_answer(channel, exchange, rule.seconds)
        if answer is None or answer.gate.done():
            return future
        if answer.exchange is not exchange:
            exchange.chaos = ("queued in the lane behind the held sessionStart answer, due in "
                              f"{answer.due - self.clock.now():g} s (no sid yet, spec §6.3)")
        answer.parked.append(future)
        return _resolved(exchange)

    # -- what rules do ------------------------------------------------------------------

    def _hold_answer(self, channel: SessionChannel, exchange: Exchange,
                     seconds: float) -> _Answer:
        exchange.chaos = (f"answer held back {seconds:g} s on the session clock: the server "
                          "has the call, the client has no sid until then and queues later "
                          "events (spec §6.3)")
        gate: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        answer = self._answers[channel.number] = _Answer(
            self.clock.now() + seconds, gate, channel, exchange)
        self.clock_changed()
        return answer

    def _hold(self, channel: SessionChannel, exchange: Exchange, due: float,
              now: float) -> bool:
        self._held.append(_Held(due, exchange, channel, now))
        channel.client.exchanged.emit(exchange)  # the log shows it held, with its mark
        if due != math.inf:
            self.clock_changed()
        return True

    def _join(self, group: _Group, channel: SessionChannel, exchange: Exchange,
              now: float) -> bool:
        size = group.rule.count
        exchange.chaos = f"held for reordering ({len(group.items) + 1} of {size})"
        self._hold(channel, exchange, math.inf, now)
        group.items.append(self._held[-1])
        if len(group.items) >= size:
            self._close_group(channel.number)
        return True

    def _close_group(self, lane: int) -> None:
        """Release a lane's reorder group now, in the rule's order."""
        group = self._groups.pop(lane, None)
        if group is None:
            return
        items = group.items
        order = items[::-1] if group.rule.order == "reverse" else [*items[1:], items[:1][0]]
        now = self.clock.now()
        for place, held in enumerate(order, 1):
            meant = items.index(held) + 1
            waited = now - held.since
            held.exchange.chaos = (f"reordered: sent {place} of {len(items)}, meant {meant}; "
                                   f"held {waited:g} s ({_window_note(waited)})")
            held.due = now
        self._release(order)

    def _duplicate(self, channel: SessionChannel, exchange: Exchange) -> None:
        client = channel.client
        url = exchange.url if exchange.url == client.sessions_url else ""
        copy = client.new_exchange(url, exchange.request_body, channel.number)
        copy.findings = list(exchange.findings)
        copy.chaos = f"duplicate of #{exchange.seq}: the same body sent again"
        exchange.chaos = f"sent twice: #{copy.seq} repeats it"
        self._again.add(copy.seq)
        client.exchanged.emit(copy)
        self._track(channel.number, channel.requeue([copy]))

    def _end(self, channel: SessionChannel, exchange: Exchange, action: Action,
             starting: bool) -> None:
        if action is Action.DROP:
            exchange.state = ExchangeState.DISCARDED
            exchange.error = "dropped by chaos: never sent, the server saw nothing"
            exchange.chaos = "dropped (never sent)"
        else:
            timeout = action is Action.TIMEOUT
            exchange.state = ExchangeState.FAILED
            exchange.error_kind = ErrorKind.TIMEOUT if timeout else ErrorKind.NETWORK
            what = "a timeout" if timeout else "a connection reset"
            exchange.error = (f"chaos: {what} injected before the request left; nothing "
                              "reached the server")
            exchange.chaos = f"failed by chaos: {what} before it left (never sent)"
        if starting:  # no sid will come: later events stay unsent (spec §6.3)
            channel.state = ChannelState.FAILED
        channel.client.exchanged.emit(exchange)

    # -- time ---------------------------------------------------------------------------

    def clock_changed(self) -> None:
        """Tell whoever schedules on the clock that an instant was added (it recomputes)."""
        interrupt = getattr(self.clock, "interrupt", None)
        if callable(interrupt):
            interrupt()

    def next_due(self) -> float | None:
        """The next session-clock instant a held exchange is sent, or a held answer comes
        in, at (None: none)."""
        return min((*(h.due for h in self._held if h.due != math.inf),
                    *(a.due for a in self._answers.values())), default=None)

    def release_due(self) -> int:
        """Let in each held answer whose instant has come, and send every held exchange
        whose instant has come, in instant then meant order."""
        now = self.clock.now()
        answers = [lane for lane, a in self._answers.items() if a.due <= now + 1e-9]
        due = sorted((h for h in self._held if h.due <= now + 1e-9),
                     key=lambda h: (h.due, h.exchange.seq))
        self._answer(answers)
        self._release(due)
        return len(answers) + len(due)

    def release_all(self) -> int:
        """Let every held answer in and send everything still held now (the run is over):
        open reorder groups first."""
        answers = list(self._answers)
        self._answer(answers)
        for lane in list(self._groups):
            self._close_group(lane)
        rest = sorted(self._held, key=lambda h: (h.due, h.exchange.seq))
        self._release(rest)
        return len(answers) + len(rest)

    def _answer(self, lanes: Iterable[int]) -> None:
        """The held sessionStart answers of ``lanes`` come in: their lanes read the sid and
        send what queued behind it; from now on :meth:`settle` waits for those."""
        for lane in lanes:
            answer = self._answers.pop(lane)
            answer.gate.set_result(None)
            self._track(lane, [*answer.parked, *answer.channel.working()])

    def abandon(self) -> None:
        """The session is closing: what is still held ends discarded, marked as such (a
        held answer is let in, so no lane waits on it for ever)."""
        for answer in self._answers.values():
            answer.gate.set_result(None)
        self._answers.clear()
        for held in self._held:
            held.exchange.state = ExchangeState.DISCARDED
            held.exchange.error = "held by chaos when the session closed: never sent"
            held.channel.client.exchanged.emit(held.exchange)
        self._held.clear()
        self._groups.clear()

    def _release(self, items: list[_Held]) -> None:
        now = self.clock.now()
        for held in items:
            if now - held.since > REORDER_WINDOW_S:
                held.exchange.findings = [*held.exchange.findings, late_delivery(now - held.since)]
        chosen = {id(h) for h in items}
        self._held = [h for h in self._held if id(h) not in chosen]
        by_lane: dict[int, list[_Held]] = {}
        for held in items:
            self._again.add(held.exchange.seq)
            by_lane.setdefault(held.channel.number, []).append(held)
        for lane, group in by_lane.items():
            self._track(lane, group[0].channel.requeue([h.exchange for h in group]))

    def _track(self, lane: int, futures: Iterable[asyncio.Future[Any]]) -> None:
        """Let :meth:`settle` wait for ``futures`` (sent on ``lane``): now, or once the lane's
        held answer is in (before, they wait behind it, and only session time frees it)."""
        answer = self._answers.get(lane)
        if answer is not None:
            answer.parked.extend(futures)
            return
        for future in futures:
            self.pending.add(future)
            future.add_done_callback(self.pending.discard)


def _resolved(exchange: Exchange) -> asyncio.Future[Exchange]:
    future: asyncio.Future[Exchange] = asyncio.get_running_loop().create_future()
    future.set_result(exchange)
    return future
