"""A timing-tolerant diff of two sessions' event sequences: what a player sent against a
reference (a scenario or another run).

Pings are left out of the sequence (how many there are depends on timing) and judged by
count and cadence instead (spec §6.1). The rest is aligned by event type; for each event
matched, its parameters and its time since sessionStart are compared, the time within a
tolerance. The reports' headline metrics (spec §10) are compared last. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .export.redact import REDACTED_KEYS

__all__ = ["SessionView", "Difference", "Row", "aligned_rows", "diff_sessions",
           "DEFAULT_IGNORED_PARAMS", "METRICS"]

# Who is watching and where the data goes differ between any two runs (spec §4.1).
DEFAULT_IGNORED_PARAMS = (*REDACTED_KEYS, "analytics.trackingServer", "analytics.reportSuite")
METRICS = ("time.content", "time.ad", "time.paused", "time.buffering", "ad_breaks.started",
           "ad_breaks.completed", "ads.started", "ads.completed", "chapters.started",
           "chapters.completed", "pauses.count", "buffers.count", "events.ignored",
           "completed")


@dataclass
class SessionView:
    """One session as the diff sees it: the bodies in the order sent, findings, report."""

    label: str
    bodies: list[dict[str, Any]]
    report: dict[str, Any]
    findings: Counter[str] = field(default_factory=Counter)

    def events(self) -> list[tuple[int, dict[str, Any]]]:
        """(index, body) of every event but pings."""
        return [(i, b) for i, b in enumerate(self.bodies) if b.get("eventType") != "ping"]

    def seconds(self, body: dict[str, Any]) -> float | None:
        """Seconds since this session's first event, from playerTime.ts."""
        first, ts = _ts(self.bodies[0]) if self.bodies else None, _ts(body)
        return None if first is None or ts is None else (ts - first) / 1000


@dataclass(frozen=True)
class Difference:
    """One way the session differs from the reference; ``kind`` names which way."""

    kind: str  # missing, extra, out of order, params, timing, pings, metrics
    text: str
    # The bodies it is about (indexes into each side's ``bodies``), for a side-by-side view;
    # None for what belongs to no one event (pings, metrics).
    mine: int | None = field(default=None, compare=False)
    theirs: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


def _ts(body: dict[str, Any]) -> int | None:
    pt = body.get("playerTime")
    ts = pt.get("ts") if isinstance(pt, dict) else None
    return ts if isinstance(ts, int) and not isinstance(ts, bool) else None


def _at(view: SessionView, body: dict[str, Any]) -> str:
    seconds = view.seconds(body)
    return "" if seconds is None else f" at {seconds:g} s"


@dataclass(frozen=True)
class Row:
    """One line of a side-by-side view: a body of each side (indexes into ``bodies``), or
    None where the other side has an event this one does not."""

    mine: int | None
    theirs: int | None


def _opcodes(got: SessionView, ref: SessionView) -> Sequence[tuple[str, int, int, int, int]]:
    """How the event types (pings left out) line up, as difflib's opcodes on events()."""
    a, b = got.events(), ref.events()
    matcher = difflib.SequenceMatcher(None, [x[1].get("eventType") for x in a],
                                      [x[1].get("eventType") for x in b], autojunk=False)
    return matcher.get_opcodes()


def aligned_rows(got: SessionView, ref: SessionView) -> list[Row]:
    """Both sessions' events (no pings) side by side, in the alignment the diff uses."""
    a, b = got.events(), ref.events()
    rows: list[Row] = []
    for _op, i1, i2, j1, j2 in _opcodes(got, ref):
        for i, j in itertools.zip_longest(range(i1, i2), range(j1, j2)):
            rows.append(Row(None if i is None else a[i][0], None if j is None else b[j][0]))
    return rows


