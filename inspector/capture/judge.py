"""A read capture judged: every call through a :class:`CaptureLog`, plus capture notes."""

from __future__ import annotations

from .analysis import CaptureLog
from .har import Capture

__all__ = ["judge_capture"]


def judge_capture(capture: Capture) -> CaptureLog:
    """The capture's calls judged in the order they were sent; notes added to ``capture``
    about interleaved sessions and calls that were not Media Collection ones."""
    log = CaptureLog()
    order: list[str] = []
    for exchange in capture.exchanges:
        session = log.record(exchange)
        if session is not None and (not order or order[-1] != session.key):
            order.append(session.key)
    api_calls = sum(len(s.exchanges) for s in log.analyzer.sessions.values())
    if not api_calls:
        capture.notes.append("no Media Collection calls in this capture (POST "
                             ".../api/v1/sessions or .../sessions/{sid}/events, spec §1.1)")
    if len(order) > len(set(order)):
        capture.notes.append(f"{len(set(order))} sessions are interleaved in this capture; "
                             "each is rebuilt from its own sid and judged on its own")
    if log.analyzer.ignored:
        count = log.analyzer.ignored
        capture.notes.append(f"{count} entr{'y' if count == 1 else 'ies'}"
                             " that are not Media Collection POSTs ignored (preflights, "
                             "schemas, other hosts' calls)")
    return log
