"""Autosave: exchange signals routed into runs of the run store, without a client or Qt."""

from __future__ import annotations

from pathlib import Path

from inspector.autosave import AutoSaver
from inspector.exchange import Exchange, ExchangeState
from inspector.runstore import RunStore
from inspector.signals import Signal


def _exchange(seq: int, event_type: str = "play") -> Exchange:
    return Exchange(seq=seq, method="POST", url="u", event_type=event_type,
                    request_body=b"{}", state=ExchangeState.SENDING)


def _answer(exchange: Exchange, status: int = 204) -> Exchange:
    exchange.state, exchange.status = ExchangeState.DONE, status
    return exchange


def _saved(store: RunStore) -> dict[str, list[tuple[str, int | None]]]:
    """Run name -> its saved (event type, status) in order."""
    return {info.name: [(e.event_type, e.status) for e in store.open_run(info.id).exchanges]
            for info in store.list_runs()}


def test_a_run_begins_at_its_first_exchange_and_keeps_late_answers(tmp_path: Path) -> None:
    store, exchanged = RunStore(tmp_path / "r.db"), Signal[[Exchange]]()
    saver = AutoSaver(store)
    saver.observe(exchanged)
    saver.next_run("first")
    assert store.list_runs() == []  # nothing was exchanged yet
    start, late = _exchange(1, "sessionStart"), _exchange(2)
    exchanged.emit(_answer(start, 201))
    exchanged.emit(late)  # sent in the first run, answered after the second began
    saver.next_run("second")
    exchanged.emit(_answer(late))
    exchanged.emit(_answer(_exchange(3, "sessionStart"), 201))
    assert _saved(store) == {"first": [("sessionStart", 201), ("play", 204)],
                             "second": [("sessionStart", 201)]}
    assert [r.status for r in store.list_runs()] == ["running", "finished"]
    store.close()


def test_two_feeds_keep_their_own_seq_numbers_and_forget_stops_one(tmp_path: Path) -> None:
    store, old, new = RunStore(tmp_path / "r.db"), Signal[[Exchange]](), Signal[[Exchange]]()
    saver = AutoSaver(store)
    saver.observe(old)
    saver.observe(old)  # again: no second source, so no duplicate rows
    saver.observe(new)
    old.emit(_answer(_exchange(1, "sessionStart"), 201))
    new.emit(_answer(_exchange(1, "sessionStart"), 201))  # the same seq from another client
    saver.forget(old)
    old.emit(_answer(_exchange(2, "ping")))
    new.emit(_answer(_exchange(2)))
    assert _saved(store) == {"live": [("sessionStart", 201), ("sessionStart", 201),
                                      ("play", 204)]}
    store.close()


def test_busy_runs_are_the_current_one_and_those_awaiting_answers(tmp_path: Path) -> None:
    store, exchanged = RunStore(tmp_path / "r.db"), Signal[[Exchange]]()
    saver = AutoSaver(store)
    saver.observe(exchanged)
    pending = _exchange(1)
    exchanged.emit(pending)
    first = saver.busy_runs()
    saver.next_run("second")
    assert saver.busy_runs() == first and len(first) == 1  # still waiting for the answer
    exchanged.emit(_answer(pending))
    assert saver.busy_runs() == set()
    store.close()


def test_a_failing_store_stops_autosave_with_one_message(tmp_path: Path) -> None:
    store, exchanged = RunStore(tmp_path / "r.db"), Signal[[Exchange]]()
    messages: list[str] = []
    saver = AutoSaver(store, messages.append)
    saver.observe(exchanged)
    store.close()  # every later write raises sqlite3.ProgrammingError
    for seq in (1, 2, 3):
        exchanged.emit(_answer(_exchange(seq)))
    assert saver.failed and len(messages) == 1
    assert "Autosave stopped" in messages[0] and str(store.path) in messages[0]
