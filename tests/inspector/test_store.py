"""The bounded exchange store and its signals."""

from __future__ import annotations

from inspector.exchange import Exchange
from inspector.store import ExchangeStore


def _exchange(seq: int) -> Exchange:
    return Exchange(seq=seq, method="POST", url="u", event_type="ping", request_body=b"{}")


def test_append_update_and_row_lookup() -> None:
    store = ExchangeStore()
    added, updated = [], []
    store.added.connect(added.append)
    store.updated.connect(updated.append)
    first, second = _exchange(1), _exchange(2)
    store.record(first)
    store.record(second)
    store.record(first)
    assert added == [0, 1] and updated == [0] and len(store) == 2
    assert store.row_of(second) == 1 and store[1] is second


def test_bounded_and_trims_oldest_in_chunks() -> None:
    store = ExchangeStore(limit=100)
    trimmed: list[int] = []
    store.trimmed.connect(trimmed.append)
    exchanges = [_exchange(i) for i in range(250)]
    for exchange in exchanges:
        store.record(exchange)
    assert len(store) <= 100 and sum(trimmed) == 250 - len(store)
    assert store[len(store) - 1] is exchanges[-1]
    assert store.row_of(exchanges[0]) is None
    assert store.row_of(exchanges[-1]) == len(store) - 1
    store.record(exchanges[-1])  # still known: an update, not a second row
    assert store[len(store) - 1] is exchanges[-1] and len(store) <= 100
