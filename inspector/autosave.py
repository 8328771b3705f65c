"""Autosave: every exchange a front end's clients produce goes into the run store as it happens.

The driver (the window's controller) tells it when a new run begins (a session start, a
replay, another endpoint); an exchange stays in the run that was current when it was first
seen, so a late answer from the previous session never lands in the next run. It observes
exchange signals (a client's ``exchanged``), never the client itself.
"""

from __future__ import annotations

import functools
import itertools
import logging
import sqlite3
from typing import Any, Callable, Mapping

from .exchange import Exchange
from .runstore import FINAL_STATES, RunRecorder, RunStore
from .signals import Signal

__all__ = ["AutoSaver"]

_log = logging.getLogger(__name__)
_OPEN_LIMIT = 10_000  # exchanges still waiting for an answer that we route by identity


class AutoSaver:
    """Routes exchanges into runs of ``store``; a run starts lazily at its first exchange."""

    def __init__(self, store: RunStore, on_error: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.run: RunRecorder | None = None
        self.run_name = "live"
        self.meta: dict[str, Any] = {}
        self.failed = False
        self._on_error = on_error
        self._open: dict[int, tuple[Exchange, RunRecorder]] = {}
        # Never reused, even after forget(): two feeds sharing a source would overwrite each
        # other's rows (a run's exchanges are keyed by source and seq).
        self._sources = itertools.count()
        # id(signal) -> (signal, slot); holding the signal keeps its id unique while observed.
        self._feeds: dict[int, tuple[Signal[[Exchange]], Callable[[Exchange], None]]] = {}
        store.failed.connect(self._stop)  # writes are batched: they fail after record()

    def observe(self, exchanged: Signal[[Exchange]]) -> None:
        """Save every exchange ``exchanged`` reports from now on (e.g. ``client.exchanged``)."""
        if id(exchanged) in self._feeds:
            return
        slot = functools.partial(self._on_exchange, source=next(self._sources))
        self._feeds[id(exchanged)] = (exchanged, slot)
        exchanged.connect(slot)

    def forget(self, exchanged: Signal[[Exchange]]) -> None:
        """Stop saving what ``exchanged`` reports (exchanges already seen stay saved)."""
        feed = self._feeds.pop(id(exchanged), None)
        if feed is not None:
            exchanged.disconnect(feed[1])

    def next_run(self, name: str, meta: Mapping[str, Any] | None = None,
                 report: Mapping[str, Any] | None = None) -> None:
        """Finish the current run (with ``report``); the next exchange begins run ``name``."""
        self.finish(report)
        self.run_name, self.meta = name, dict(meta or {})

    def finish(self, report: Mapping[str, Any] | None = None) -> None:
        """Mark the current run finished (nothing happens when no run has begun)."""
        if self.run is not None:
            run, self.run = self.run, None
            self._guard(lambda: run.finish(report))

    def busy_runs(self) -> set[int]:
        """Runs still written to: the current one, and those with answers still to come."""
        busy = {recorder.run_id for _, recorder in self._open.values()}
        if self.run is not None:
            busy.add(self.run.run_id)
        return busy

    def _on_exchange(self, exchange: Exchange, source: int) -> None:
        if self.failed:
            return
        key = id(exchange)
        known = self._open.get(key)
        recorder = known[1] if known is not None and known[0] is exchange else self._current()
        if recorder is None:
            return
        if exchange.state in FINAL_STATES:
            self._open.pop(key, None)
        elif len(self._open) < _OPEN_LIMIT:
            self._open[key] = (exchange, recorder)
        self._guard(lambda: recorder.record(exchange, source))

    def _current(self) -> RunRecorder | None:
        if self.run is None:
            self.run = self._guard(lambda: self.store.begin_run(self.run_name, self.meta))
        return self.run

    def _guard(self, action: Callable[[], Any]) -> Any:
        """Run a store action; a disk error stops autosaving once, with one message."""
        try:
            return action()
        except (sqlite3.Error, OSError) as exc:
            _log.error("run store failed", exc_info=exc)
            self._stop(str(exc))
            return None

    def _stop(self, reason: str) -> None:
        if self.failed:
            return
        self.failed = True
        if self._on_error is not None:
            self._on_error(f"Autosave stopped: the run store at {self.store.path} failed "
                           f"({reason}). The live log is unaffected; export it to keep it.")
