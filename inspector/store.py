"""The in-memory exchange store: an ordered, bounded list with small typed signals.

(The SQLite run store that keeps whole runs on disk observes this one.)
"""

from __future__ import annotations

from typing import Iterator

from .exchange import Exchange
from .signals import Signal

__all__ = ["ExchangeStore"]


class ExchangeStore:
    """Exchanges in the order they were first seen; the oldest go past ``limit``.

    ``added(row)`` fires after an exchange is appended, ``updated(row)`` when a known one
    changes, ``trimmed(count)`` after the oldest ``count`` rows were dropped.
    """

    def __init__(self, limit: int = 500_000) -> None:
        if limit < 1:
            raise ValueError("limit must be positive")
        self.limit = limit
        self.added: Signal[[int]] = Signal()
        self.updated: Signal[[int]] = Signal()
        self.trimmed: Signal[[int]] = Signal()
        self._rows: list[Exchange] = []
        self._position: dict[int, int] = {}  # id(exchange) -> absolute position
        self._dropped = 0  # absolute position of row 0

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row: int) -> Exchange:
        return self._rows[row]

    def __iter__(self) -> Iterator[Exchange]:
        return iter(self._rows)

    def row_of(self, exchange: Exchange) -> int | None:
        """The current row of ``exchange``, or None if it is not (or no longer) here."""
        position = self._position.get(id(exchange))
        return None if position is None else position - self._dropped

    def record(self, exchange: Exchange) -> None:
        """Append a new exchange or announce a change to a known one."""
        row = self.row_of(exchange)
        if row is not None:
            self.updated.emit(row)
            return
        if len(self._rows) >= self.limit:
            self._trim(max(1, self.limit // 10))
        self._position[id(exchange)] = self._dropped + len(self._rows)
        self._rows.append(exchange)
        self.added.emit(len(self._rows) - 1)

    def clear(self) -> None:
        if self._rows:
            self._trim(len(self._rows))

    def _trim(self, count: int) -> None:
        # Dropped in chunks so a full store does not pay for a shift on every append.
        for exchange in self._rows[:count]:
            del self._position[id(exchange)]
        del self._rows[:count]
        self._dropped += count
        self.trimmed.emit(count)
