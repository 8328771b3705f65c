"""What the live log shows and filters on, kept ready per row when an exchange is recorded.

The log filters on this index, never on display strings asked from a Qt model: each row has
one lower-cased search text (its cells joined by newlines) and a few small integer columns
(event type, status class, warnings, channel) in ``array`` buffers. A row costs its search
text (~120 bytes) plus 7 bytes of columns.

The text and the status column are built lazily: a recorded or changed row is only marked
stale, and is indexed when the index is first read after that (or when the store packs the
row), so a row that changes state three times on its way is indexed once, and a store nobody
reads (a load viewer's) indexes only the rows it packs.
"""

from __future__ import annotations

import time
from array import array
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterable

from .exchange import Exchange, ExchangeState
from .findings import Severity

__all__ = ["LogQuery", "LogIndex", "log_cells", "status_text", "status_class", "wall_time",
           "has_warnings", "search_text"]

_WARN_BIT = 0x20
_CLASS_MASK = 0x1F


def wall_time(seconds: float) -> str:
    """HH:MM:SS.mmm in local time."""
    return _hms(int(seconds // 1)) + f".{int(seconds * 1000) % 1000:03d}"


@lru_cache(maxsize=4096)
def _hms(whole: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(whole))  # the slow part: once a second


def status_text(e: Exchange) -> str:
    """What the Status column says: the code, or why there is none."""
    if e.status is not None:
        return str(e.status) + ("" if e.attempt == 1 else f" (try {e.attempt})")
    if e.error_kind is not None:
        return e.error_kind.value
    return e.state.value


def status_class(e: Exchange) -> str:
    """'2xx', '4xx', '5xx' or 'error' (no response) or 'pending' for the filters."""
    if e.status is not None:
        return e.status_class
    if e.state in (ExchangeState.QUEUED, ExchangeState.SENDING):
        return "pending"
    return "error"


def has_warnings(e: Exchange) -> bool:
    """A finding worse than info (what "With warnings" keeps)."""
    return any(f.severity is not Severity.INFO for f in e.findings)


def log_cells(e: Exchange) -> tuple[str, ...]:
    """The log's columns for ``e``: #, wall time, event, playhead, ts, status, latency,
    findings, session (the sid's first 8 characters and the session's number)."""
    return (str(e.seq), wall_time(e.queued_at), e.event_type,
            "" if e.playhead is None else f"{e.playhead:.3f}",
            "" if e.ts is None else str(e.ts), status_text(e),
            "" if e.duration_ms is None else f"{e.duration_ms:.1f} ms",
            ", ".join(f.code for f in e.findings) or (e.error or ""),
            f"{e.channel} · {e.sid[:8]}" if e.sid else f"{e.channel} · no sid")


def search_text(e: Exchange) -> str:
    """The text the filter matches: every cell, lower-cased, one per line."""
    return "\n".join(log_cells(e)).lower()


@dataclass(frozen=True)
class LogQuery:
    """A combined filter: all given parts must hold; empty parts match everything."""

    text: str = ""
    event_type: str = ""
    status_class: str = ""
    warnings_only: bool = False
    channel: int | None = None

    @property
    def needle(self) -> str:
        return self.text.strip().lower().replace("\n", " ")

    @property
    def active(self) -> bool:
        return bool(self.needle or self.event_type or self.status_class or self.warnings_only
                    or self.channel is not None)

    def narrows(self, previous: LogQuery) -> bool:
        """True when every row this query accepts is accepted by ``previous`` too."""
        same = (self.event_type == previous.event_type
                and self.status_class == previous.status_class
                and self.channel == previous.channel
                and (self.warnings_only or not previous.warnings_only))
        return previous.active and same and previous.needle in self.needle


class LogIndex:
    """Per-row search text and filter columns, row for row with an exchange store."""

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._events = array("H")
        self._kinds = array("B")
        self._channels = array("l")
        self._event_ids: dict[str, int] = {}
        self._class_ids: dict[str, int] = {}
        self.channels: dict[int, None] = {}  # channels seen, in order
        # absolute position -> the exchange whose text and kind are not built yet
        self._stale: dict[int, Exchange] = {}
        self._base = 0  # absolute position of row 0 (rows trimmed so far)

    def __len__(self) -> int:
        return len(self._texts)

    def append(self, e: Exchange) -> None:
        self._stale[self._base + len(self._texts)] = e
        self._texts.append("")
        self._events.append(self._id(self._event_ids, e.event_type, 0xFFFF))
        self._kinds.append(0)
        self._channels.append(e.channel)
        self.channels.setdefault(e.channel, None)

    def update(self, row: int, e: Exchange) -> None:
        self._stale[self._base + row] = e

    def settle(self, row: int | None = None) -> None:
        """Build the stale rows' entries now (only ``row``'s when given)."""
        stale = self._stale
        if not stale:
            return
        if row is not None:
            e = stale.pop(self._base + row, None)
            if e is not None:
                self._build(row, e)
            return
        base = self._base
        for position, e in stale.items():
            self._build(position - base, e)
        stale.clear()

    def _build(self, row: int, e: Exchange) -> None:
        self._texts[row] = search_text(e)
        self._kinds[row] = self._kind(e)

    def trim(self, count: int) -> None:
        cut = self._base + count
        for position in [p for p in self._stale if p < cut]:
            del self._stale[position]
        del self._texts[:count]
        del self._events[:count]
        del self._kinds[:count]
        del self._channels[:count]
        self._base = cut

    def text(self, row: int) -> str:
        if self._stale:
            self.settle(row)
        return self._texts[row]

    def _kind(self, e: Exchange) -> int:
        return (self._id(self._class_ids, status_class(e), _CLASS_MASK)
                | (_WARN_BIT if has_warnings(e) else 0))

    @staticmethod
    def _id(ids: dict[str, int], name: str, limit: int) -> int:
        found = ids.get(name)
        if found is None:
            found = ids[name] = min(len(ids), limit)
        return found

    def scan(self, query: LogQuery, first: int, last: int) -> list[int]:
        """Rows in ``[first, last)`` that ``query`` accepts, in order."""
        self.settle()
        needle = query.needle
        if needle:
            texts = self._texts[first:last]
            rows: Iterable[int] = [i for i, s in enumerate(texts, first) if needle in s]
        else:
            rows = range(first, min(last, len(self._texts)))
        return self._columns(query, rows)

    def refine(self, query: LogQuery, rows: list[int]) -> list[int]:
        """Those of ``rows`` (a previous query's result) that ``query`` still accepts."""
        self.settle()
        needle, texts = query.needle, self._texts
        if needle:
            rows = [i for i in rows if needle in texts[i]]
        return self._columns(query, rows)

    def accepts(self, query: LogQuery, row: int) -> bool:
        return bool(self.refine(query, [row]))

    def _columns(self, query: LogQuery, rows: Iterable[int]) -> list[int]:
        kinds = self._kinds
        if query.event_type:
            wanted = self._event_ids.get(query.event_type, -1)
            events = self._events
            rows = [i for i in rows if events[i] == wanted]
        if query.status_class:
            cls = self._class_ids.get(query.status_class, -1)
            rows = [i for i in rows if kinds[i] & _CLASS_MASK == cls]
        if query.warnings_only:
            rows = [i for i in rows if kinds[i] & _WARN_BIT]
        if query.channel is not None:
            channel, channels = query.channel, self._channels
            rows = [i for i in rows if channels[i] == channel]
        return rows if isinstance(rows, list) else list(rows)