def _sequence(got: SessionView, ref: SessionView) -> tuple[list[Difference],
                                                           list[tuple[int, int]]]:
    """Missing, extra and out-of-order events; the pairs matched (indexes into events())."""
    a, b = got.events(), ref.events()
    pairs: list[tuple[int, int]] = []
    extra: list[int] = []
    missing: list[int] = []
    for op, i1, i2, j1, j2 in _opcodes(got, ref):
        if op == "equal":
            pairs += zip(range(i1, i2), range(j1, j2), strict=True)
        else:
            extra += range(i1, i2)
            missing += range(j1, j2)
    found: list[Difference] = []
    for j in list(missing):  # the same event type both missing and extra: out of order
        kind = b[j][1].get("eventType")
        i = next((i for i in extra if a[i][1].get("eventType") == kind), None)
        if i is not None:
            extra.remove(i)
            missing.remove(j)
            found.append(Difference("out of order", f"{kind} is event {i + 1} here"
                                    f"{_at(got, a[i][1])}, event {j + 1} in the reference"
                                    f"{_at(ref, b[j][1])}", a[i][0], b[j][0]))
    found += [Difference("missing", f"{b[j][1].get('eventType')} (reference event {j + 1}"
                         f"{_at(ref, b[j][1])})", theirs=b[j][0]) for j in missing]
    found += [Difference("extra", f"{a[i][1].get('eventType')} (event {i + 1}"
                         f"{_at(got, a[i][1])})", mine=a[i][0]) for i in extra]
    return found, pairs


def _params_of(body: dict[str, Any]) -> dict[str, Any]:
    params = body.get("params")
    return params if isinstance(params, dict) else {}


def _params(got: dict[str, Any], ref: dict[str, Any], ignored: set[str]) -> list[str]:
    mine, theirs = _params_of(got), _params_of(ref)
    keys = sorted((set(mine) | set(theirs)) - ignored)
    return [f"{k} {_shown(mine, k)} vs {_shown(theirs, k)}" for k in keys
            if mine.get(k, ...) != theirs.get(k, ...)]


def _shown(params: dict[str, Any], key: str) -> str:
    return repr(params[key]) if key in params else "absent"


def _matched(got: SessionView, ref: SessionView, pairs: list[tuple[int, int]],
             tolerance: float, ignored: set[str]) -> list[Difference]:
    a, b = got.events(), ref.events()
    found = []
    for i, j in pairs:
        mine, theirs = a[i][1], b[j][1]
        name = f"{mine.get('eventType')} (event {i + 1})"
        changed = _params(mine, theirs, ignored)
        if changed:
            found.append(Difference("params", f"{name}: " + "; ".join(changed), a[i][0],
                                    b[j][0]))
        t_got, t_ref = got.seconds(mine), ref.seconds(theirs)
        if t_got is not None and t_ref is not None and abs(t_got - t_ref) > tolerance:
            found.append(Difference("timing", f"{name} at {t_got:g} s, the reference at "
                                    f"{t_ref:g} s (tolerance {tolerance:g} s)", a[i][0],
                                    b[j][0]))
    return found


def _pings(got: SessionView, ref: SessionView) -> list[Difference]:
    mine = sum(b.get("eventType") == "ping" for b in got.bodies)
    theirs = sum(b.get("eventType") == "ping" for b in ref.bodies)
    found = []
    if abs(mine - theirs) > max(1, round(theirs * 0.1)):
        found.append(Difference("pings", f"{mine} pings, the reference {theirs} (spec §6.1: "
                                "every 10 s in content, 1 s in ads)"))
    late, late_ref = got.findings["PING_LATE"], ref.findings["PING_LATE"]
    if late > late_ref:
        found.append(Difference("pings", f"{late} off cadence (PING_LATE), the reference "
                                f"{late_ref}"))
    return found


def _metric(report: dict[str, Any], path: str) -> Any:
    value: Any = report
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _metrics(got: SessionView, ref: SessionView, tolerance: float) -> list[Difference]:
    found = []
    for path in METRICS:
        mine, theirs = _metric(got.report, path), _metric(ref.report, path)
        close = (isinstance(mine, float) or isinstance(theirs, float)) and \
            isinstance(mine, (int, float)) and isinstance(theirs, (int, float)) and \
            abs(mine - theirs) <= tolerance
        if mine != theirs and not close:
            unit = " s" if path.startswith("time.") else ""
            found.append(Difference("metrics", f"{path} {mine}{unit}, the reference "
                                    f"{theirs}{unit}"))
    return found


def diff_sessions(got: SessionView, ref: SessionView, *, tolerance: float = 2.0,
                  ignored_params: Iterable[str] = DEFAULT_IGNORED_PARAMS) -> list[Difference]:
    """Every difference of ``got`` from ``ref``; empty when they match within tolerance."""
    ignored = set(ignored_params)
    order, pairs = _sequence(got, ref)
    return [*order, *_matched(got, ref, pairs, tolerance, ignored), *_pings(got, ref),
            *_metrics(got, ref, tolerance)]
