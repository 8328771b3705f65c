"""The custom-painted timeline: content axis, spans, ping ticks, warnings, a draggable playhead."""

from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from inspector.exchange import Exchange
from inspector.timeline import Marker, Span, SpanKind, Timeline, TimelineBuilder

from ..theme import Colors, colors

__all__ = ["TimelineWidget", "format_time"]

_MARGIN = 14
_MIN_SPAN_PX = 5.0


def format_time(seconds: float) -> str:
    seconds = max(0.0, seconds)
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


_ZOOM_STEPS = (120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 43200.0)


def _nice_step(length: float, pixels: float) -> float:
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400):
        if pixels * step / max(length, 1e-9) >= 70:
            return float(step)
    return 21600.0


class TimelineWidget(QWidget):
    """Draws a :class:`Timeline`; ``seek_requested(seconds)`` when the playhead is dropped."""

    seek_requested = Signal(float)

    def __init__(self, playhead: Callable[[], float], now: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        """``playhead`` and ``now`` read the session clock: open pauses, ads and breaks
        are drawn at their simulated length, whatever the speed."""
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.builder = TimelineBuilder()
        self._playhead, self._now = playhead, now
        self._drag: float | None = None
        self._fallback_length = 1800.0
        self._zoom = True
        self._pixel_cache: dict[str, tuple[tuple[float, float, int, int], set[int]]] = {}
        self._refresh = QTimer(self, interval=100)
        self._refresh.timeout.connect(self.update)
        self._refresh.start()

    def sizeHint(self) -> QSize:
        return QSize(600, 116)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 116)

    @property
    def timeline(self) -> Timeline:
        return self.builder.timeline

    @property
    def length(self) -> float:
        return self.timeline.length or self._fallback_length

    @property
    def zoomed(self) -> bool:
        return self._zoom

    def set_zoom(self, on: bool) -> None:
        """Zoomed, the axis shows what has happened so far instead of the whole content."""
        self._zoom = on
        self._pixel_cache.clear()
        self.update()

    @property
    def view_length(self) -> float:
        """The content seconds the axis spans: all of them, or (zoomed) a round stretch that
        holds everything drawn so far, so a long VOD's first minutes are readable."""
        if not self._zoom:
            return self.length
        spans = self.timeline.spans
        reach = max([self._playhead(), *(s.end for s in spans[-50:])], default=0.0)
        for view in _ZOOM_STEPS:
            if view >= reach * 1.15:
                return min(view, self.length)
        return self.length

    def set_default_length(self, length: float) -> None:
        self._fallback_length = length
        self.update()

    def feed(self, exchanges: list[Exchange]) -> None:
        for exchange in exchanges:
            self.builder.feed(exchange)
        self.update()

    # -- geometry -----------------------------------------------------------------------

    def _track(self) -> QRectF:
        return QRectF(_MARGIN, 34, self.width() - 2 * _MARGIN, 22)

    def _x(self, ph: float) -> float:
        track = self._track()
        return track.left() + max(0.0, min(ph / self.view_length, 1.0)) * track.width()

    def _ph(self, x: float) -> float:
        track = self._track()
        view = self.view_length
        return max(0.0, min((x - track.left()) / max(track.width(), 1) * view, view))

    def held_length(self, span: Span, now_ms: int | None = None) -> float:
        """Simulated seconds a span the playhead holds still in covers (an open one: until the
        session clock's now), so at 10x an open 57 s pause is drawn 57 s long."""
        now_ms = int(self._now() * 1000) if now_ms is None else now_ms
        t1 = span.t1 if span.t1 is not None else now_ms
        return max(0.0, (t1 - (span.t0 or t1)) / 1000)

    def _span_rect(self, span: Span, top: float, height: float, now_ms: int) -> QRectF:
        x0, x1 = self._x(span.start), self._x(span.end)
        if span.kind in (SpanKind.AD_BREAK, SpanKind.AD, SpanKind.AD_AS_CONTENT,
                         SpanKind.PAUSE, SpanKind.BUFFER):
            # The playhead holds still here: give the span its simulated length on the axis.
            x1 = max(x1, self._x(span.start + self.held_length(span, now_ms)))
        if span.kind is SpanKind.PLAYED and span.open:
            x1 = max(x1, self._x(self._playhead()))
        return QRectF(x0, top, max(x1 - x0, _MIN_SPAN_PX), height)

    # -- painting -----------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = colors()
        now_ms = int(self._now() * 1000)
        self._paint_axis(p, c)
        self._paint_spans(p, c, now_ms)
        self._paint_ticks(p, c)
        self._paint_warnings(p, c)
        self._paint_playhead(p, c)
        p.end()

    def _paint_axis(self, p: QPainter, c: Colors) -> None:
        track = self._track()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.track)
        p.drawRoundedRect(track, 4, 4)
        p.setPen(c.text_muted)
        font = p.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() - 1.5))
        p.setFont(font)
        view = self.view_length
        step = _nice_step(view, track.width())
        t = 0.0
        while t <= view:
            x = self._x(t)
            p.drawLine(QPointF(x, track.bottom() + 16), QPointF(x, track.bottom() + 19))
            p.drawText(QRectF(x - 30, track.bottom() + 19, 60, 14),
                       Qt.AlignmentFlag.AlignHCenter, format_time(t))
            t += step
        shown = (f"showing 0:00–{format_time(view)} of {format_time(self.length)} "
                 if view < self.length
                 else f"content {format_time(self.length)}")
        p.drawText(QRectF(track.right() - 420, 2, 420, 14), Qt.AlignmentFlag.AlignRight, shown)

    def _paint_spans(self, p: QPainter, c: Colors, now_ms: int) -> None:
        track = self._track()
        lanes = {SpanKind.PLAYED: (track.top() + 3, track.height() - 6, c.played),
                 SpanKind.PAUSE: (track.top() + 7, track.height() - 14, c.pause),
                 SpanKind.BUFFER: (track.top() + 7, track.height() - 14, c.buffer),
                 SpanKind.AD_AS_CONTENT: (track.top() + 3, track.height() - 6, c.ad_as_content),
                 SpanKind.AD_BREAK: (track.top() - 16, 12, c.ad_break),
                 SpanKind.AD: (track.top() - 14, 8, c.ad),
                 SpanKind.CHAPTER: (track.bottom() + 3, 8, c.chapter)}
        order = (SpanKind.CHAPTER, SpanKind.PLAYED, SpanKind.PAUSE, SpanKind.BUFFER,
                 SpanKind.AD_AS_CONTENT, SpanKind.AD_BREAK, SpanKind.AD)
        p.setPen(Qt.PenStyle.NoPen)
        for kind in order:
            top, height, color = lanes[kind]
            p.setBrush(color)
            for span in self.timeline.spans:
                if span.kind is kind:
                    rect = self._span_rect(span, top, height, now_ms)
                    if kind is SpanKind.AD_AS_CONTENT:
                        p.setBrush(QBrush(color, Qt.BrushStyle.BDiagPattern))
                        p.setPen(QPen(color, 1.5))
                        p.drawRect(rect)
                        p.setPen(Qt.PenStyle.NoPen)
                        p.setBrush(color)
                    else:
                        p.drawRoundedRect(rect, 2, 2)

    def _pixels(self, name: str, markers: list[Marker]) -> set[int]:
        """Distinct x positions of ``markers``; recomputed only for the markers added since."""
        track = self._track()
        key = (track.width(), self.view_length, id(markers))
        cached = self._pixel_cache.get(name)
        done, xs = (cached[0][3], cached[1]) if cached and cached[0][:3] == key else (0, set())
        scale = track.width() / max(key[1], 1e-9)
        left, width = track.left(), track.width()
        for m in markers[done:]:
            xs.add(int(left + max(0.0, min(m.playhead * scale, width))))
        self._pixel_cache[name] = ((*key, len(markers)), xs)
        return xs

    def _paint_ticks(self, p: QPainter, c: Colors) -> None:
        track = self._track()
        xs = self._pixels("pings", self.timeline.pings)
        p.setPen(QPen(c.ping, 1))
        for x in xs:
            p.drawLine(QPointF(x + 0.5, track.bottom() + 12), QPointF(x + 0.5, track.bottom() + 16))

    def _paint_warnings(self, p: QPainter, c: Colors) -> None:
        track = self._track()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(c.warning_marker)
        for x in self._pixels("warnings", self.timeline.warnings):
            path = QPainterPath()
            y = track.top() - 18
            path.moveTo(x - 5, y - 9)
            path.lineTo(x + 5, y - 9)
            path.lineTo(x, y)
            path.closeSubpath()
            p.drawPath(path)

    def _paint_playhead(self, p: QPainter, c: Colors) -> None:
        track = self._track()
        ph = self._drag if self._drag is not None else self._playhead()
        x = self._x(ph)
        p.setPen(QPen(c.playhead, 2))
        p.drawLine(QPointF(x, track.top() - 4), QPointF(x, track.bottom() + 4))
        p.setPen(QPen(c.playhead, 1))
        p.setBrush(QColor(c.playhead))
        p.drawEllipse(QPointF(x, track.bottom() + 4), 4.5, 4.5)
        p.drawText(QRectF(_MARGIN, 2, 220, 14), Qt.AlignmentFlag.AlignLeft,
                   f"playhead {format_time(ph)} ({ph:.1f} s)")

    # -- interaction --------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = self._ph(event.position().x())
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag is not None:
            self._drag = self._ph(x)
            self.update()
            return
        QToolTip.showText(event.globalPosition().toPoint(), self._describe(x), self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and event.button() == Qt.MouseButton.LeftButton:
            to, self._drag = self._drag, None
            self.seek_requested.emit(round(to, 3))
            self.update()

    def _describe(self, x: float) -> str:
        now_ms = int(self._now() * 1000)
        lines = [f"{format_time(self._ph(x))}"]
        for span in self.timeline.spans:
            rect = self._span_rect(span, 0, 1, now_ms)
            if rect.left() - 2 <= x <= rect.right() + 2:
                wall = f", {span.wall:.1f} s wall" if span.t1 is not None and span.wall else ""
                lines.append(f"{span.kind.value}: {span.label} "
                             f"[{span.start:.1f}–{span.end:.1f} s{wall}]".replace(" : ", " "))
        for marker in self.timeline.warnings:
            if abs(self._x(marker.playhead) - x) <= 5:
                lines.append(f"⚠ {marker.label}")
        return "\n".join(lines[:12])
