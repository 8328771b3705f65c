"""The log index (search text and filter columns) and the store's compact rows."""

from __future__ import annotations

import tracemalloc

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Finding, Severity
from inspector.logindex import LogQuery, log_cells
from inspector.store import ExchangeStore

WARN = Finding("PING_HAS_PARAMS", Severity.WARNING, "a ping carries params", "§3")


def _exchange(i: int, state: ExchangeState = ExchangeState.DONE) -> Exchange:
    e = Exchange(seq=i, method="POST", url="http://h/api/v1/sessions/s/events",
                 event_type=("ping", "play")[i % 2], request_body=b'{"eventType": "ping"}',
                 request_headers=[("user-agent", "python-httpx/0.28.1"),
                                  ("content-type", "application/json")],
                 channel=i % 3, state=state, queued_at=1767225600.0 + i, playhead=float(i))
    if state is ExchangeState.DONE:
        e.status = 204 if i % 5 else 500
        e.response_headers = [("Date", f"Tue, 01 Dec 2026 10:00:{i % 60:02d} GMT")]
    if i % 7 == 0:
        e.findings = [WARN]
    return e


def _plain(store_rows: list[Exchange], q: LogQuery) -> list[int]:
    needle = q.text.lower()
    return [e.seq for e in store_rows
            if any(needle in cell.lower() for cell in log_cells(e))
            and (not q.event_type or e.event_type == q.event_type)
            and (not q.status_class or e.status_class == q.status_class)
            and (not q.warnings_only or bool(e.findings))
            and (q.channel is None or e.channel == q.channel)]


def test_scan_combines_every_part_like_a_plain_loop() -> None:
    store = ExchangeStore(hot=10)
    rows = [_exchange(i) for i in range(1, 500)]
    for e in rows:
        store.record(e)
    for q in (LogQuery("ping_has"), LogQuery("500", event_type="play"),
              LogQuery(status_class="5xx", warnings_only=True), LogQuery("pl", channel=2)):
        got = [store[r].seq for r in store.index.scan(q, 0, len(store))]
        assert got == _plain(rows, q), q


def test_narrowing_refines_the_previous_rows() -> None:
    assert LogQuery("pin").narrows(LogQuery("pi"))
    assert not LogQuery("pi").narrows(LogQuery("pin"))
    assert LogQuery("pi", warnings_only=True).narrows(LogQuery("pi"))
    assert not LogQuery("pi", event_type="play").narrows(LogQuery("pi"))


def test_old_settled_rows_are_packed_and_read_back_whole() -> None:
    store = ExchangeStore(hot=4)
    rows = [_exchange(i) for i in range(20)]
    pending = _exchange(20, ExchangeState.SENDING)
    store.record(pending)
    for e in rows:
        store.record(e)
    assert not store.is_live(1) and store.is_live(len(store) - 1)
    assert store.is_live(0)  # still waiting for its answer: kept as the client's object
    back = store[1]
    assert back is not rows[0] and back is store[1]  # unpacked once, then cached
    assert vars(back) == vars(rows[0])
    assert store.row_of(back) == 1
    pending.state, pending.status = ExchangeState.DONE, 204
    store.record(pending)  # the answer arrives late: the row updates, then packs
    assert len(store) == 21 and not store.is_live(0) and store[0].status == 204
    assert [e.seq for e in store] == [20, *range(20)]


def test_a_packed_row_costs_far_less_than_the_exchange() -> None:
    store = ExchangeStore(hot=1)
    store.record(_exchange(0))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(1, 2001):
        store.record(_exchange(i))  # built, recorded, packed: only the compact row stays
    per_row = (tracemalloc.get_traced_memory()[0] - before) / 2000
    tracemalloc.stop()
    assert per_row < 600, per_row  # an Exchange like this one costs ~2 KB


def test_lazy_entries_follow_every_change_through_packing_and_trims() -> None:
    # The index builds a row's entry when it is read or packed, not on each record: every
    # row must still read as its exchange's latest state, whatever came in between.
    from inspector.logindex import search_text
    store = ExchangeStore(limit=60, hot=5)
    rows = [_exchange(i, ExchangeState.SENDING) for i in range(1, 200)]
    for n, e in enumerate(rows):
        store.record(e)
        if n % 3 == 0:
            assert store.index.text(len(store) - 1) == search_text(e)  # read while sending
        if n >= 2:  # the one two back gets its answer (status, warnings) after that read
            done = rows[n - 2]
            done.state, done.status = ExchangeState.DONE, 500 if n % 4 else 204
            done.findings = [WARN] if n % 5 == 0 else []
            store.record(done)
        if n % 17 == 0:
            q = LogQuery(status_class="5xx", warnings_only=True)
            kept = [store[r] for r in range(len(store))]
            assert [store[r].seq for r in store.index.scan(q, 0, len(store))] == _plain(kept, q)
    assert store.first_position > 0  # trims happened
    assert [store.index.text(r) for r in range(len(store))] == \
        [search_text(store[r]) for r in range(len(store))]
    for q in (LogQuery("500"), LogQuery(status_class="2xx"), LogQuery(warnings_only=True),
              LogQuery("sending", channel=1)):
        kept = [store[r] for r in range(len(store))]
        assert [store[r].seq for r in store.index.scan(q, 0, len(store))] == _plain(kept, q), q
