"""The in-memory exchange store: an ordered, bounded list with small typed signals.

(The SQLite run store keeps whole runs on disk: autosave observes the client's exchanges, so a
row this store trims can still be reopened from the run.)

Memory model. A row is kept in two forms:

- its log index entry (:class:`~inspector.logindex.LogIndex`): the search text and filter
  columns, ~180 bytes, for every row;
- the exchange itself: the newest ``hot`` rows, and every row still waiting for its answer,
  as the live :class:`Exchange` objects the client updates; every older settled row as one
  compact blob (the pickled exchange, deflated against a dictionary made from the first row
  packed, so the headers and body skeleton every row repeats cost almost nothing), ~150 bytes.

Reading a packed row (``store[row]``) unpacks a fresh Exchange, lazily, when a row is opened
or painted; the last few unpacked stay cached so opening the same row twice gives the same
object. Only settled exchanges are packed: the client never touches them again.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Iterator

from .exchange import Exchange
from .logindex import LogIndex
from .signals import Signal

__all__ = ["ExchangeStore"]

_SETTLED = frozenset({"done", "failed", "discarded", "cancelled"})
_CACHED = 256  # unpacked rows kept, so reopening a row gives the same object
_WBITS, _MEMLEVEL = -13, 4  # an 8 KB window holds the dictionary and one row


class _Packer:
    """Deflates pickled exchanges against a dictionary taken from the first one."""

    def __init__(self) -> None:
        self._zdict: bytes | None = None

    def pack(self, exchange: Exchange) -> bytes:
        raw = pickle.dumps(exchange, pickle.HIGHEST_PROTOCOL)
        if self._zdict is None:
            self._zdict = raw
        c = zlib.compressobj(1, zlib.DEFLATED, _WBITS, _MEMLEVEL, zlib.Z_DEFAULT_STRATEGY,
                             self._zdict)
        return c.compress(raw) + c.flush()

    def unpack(self, blob: bytes) -> Exchange:
        assert self._zdict is not None
        d = zlib.decompressobj(_WBITS, self._zdict)
        exchange = pickle.loads(d.decompress(blob) + d.flush())
        assert isinstance(exchange, Exchange)
        return exchange


class ExchangeStore:
    """Exchanges in the order they were first seen; the oldest go past ``limit``.

    ``added(row)`` fires after an exchange is appended, ``updated(row)`` when a known one
    changes, ``trimmed(count)`` after the oldest ``count`` rows were dropped (in chunks of a
    hundredth of the limit, so reaching the bound costs a short pause, not a long one).
    """

    def __init__(self, limit: int = 1_000_000, hot: int = 2048) -> None:
        if limit < 1:
            raise ValueError("limit must be positive")
        self.limit = limit
        self.hot = max(1, hot)
        self.added: Signal[[int]] = Signal()
        self.updated: Signal[[int]] = Signal()
        self.trimmed: Signal[[int]] = Signal()
        self.index = LogIndex()
        self._blobs: list[bytes | None] = []  # per row: packed exchange, None while live
        self._live: dict[int, Exchange] = {}  # absolute position -> exchange object
        self._ids: dict[int, int] = {}  # id(exchange) -> position, for _live and _cache
        self._cache: dict[int, Exchange] = {}  # position -> unpacked exchange (LRU)
        self._packer = _Packer()
        self._dropped = 0  # absolute position of row 0
        self._cursor = 0  # positions below this were offered for packing

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, row: int) -> Exchange:
        if row < 0:
            row += len(self._blobs)
        if not 0 <= row < len(self._blobs):
            raise IndexError("store row out of range")
        return self._get(self._dropped + row, cache=True)

    def __iter__(self) -> Iterator[Exchange]:
        for row in range(len(self._blobs)):
            yield self._get(self._dropped + row, cache=False)

    @property
    def first_position(self) -> int:
        """The absolute position of row 0 (how many rows were ever trimmed)."""
        return self._dropped

    def row_of(self, exchange: Exchange) -> int | None:
        """The current row of ``exchange``, or None if it is not (or no longer) here."""
        position = self._ids.get(id(exchange))
        return None if position is None else position - self._dropped

    def is_live(self, row: int) -> bool:
        """True while ``row`` is held as an Exchange object (recent or unanswered)."""
        return self._dropped + row in self._live

    def record(self, exchange: Exchange) -> None:
        """Append a new exchange or announce a change to a known one."""
        position = self._ids.get(id(exchange))
        if position is not None:
            row = position - self._dropped
            self.index.update(row, exchange)
            if position in self._cache:
                self.index.settle(row)  # the cached object may be dropped: index it now
                self._blobs[row] = self._packer.pack(exchange)
            elif position < self._cursor:
                self._pack(position)
            self.updated.emit(row)
            return
        if len(self._blobs) >= self.limit:
            self._trim(max(1, self.limit // 100))
        position = self._dropped + len(self._blobs)
        self._live[position] = exchange
        self._ids[id(exchange)] = position
        self._blobs.append(None)
        self.index.append(exchange)
        self._pack_old()
        self.added.emit(len(self._blobs) - 1)

    def clear(self) -> None:
        if self._blobs:
            self._trim(len(self._blobs))

    # -- compact rows -------------------------------------------------------------------

    def _get(self, position: int, cache: bool) -> Exchange:
        live = self._live.get(position) or self._cache.get(position)
        if live is not None:
            return live
        blob = self._blobs[position - self._dropped]
        assert blob is not None
        exchange = self._packer.unpack(blob)
        if cache:
            if len(self._cache) >= _CACHED:
                old = next(iter(self._cache))
                self._ids.pop(id(self._cache.pop(old)), None)
            self._cache[position] = exchange
            self._ids[id(exchange)] = position
        return exchange

    def _pack_old(self) -> None:
        end = self._dropped + len(self._blobs) - self.hot
        for position in range(max(self._cursor, self._dropped), end):
            self._pack(position)
        self._cursor = max(self._cursor, end)

    def _pack(self, position: int) -> None:
        exchange = self._live.get(position)
        if exchange is None or exchange.state.value not in _SETTLED:
            return  # still waiting for its answer: the client will update it
        row = position - self._dropped
        self.index.settle(row)  # the last chance to read the live object cheaply
        self._blobs[row] = self._packer.pack(exchange)
        del self._live[position]
        del self._ids[id(exchange)]

    def _trim(self, count: int) -> None:
        cut = self._dropped + count
        for position in [p for p in self._live if p < cut]:
            self._ids.pop(id(self._live.pop(position)), None)
        for position in [p for p in self._cache if p < cut]:
            self._ids.pop(id(self._cache.pop(position)), None)
        del self._blobs[:count]
        self.index.trim(count)
        self._dropped = cut
        self.trimmed.emit(count)
