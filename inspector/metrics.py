"""Adobe's streaming-media metrics, named as Adobe names them (spec §10), from a session report.

``METRICS`` is the one table of facts about each metric: its snake_case key (the key in JSON
exports), Adobe's name, the Analytics context-data variable, the Customer Journey Analytics
field (under ``xdm.mediaReporting.``), and whether Adobe reports it on the start call or only
on the close call. :func:`metric_values` computes the values from ``SessionReport.to_dict()``
data, so the client and the embedded backend (which both build that report) agree.

Rows marked ``source="§10"`` are in the spec's table; the others come from Adobe's metric
pages (help/reporting/metrics/*.md: pause-events, total-pause-duration, buffer-events,
total-buffer-duration, bitrate-changes, error-events, progress-markers), and ``ad_breaks_started``
is our own count, which Adobe does not report.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

__all__ = ["Reported", "Metric", "METRICS", "HEADLINE", "PROGRESS_MARKERS", "metric",
           "metric_values", "format_value"]

PROGRESS_MARKERS = (10, 25, 50, 75, 95)  # percent of media.length (Adobe's progress markers)


class Reported(str, Enum):
    """When Adobe reports a metric (spec §10): only media starts is sent on the start call."""

    START = "start"
    CLOSE = "close"


@dataclass(frozen=True)
class Metric:
    """One metric: key in exports, Adobe's name, where it lands, when, and its unit."""

    key: str
    name: str
    analytics: str | None  # context-data variable; None: Adobe does not report it
    cja: str | None  # field under xdm.mediaReporting.
    reported: Reported
    unit: str  # "count", "seconds", "ratio", "flag", "chapters"
    counts: str  # one line: what sets it
    source: str = "§10"


_C, _S = Reported.CLOSE, Reported.START
METRICS: tuple[Metric, ...] = (
    Metric("media_starts", "Media starts", "a.media.view", "sessionDetails.isViewed", _S,
           "count", "sessionStart received, even if the viewer leaves during a pre-roll"),
    Metric("content_starts", "Content starts", "a.media.play", "sessionDetails.isPlayed", _C,
           "count", "the first play on main content (not inside an ad break)"),
    Metric("content_completes", "Content completes", "a.media.complete",
           "sessionDetails.isCompleted", _C, "count",
           "sessionComplete received; a timeout without it is not a completion"),
    Metric("media_time_spent", "Media time spent", "a.media.totalTimePlayed",
           "sessionDetails.totalTimePlayed", _C, "seconds",
           "seconds playing content or ads; pauses and buffering never count"),
    Metric("content_time_spent", "Content time spent", "a.media.timePlayed",
           "sessionDetails.timePlayed", _C, "seconds",
           "seconds playing main content, including ads sent outside a break"),
    Metric("average_minute_audience", "Average minute audience",
           "a.media.averageMinuteAudience", "sessionDetails.averageMinuteAudience", _C,
           "ratio", "content time spent ÷ media.length; none when the length is 0 or unset"),
    Metric("ad_starts", "Ad starts", "a.media.ad.view", "advertisingDetails.isStarted", _C,
           "count", "every adStart inside an open ad break"),
    Metric("ad_completes", "Ad completes", "a.media.ad.complete",
           "advertisingDetails.isCompleted", _C, "count",
           "every adComplete of a started ad; skipped or abandoned ads are not"),
    Metric("ad_time_spent", "Ad time spent", "a.media.ad.timePlayed",
           "advertisingDetails.timePlayed", _C, "seconds", "seconds playing an ad"),
    Metric("ad_breaks_started", "Ad breaks started (ours)", None, None, _C, "count",
           "every adBreakStart; our own count, Adobe reports none", "ours"),
    Metric("chapter_starts", "Chapter starts", "a.media.chapter.view",
           "chapterDetails.isStarted", _C, "count", "every chapterStart"),
    Metric("chapter_completes", "Chapter completes", "a.media.chapter.complete",
           "chapterDetails.isCompleted", _C, "count",
           "every chapterComplete; skipped or abandoned chapters are not"),
    Metric("chapter_time_spent", "Chapter time spent", "a.media.chapter.timePlayed",
           "chapterDetails.timePlayed", _C, "chapters",
           "seconds playing content within each chapter"),
    Metric("pause_events", "Pause events", "a.media.pauseCount", "sessionDetails.pauseCount",
           _C, "count", "every pauseStart that begins a pause", "pause-events page"),
    Metric("total_pause_duration", "Total pause duration", "a.media.pauseTime",
           "sessionDetails.pauseTime", _C, "seconds", "seconds paused",
           "total-pause-duration page"),
    Metric("buffer_events", "Buffer events", "a.media.qoe.bufferCount",
           "qoeDataDetails.bufferCount", _C, "count", "every bufferStart that begins a stall",
           "buffer-events page"),
    Metric("total_buffer_duration", "Total buffer duration", "a.media.qoe.bufferTime",
           "qoeDataDetails.bufferTime", _C, "seconds", "seconds buffering",
           "total-buffer-duration page"),
    Metric("bitrate_changes", "Bitrate changes", "a.media.qoe.bitrateChangeCount",
           "qoeDataDetails.bitrateChangeCount", _C, "count", "every bitrateChange",
           "bitrate-changes page"),
    Metric("errors", "Error events", "a.media.qoe.errorCount", "qoeDataDetails.errorCount",
           _C, "count", "every error event", "error-events page"),
    *(Metric(f"progress_{p}", f"{p}% progress marker", f"a.media.progress{p}",
             f"sessionDetails.hasProgress{p}", _C, "flag",
             f"the playhead first reached {p}% of media.length", "progress-markers page")
      for p in PROGRESS_MARKERS),
)
_BY_KEY = {m.key: m for m in METRICS}
# What a person asks first: did it start, did it finish, how long was it watched.
HEADLINE = ("media_starts", "content_starts", "content_completes", "content_time_spent",
            "ad_starts", "ad_time_spent", "media_time_spent", "average_minute_audience")


