"""A PNG of a session's timeline without Qt: for evidence packs written by headless runs.

One row per kind of span, drawn against simulated time (``ts``), so an ad break, where the
playhead holds still, has its real width; ping ticks above, warnings and errors as red and
orange ticks below. Colours are the window's light palette; the rows, top to bottom, are
:data:`ROWS` (the evidence pack's README names them).
"""

from __future__ import annotations

import struct
import zlib

from ..findings import Severity
from ..timeline import SpanKind, Timeline

__all__ = ["ROWS", "timeline_png"]

ROWS: tuple[tuple[SpanKind, str], ...] = (
    (SpanKind.PLAYED, "#3f7fd9"), (SpanKind.CHAPTER, "#2aa198"),
    (SpanKind.AD_BREAK, "#8e44ad"), (SpanKind.AD, "#b57edc"),
    (SpanKind.AD_AS_CONTENT, "#e67e22"), (SpanKind.PAUSE, "#9e9e9e"),
    (SpanKind.BUFFER, "#d35400"))
_BG, _TRACK, _PING = "#ffffff", "#e4e7eb", "#5c6770"
_MARK = {Severity.ERROR: "#d32f2f", Severity.WARNING: "#b35c00"}
_W, _ROW, _PAD = 1200, 22, 12


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.w, self.h = width, height
        self.px = bytearray(_rgb(_BG) * (width * height))

    def rect(self, x0: int, y0: int, x1: int, y1: int, color: str) -> None:
        x0, x1 = max(0, min(x0, self.w)), max(0, min(max(x1, x0 + 1), self.w))
        y0, y1 = max(0, y0), min(y1, self.h)
        row = bytes(_rgb(color)) * (x1 - x0)
        for y in range(y0, y1):
            start = (y * self.w + x0) * 3
            self.px[start:start + len(row)] = row

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(self.px[y * self.w * 3:(y + 1) * self.w * 3])
                       for y in range(self.h))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

        header = struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def timeline_png(timeline: Timeline) -> bytes:
    """The timeline as a PNG (1200 px wide), against the session's simulated time."""
    times = [t for s in timeline.spans for t in (s.t0, s.t1) if t is not None]
    times += [m.ts for m in (*timeline.pings, *timeline.warnings) if m.ts is not None]
    height = _PAD * 2 + 8 + len(ROWS) * _ROW + 10
    canvas = _Canvas(_W, height)
    if not times:
        return canvas.png()
    t_min, t_max = min(times), max(times)
    span_ms = max(1, t_max - t_min)
    usable = _W - 2 * _PAD

    def x(ts: int) -> int:
        return _PAD + round((ts - t_min) / span_ms * usable)

    for ping in timeline.pings:
        if ping.ts is not None:
            canvas.rect(x(ping.ts), _PAD, x(ping.ts) + 1, _PAD + 6, _PING)
    top = _PAD + 8
    for i, (kind, color) in enumerate(ROWS):
        y0 = top + i * _ROW
        canvas.rect(_PAD, y0 + 4, _W - _PAD, y0 + _ROW - 4, _TRACK)
        for span in timeline.of(kind):
            if span.t0 is not None:
                canvas.rect(x(span.t0), y0 + 2, x(span.t1 if span.t1 is not None else t_max),
                            y0 + _ROW - 2, color)
    bottom = top + len(ROWS) * _ROW
    for mark in timeline.warnings:
        if mark.ts is not None and mark.severity in _MARK:
            canvas.rect(x(mark.ts) - 1, bottom, x(mark.ts) + 2, bottom + 10, _MARK[mark.severity])
    return canvas.png()
