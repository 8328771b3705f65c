"""A judged capture as a :class:`StoredRun`, so the window shows it like a past run."""

from __future__ import annotations

from pathlib import Path

from ..runstore import RunInfo, StoredRun
from .analysis import CaptureLog
from .har import Capture

__all__ = ["capture_run", "CAPTURED"]

CAPTURED = "captured"  # the run status the window shows for an opened capture


def capture_run(capture: Capture, log: CaptureLog) -> StoredRun:
    """The capture's Media Collection calls in the order sent, each session on its own
    channel, with the notes and each session's findings and report as the run's report."""
    channels = {key: n for n, key in enumerate(log.analyzer.sessions, 1)}
    exchanges = []
    for exchange in log.exchanges:
        key = next((k for k, s in log.analyzer.sessions.items() if exchange in s.exchanges),
                   None)
        if key is not None:
            exchange.channel = channels[key]
            exchanges.append(exchange)
    times = [e.started_at for e in exchanges if e.started_at]
    name = f"capture {Path(capture.source).name} ({capture.creator})"
    info = RunInfo(id=0, name=name, started_at=min(times, default=0.0),
                   ended_at=max(times, default=None), status=CAPTURED,
                   exchanges=len(exchanges),
                   meta={"source": capture.source, "creator": capture.creator})
    report = {"capture": capture.source, "creator": capture.creator, "notes": capture.notes,
              "sessions": {k: s.to_dict() for k, s in log.analyzer.sessions.items()}}
    return StoredRun(info, exchanges, report)