def metric(key: str) -> Metric:
    """The table row for ``key``; KeyError if unknown."""
    return _BY_KEY[key]


def _whole(seconds: object) -> int:
    # Choice: whole seconds, as Analysis Workspace shows time (HH:MM:SS); it also hides the
    # 1 ms steps our client puts between events of one instant (ts = max(now, last + 1)).
    return round(float(seconds)) if isinstance(seconds, (int, float)) else 0


def _audience(content_seconds: int, length: object) -> float | None:
    if isinstance(length, bool) or not isinstance(length, (int, float)) or length <= 0:
        return None  # §10: absent when the length is 0 or unset
    return round(content_seconds / length, 3)


def metric_values(report: Mapping[str, Any]) -> dict[str, Any]:
    """Every metric's value for one session, from ``SessionReport.to_dict()`` data."""
    time, ads, chapters = report["time"], report["ads"], report["chapters"]
    content = _whole(time["content"])
    values: dict[str, Any] = {
        "media_starts": report["starts"]["media"],
        "content_starts": report["starts"]["content"],
        "content_completes": int(bool(report["completed"])),
        "media_time_spent": _whole(time["content"] + time["ad"]
                                   + time["ad_break_between_ads"]),
        "content_time_spent": content,
        "average_minute_audience": _audience(content, report["media"].get("length")),
        "ad_starts": ads["started"], "ad_completes": ads["completed"],
        "ad_time_spent": _whole(time["ad"]),
        "ad_breaks_started": report["ad_breaks"]["started"],
        "chapter_starts": chapters["started"], "chapter_completes": chapters["completed"],
        "chapter_time_spent": [{"index": c.get("index"), "seconds": _whole(c["seconds"])}
                               for c in chapters["items"]],
        "pause_events": report["pauses"]["count"],
        "total_pause_duration": _whole(report["pauses"]["seconds"]),
        "buffer_events": report["buffers"]["count"],
        "total_buffer_duration": _whole(report["buffers"]["seconds"]),
        "bitrate_changes": report["qoe"]["bitrate_changes"],
        "errors": report["errors"]["count"],
    }
    progress = report.get("progress") or {}
    values.update({f"progress_{p}": progress.get(str(p)) is not None for p in PROGRESS_MARKERS})
    return values


def format_value(key: str, value: Any) -> str:
    """A metric's value as a person reads it: ``45 s``, ``0.746``, ``yes``, ``—``."""
    unit = metric(key).unit
    if value is None:
        return "—"
    if unit == "seconds":
        return f"{value} s"
    if unit == "flag":
        return "yes" if value else "no"
    if unit == "chapters":
        return ", ".join(f"#{c['index']}: {c['seconds']} s" for c in value) or "—"
    if unit == "ratio":
        return f"{value:.3f}"
    return str(value)
