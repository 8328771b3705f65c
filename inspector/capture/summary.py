"""Plain-text summaries of captured sessions (``listen`` on Ctrl-C, ``lint``)."""

from __future__ import annotations

from typing import Any, Iterable

from .analysis import CapturedSession

__all__ = ["format_session", "format_sessions", "metrics_line"]


def metrics_line(report: dict[str, Any]) -> str:
    """The headline figures of a report (spec §10), one line."""
    time, ads, breaks = report["time"], report["ads"], report["ad_breaks"]
    chapters, events = report["chapters"], report["events"]
    closed = report["closed"]["reason"] if report.get("closed") else "open"
    return (f"content {time['content']:g}s, ads {time['ad']:g}s, paused {time['paused']:g}s, "
            f"buffering {time['buffering']:g}s; ad breaks {breaks['started']}/"
            f"{breaks['completed']}, ads {ads['started']}/{ads['completed']}, chapters "
            f"{chapters['started']}/{chapters['completed']} (started/completed); "
            f"events {events['processed']} counted, {events['ignored']} ignored; {closed}")


def format_session(session: CapturedSession) -> str:
    """sid, calls, findings by code with severity, notes and the metrics."""
    counts = session.finding_counts()
    severity = {f.code: f.severity.value for f in session.findings}
    found = ", ".join(f"{code} x{n} ({severity[code]})" for code, n in sorted(counts.items()))
    lines = [f"session {session.sid or session.key}: {len(session.exchanges)} call(s)",
             f"  findings: {found or 'none'}",
             f"  metrics: {metrics_line(session.report.to_dict())}"]
    lines += [f"  note: {note}" for note in session.notes]
    return "\n".join(lines)


def format_sessions(sessions: Iterable[CapturedSession]) -> str:
    """Every session's summary, then a total line."""
    chosen = list(sessions)
    blocks = [format_session(s) for s in chosen]
    errors = sum(s.errors for s in chosen)
    calls = sum(len(s.exchanges) for s in chosen)
    blocks.append(f"{len(chosen)} session(s), {calls} call(s), {errors} finding(s) at error "
                  "level")
    return "\n".join(blocks)
