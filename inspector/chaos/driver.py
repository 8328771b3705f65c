"""Putting a chaos plan on a session, delivering what it still holds, and judging the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from .effects import ChaosEffects, MetricChange, compare
from .plan import ChaosPlan
from .rules import ChaosRule

if TYPE_CHECKING:
    from ..session import Session

__all__ = ["attach", "deliver_held", "observe"]


def attach(session: Session, rules: Iterable[ChaosRule]) -> ChaosPlan:
    """A plan of ``rules`` on ``session``'s lanes, from its next exchange on."""
    plan = ChaosPlan(rules, session.clock)
    session.set_chaos(plan)
    return plan


async def deliver_held(session: Session) -> None:
    """Let session time run to each held exchange's instant and send it; then the rest.

    At the end of a run: a delayed event still held is sent at its instant (time passes on
    the session clock, with whatever pings the player would send), an unfinished reorder
    group goes out in its order, and every answer is awaited.
    """
    plan = session.chaos
    if plan is None:
        return
    while (due := plan.next_due()) is not None:
        await session.run_until(max(due, session.clock.now()))
    plan.release_all()
    await session.settle()


def _body(exchange: Any) -> dict[str, Any] | None:
    body = exchange.body_json()
    return body if isinstance(body, dict) else None


async def observe(session: Session) -> ChaosEffects | None:
    """Meant against seen for ``session``'s plan; the embedded backend's report when it has
    one (``/_inspector/sessions/{sid}``), a prediction with the reorder window otherwise."""
    plan = session.chaos
    if plan is None:
        return None
    meant = [b for b in map(_body, plan.meant) if b is not None]
    arrivals = [(at, b) for at, e in plan.delivered if (b := _body(e)) is not None]
    sids = list(dict.fromkeys(e.sid for _, e in plan.delivered
                              if e.sid and e.event_type == "sessionStart"))
    reports = [await session.client.server_report(sid) for sid in sids]
    details = [r for r in reports if isinstance(r, dict)]
    sent = {id(e) for _, e in plan.delivered}
    affected = [{"seq": e.seq, "eventType": e.event_type, "chaos": e.chaos,
                 "sent": id(e) in sent}
                for e in sorted({*plan.meant, *(e for _, e in plan.delivered)},
                                key=lambda e: e.seq) if e.chaos]
    rules = [r.describe() + (f" [{r.preset}]" if r.preset else "")
             for r in plan.rules if r.enabled]
    # With a duplicated sessionStart the later events went to the second session: compare
    # the session that got the most of them.
    main = max(details, key=lambda d: len(d.get("events") or ()), default=None)
    effects = compare(rules, affected, meant, arrivals, main)
    ends = any(b.get("eventType") == "sessionEnd" for b in meant)
    if main is not None and ends and main.get("state") == "open":
        effects.differences.append(
            "open: the player ended the session but the server still has it open; it closes "
            f"by a timeout ({main.get('times_out_because')}, spec §6.2) and reports only then")
    if len(details) > 1:
        effects.differences.append(f"sessions: the server opened {len(details)} sessions for "
                                   "this one view (sids "
                                   + ", ".join(s[:8] for s in sids) + ")")
        starts = sum(d["report"]["starts"]["media"] for d in details)
        effects.metric_changes = [c for c in effects.metric_changes if c.key != "media_starts"]
        meant_starts = effects.meant_metrics.get("media_starts")
        if starts != meant_starts:
            effects.metric_changes.insert(0, MetricChange("media_starts", meant_starts, starts))
            effects.seen_metrics["media_starts"] = starts
    return effects
