"""Captured traffic (a listening proxy's, a HAR file's) judged by the advisor and report."""

from __future__ import annotations

from .analysis import MAX_KEPT, MAX_SESSIONS, CaptureAnalyzer, CapturedSession, CaptureLog
from .paths import ApiCall, classify
from .summary import format_session, format_sessions, metrics_line

__all__ = ["ApiCall", "CaptureAnalyzer", "CaptureLog", "CapturedSession", "MAX_KEPT",
           "MAX_SESSIONS", "classify",
           "format_session", "format_sessions", "metrics_line"]
