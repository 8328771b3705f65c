"""Meant versus seen: what the player meant, what left the client, what the server processed.

Pure: bodies in, comparison out. The meant session is reported over the events in the
order the player meant them; the delivered ones in the order they left. What the server
processed comes from the embedded backend's own report when there is one, otherwise it is
predicted with the backend's reorder window (spec §2.3: 5 s or 10 events, sorted by ts,
sessionStart skips it; the same :class:`~inspector.server.reorder.ReorderBuffer` our
backend runs). Metrics come from :mod:`inspector.metrics`, sequence differences from
:mod:`inspector.diff`; nothing here counts time itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..diff import SessionView, diff_sessions
from ..metrics import metric, metric_values
from ..report import SessionReport
from ..server.reorder import ReorderBuffer
from .rules import REORDER_WINDOW_EVENTS, REORDER_WINDOW_S

__all__ = ["ChaosEffects", "MetricChange", "compare", "late_events", "predict_processing",
           "report_of", "COMPARED_METRICS"]

Body = dict[str, Any]
COMPARED_METRICS = ("media_starts", "content_starts", "content_completes",
                    "content_time_spent", "ad_starts", "ad_completes", "ad_time_spent",
                    "media_time_spent", "average_minute_audience", "pause_events",
                    "total_pause_duration", "buffer_events", "total_buffer_duration")


@dataclass(frozen=True)
class MetricChange:
    """One Adobe metric (spec §10) that differs between the meant and the seen session."""

    key: str
    meant: Any
    seen: Any

    def __str__(self) -> str:
        return f"{metric(self.key).name}: meant {self.meant}, the server {self.seen}"


@dataclass
class ChaosEffects:
    """The comparison, ready to print or export (:meth:`to_dict`)."""

    rules: list[str]
    affected: list[dict[str, Any]]
    meant: list[Body]
    delivered: list[Body]
    processed: list[Body]
    source: str  # where ``processed`` comes from: the server's report, or the prediction
    arrived_out_of_order: list[str] = field(default_factory=list)
    processed_late: list[str] = field(default_factory=list)
    metric_changes: list[MetricChange] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    meant_metrics: dict[str, Any] = field(default_factory=dict)
    seen_metrics: dict[str, Any] = field(default_factory=dict)
    server_findings: list[str] = field(default_factory=list)

    @property
    def never_sent(self) -> int:
        """Meant events that never left the client (dropped, failed before leaving)."""
        return sum(not a["sent"] for a in self.affected if "sent" in a)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules, "affected": self.affected, "source": self.source,
            "meant": _sequence(self.meant), "delivered": _sequence(self.delivered),
            "processed": _sequence(self.processed),
            "arrivedOutOfOrder": self.arrived_out_of_order,
            "processedLate": self.processed_late,
            "changedMetrics": [{"metric": c.key, "name": metric(c.key).name,
                                "meant": c.meant, "server": c.seen}
                               for c in self.metric_changes],
            "meantMetrics": self.meant_metrics, "serverMetrics": self.seen_metrics,
            "serverFindings": self.server_findings, "differences": self.differences,
        }

    def lines(self) -> list[str]:
        """The comparison as a person reads it (the run's output, the window's panel)."""
        out = [f"chaos on: {'; '.join(self.rules) or 'no rule enabled'}"]
        out += [f"  #{a['seq']} {a['eventType']}: {a['chaos']}" for a in self.affected]
        out.append(f"  meant {len(self.meant)} event(s), {len(self.delivered)} left the client "
                   f"({self.never_sent} never did), {len(self.processed)} processed "
                   f"({self.source})")
        out += [f"  arrived out of order: {x}" for x in self.arrived_out_of_order]
        out += [f"  processed out of order (late for the window, spec §2.3): {x}"
                for x in self.processed_late]
        out += [f"  metric changed: {c}" for c in self.metric_changes]
        if not self.metric_changes:
            out.append("  no metric changed: no Adobe metric (spec §10) differs between the "
                       "meant session and the server's report")
        out += [f"  {d}" for d in self.differences if not d.startswith("metrics:")]
        return out


def _ts(body: Mapping[str, Any]) -> int | None:
    pt = body.get("playerTime")
    ts = pt.get("ts") if isinstance(pt, dict) else None
    return ts if isinstance(ts, int) and not isinstance(ts, bool) else None


def _sequence(bodies: list[Body]) -> list[dict[str, Any]]:
    first = next((t for t in map(_ts, bodies) if t is not None), None)
    return [{"eventType": b.get("eventType"),
             "at": None if first is None or _ts(b) is None else ((_ts(b) or 0) - first) / 1000}
            for b in bodies]


def late_events(bodies: list[Body]) -> list[str]:
    """Each event whose ts is below one that came before it, named with both instants."""
    first = next((t for t in map(_ts, bodies) if t is not None), 0)
    found, latest, latest_type = [], None, ""
    for body in bodies:
        ts = _ts(body)
        if ts is None:
            continue
        if latest is not None and ts < latest:
            found.append(f"{body.get('eventType')} (meant at {(ts - first) / 1000:g} s) after "
                         f"{latest_type} (at {(latest - first) / 1000:g} s)")
        elif latest is None or ts > latest:
            latest, latest_type = ts, str(body.get("eventType"))
    return found


def report_of(bodies: Iterable[Body]) -> dict[str, Any]:
    """The session report (spec §10) of ``bodies`` in this order."""
    report = SessionReport()
    for body in bodies:
        report.add(body)
    return report.to_dict()


def predict_processing(arrivals: Iterable[tuple[float, Body]], *,
                       window: float = REORDER_WINDOW_S,
                       max_events: int = REORDER_WINDOW_EVENTS) -> list[Body]:
    """The order Adobe's backend processes events arriving at (instant, body), spec §2.3."""
    buffer: ReorderBuffer[Body] = ReorderBuffer(window, max_events)
    processed: list[Body] = []
    for at, body in arrivals:
        processed += buffer.due(at)
        if body.get("eventType") == "sessionStart":
            processed.append(body)  # skips the window
        else:
            processed += buffer.push(body, _ts(body) or 0, at)
    return processed + buffer.flush()


def compare(rules: list[str], affected: list[dict[str, Any]], meant: list[Body],
            arrivals: list[tuple[float, Body]],
            server: Mapping[str, Any] | None = None) -> ChaosEffects:
    """Meant against seen; ``server`` is the embedded backend's session detail, if any."""
    delivered = [body for _, body in arrivals]
    if server is not None and isinstance(server.get("events"), list):
        processed, seen_report = list(server["events"]), dict(server["report"])
        source = "the embedded backend's own report"
        findings = [str(f.get("message")) for f in server.get("findings", [])
                    if isinstance(f, dict)]
    else:
        processed = predict_processing(arrivals)
        seen_report, findings = report_of(processed), []
        source = "predicted with the spec §2.3 reorder window (the target has no report)"
    meant_report = report_of(meant)
    mine, theirs = metric_values(meant_report), metric_values(seen_report)
    changes = [MetricChange(k, mine.get(k), theirs.get(k)) for k in COMPARED_METRICS
               if mine.get(k) != theirs.get(k)]
    diff = diff_sessions(SessionView("server", processed, seen_report),
                         SessionView("meant", meant, meant_report))
    return ChaosEffects(rules, affected, meant, delivered, processed, source,
                        late_events(delivered), late_events(processed), changes,
                        [str(d) for d in diff],
                        {k: mine.get(k) for k in COMPARED_METRICS},
                        {k: theirs.get(k) for k in COMPARED_METRICS}, findings)
