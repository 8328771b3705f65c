"""The log model at 100,000 rows: no copy, batched inserts, filters that work."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot

from inspector.exchange import Exchange, ExchangeState
from inspector.findings import Finding, Severity
from inspector.store import ExchangeStore
from ui.log.model import ExchangeTableModel
from ui.log.view import LogView

N = 100_000
WARN = Finding("AD_OUTSIDE_BREAK", Severity.ERROR, "ad event with no open ad break")


def exchange(i: int) -> Exchange:
    event = ("ping", "play", "adStart", "pauseStart")[i % 4]
    body = json.dumps({"eventType": event, "playerTime": {"playhead": i, "ts": i}}).encode()
    e = Exchange(seq=i + 1, method="POST", url="http://x/api/v1/sessions/s/events",
                 event_type=event, request_body=body, state=ExchangeState.DONE,
                 status=400 if i % 10 == 0 else 204, playhead=float(i), ts=i,
                 queued_at=1767225600.0 + i)
    if event == "adStart":
        e.findings = [WARN]
    return e


def test_100k_rows_arrive_in_batches_and_filter(qtbot: QtBot) -> None:
    store = ExchangeStore()
    model = ExchangeTableModel(store)
    view = LogView(model)
    qtbot.addWidget(view)
    inserts: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append(last - first + 1))
    for i in range(N):
        store.record(exchange(i))
    assert model.rowCount() == 0  # nothing announced until the coalescing timer fires
    qtbot.waitUntil(lambda: model.rowCount() == N, timeout=5000)
    assert inserts == [N]  # one insert for the whole burst, not 100,000
    assert model.exchange(N - 1) is store[N - 1]  # adapts the store, no copy
    assert view.proxy.rowCount() == N

    def settled() -> int:
        qtbot.waitUntil(lambda: not view.proxy.busy, timeout=20000)
        return view.proxy.rowCount()

    view.event_filter.setCurrentIndex(view.event_filter.findData("adStart"))
    assert settled() == N // 4
    view.warnings_only.setChecked(True)
    assert settled() == N // 4
    view.event_filter.setCurrentIndex(0)
    view.status_filter.setCurrentIndex(view.status_filter.findData("4xx"))
    # 4xx rows are every 10th; with warnings (adStart, i % 4 == 2) leaves i % 20 == 10.
    assert settled() == N // 20
    view.warnings_only.setChecked(False)
    view.status_filter.setCurrentIndex(0)
    view.search.setText("pauseStart")
    qtbot.waitUntil(lambda: view.proxy.query.text == "pauseStart", timeout=20000)
    assert settled() == N // 4
    assert view.count_label.text() == f"{N // 4:,} of {N:,} rows"
    model.detach()


def test_trimmed_store_removes_rows_from_the_model(qtbot: QtBot) -> None:
    store = ExchangeStore(limit=1000)
    model = ExchangeTableModel(store)
    for i in range(1000):
        store.record(exchange(i))
    model.flush()
    store.record(exchange(1000))  # drops the oldest hundredth: 10 rows
    model.flush()
    assert model.rowCount() == len(store) == 991
    assert model.index(0, 0).data() == "11"
    model.detach()


def test_status_update_refreshes_the_row(qtbot: QtBot) -> None:
    store = ExchangeStore()
    model = ExchangeTableModel(store)
    e = exchange(1)
    e.status, e.state = None, ExchangeState.SENDING
    store.record(e)
    model.flush()
    assert model.index(0, 5).data() == "sending"
    changed: list[int] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append(a.row()))
    e.status, e.state = 204, ExchangeState.DONE
    store.record(e)
    qtbot.waitUntil(lambda: changed == [0], timeout=2000)
    assert model.index(0, 5).data() == "204"
    model.detach()
