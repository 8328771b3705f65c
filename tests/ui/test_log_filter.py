"""The log filter over 100,000 realistic rows: the right rows, computed in slices."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

import ui.log.filter
from inspector.exchange import Exchange, ExchangeState
from inspector.store import ExchangeStore
from ui.log.model import ExchangeTableModel
from ui.log.view import LogView

from log_rows import exchange

N = 100_000


def _log(qtbot: QtBot, count: int, limit: int = 1_000_000) -> tuple[LogView, list[Exchange]]:
    store = ExchangeStore(limit=limit)
    rows = [exchange(i) for i in range(count)]
    for e in rows:
        store.record(e)
    model = ExchangeTableModel(store)
    model.flush()
    view = LogView(model)
    qtbot.addWidget(view)
    return view, rows


def _shown(view: LogView, qtbot: QtBot) -> list[int]:
    qtbot.waitUntil(lambda: not view.proxy.busy, timeout=60000)
    return [e.seq for r in range(view.proxy.rowCount()) if (e := view.proxy.exchange(r))]


def _pick(combo: object, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))  # type: ignore[attr-defined]


def test_combined_filters_over_100k_rows_match_a_plain_loop(qtbot: QtBot) -> None:
    view, rows = _log(qtbot, N)
    view.search.setText("ad_outside")
    qtbot.waitUntil(lambda: view.proxy.query.text == "ad_outside", timeout=20000)
    assert _shown(view, qtbot) == [e.seq for e in rows
                                   if any("ad_outside" in f.code.lower() for f in e.findings)]
    view.search.setText("")
    qtbot.waitUntil(lambda: not view.proxy.active, timeout=20000)
    assert view.proxy.rowCount() == N
    _pick(view.event_filter, "play")
    _pick(view.status_filter, "4xx")
    assert _shown(view, qtbot) == [e.seq for e in rows
                                   if e.event_type == "play" and e.status == 400]
    _pick(view.event_filter, "")
    view.warnings_only.setChecked(True)
    assert view.session_filter.count() == 4  # all, and the three sessions
    _pick(view.session_filter, 0)
    assert _shown(view, qtbot) == [e.seq for e in rows
                                   if e.status == 400 and e.findings and e.channel == 0]
    assert view.count_label.text() == f"{view.proxy.rowCount():,} of {N:,} rows"


def test_the_window_answers_input_while_a_filter_runs(qtbot: QtBot, monkeypatch: object) -> None:
    monkeypatch.setattr(ui.log.filter, "SLICE_S", 0.0)  # type: ignore[attr-defined]  # one chunk a slice
    monkeypatch.setattr(ui.log.filter, "PUBLISH_S", 0.0)  # type: ignore[attr-defined]  # show each
    view, rows = _log(qtbot, N)
    view.show()
    qtbot.waitExposed(view)
    counts: list[int] = []
    view.proxy.progress.connect(lambda *_: counts.append(view.proxy.rowCount()))
    answered: list[bool] = []
    _pick(view.event_filter, "pauseStart")
    assert view.proxy.busy  # set_query returned before the filter was done
    QTimer.singleShot(0, lambda: answered.append(view.proxy.busy))
    qtbot.waitUntil(lambda: bool(answered), timeout=20000)
    assert answered == [True]  # the loop ran a timer in the middle of the filter
    qtbot.mouseClick(view.follow, Qt.MouseButton.LeftButton)
    assert not view.follow.isChecked() and view.proxy.busy
    assert "filtering" in view.count_label.text()
    assert _shown(view, qtbot) == [e.seq for e in rows if e.event_type == "pauseStart"]
    final = view.proxy.rowCount()
    assert len(counts) > 5 and counts == sorted(counts)  # the row count grew slice by slice
    assert 0 < counts[len(counts) // 2] < final


def test_rows_arriving_and_changing_under_a_filter(qtbot: QtBot) -> None:
    view, rows = _log(qtbot, 1000)
    _pick(view.status_filter, "4xx")
    assert _shown(view, qtbot) == [e.seq for e in rows if e.status == 400]
    late = exchange(1000, ExchangeState.SENDING)
    view.model.store.record(late)
    view.model.flush()
    assert late.seq not in _shown(view, qtbot)  # pending: not (yet) a 4xx
    late.state, late.status = ExchangeState.DONE, 400
    view.model.store.record(late)
    view.model.flush()
    assert _shown(view, qtbot)[-1] == late.seq


def test_a_trim_keeps_the_selection_or_says_it_went(qtbot: QtBot) -> None:
    view, rows = _log(qtbot, 1000, limit=1000)
    view.follow.setChecked(False)
    view.table.selectRow(500)
    kept = view.current_exchange()
    view.model.store.record(exchange(1000))  # drops the oldest ten rows
    view.model.flush()
    assert view.current_exchange() is kept and view.table.currentIndex().row() == 490
    view.table.selectRow(3)
    gone = view.current_exchange()
    assert gone is not None
    for i in range(1001, 1011):
        view.model.store.record(exchange(i))
    view.model.flush()
    assert f"row #{gone.seq} was trimmed" in view.count_label.text()
    assert view.model.store.row_of(gone) is None
