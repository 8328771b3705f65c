"""The SQLite run store: every run saved as it happens, reopened read-only later.

One database (WAL) under the user data directory. Exchanges that reach a final state are
batched and committed in one transaction per flush: on an event loop the flush is queued
with ``call_soon`` when the first exchange of a batch arrives, so it runs before whoever
awaited that exchange resumes (a coroutine woken by the same completion is queued after it);
killing the process therefore loses no exchange anyone saw completed. Without a running loop
each write flushes at once. Retention keeps the newest ``max_runs`` runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Protocol

import orjson
import platformdirs

from .exchange import Exchange, ExchangeState
from .export.records import body_text, exchange_from_dict, exchange_to_dict, finding_to_dict
from .report import SessionReport
from .signals import Signal
from .store import ExchangeStore

__all__ = ["ExchangeSink", "RunInfo", "RunRecorder", "RunStore", "StoredRun", "default_path",
           "FINAL_STATES", "rebuild_report"]

FINAL_STATES = frozenset({ExchangeState.DONE, ExchangeState.FAILED, ExchangeState.UNSENT,
                          ExchangeState.DISCARDED})
_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, started_at REAL NOT NULL,
    ended_at REAL, status TEXT NOT NULL DEFAULT 'running', meta TEXT NOT NULL DEFAULT '{}',
    report TEXT);
CREATE TABLE IF NOT EXISTS exchanges (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    source INTEGER NOT NULL, seq INTEGER NOT NULL, channel INTEGER NOT NULL,
    event_type TEXT NOT NULL, status INTEGER, written_at REAL NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (run_id, source, seq));
"""
_UPSERT = ("INSERT INTO exchanges (run_id, source, seq, channel, event_type, status, "
           "written_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (run_id, source, seq) DO UPDATE SET status=excluded.status, "
           "written_at=excluded.written_at, data=excluded.data")
_FORMAT = 1  # PRAGMA user_version of this layout
_BATCH = 500  # rows: a flush this large is due at once, whatever the loop is doing
Row = tuple[int, int, int, int, str, "int | None", float, str]


def _private(path: Path) -> None:
    """Make the store file 0600, and its folder 0700 when it is ours: the runs hold ids.

    The folder is ours when it is the default one or this call created it; a folder the
    user named for ``--store`` keeps its mode. SQLite gives ``-wal`` and ``-shm`` the
    file's mode.
    """
    folder = path.parent
    if not folder.exists() or folder == default_path().parent:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.is_file() and path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a store from before this rule


def _check_intact(path: Path) -> None:
    """Refuse a database file shorter than its header says (cut by a copy or a full disk).

    Only without a ``-wal`` file: pages may then live in the log rather than the file.
    """
    try:
        with path.open("rb") as f:
            header = f.read(100)
        size = path.stat().st_size
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return  # a new store, or an error sqlite reports in its own words
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return
    if Path(f"{path}-wal").exists() or header[92:96] != header[24:28]:
        return  # pages in the log, or a header size old SQLite versions left stale
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page  # the header's way of writing 65536
    pages = int.from_bytes(header[28:32], "big")
    if pages and size < page * pages:
        raise sqlite3.DatabaseError(f"database file is truncated ({size:,} of "
                                    f"{page * pages:,} bytes)")


def _encode(data: dict[str, Any]) -> str:
    try:
        return orjson.dumps(data).decode("utf-8")
    except TypeError:  # orjson refuses lone surrogates and huge ints; json escapes them
        return json.dumps(data)


def _body(raw: bytes) -> dict[str, str]:
    if not raw:
        return _EMPTY_BODY
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return body_text(raw)


_EMPTY_BODY = {"text": ""}


def _encode_exchange(e: Exchange) -> str:
    """``exchange_to_dict(e)`` as JSON text, built in one step (the run store's hot path).

    The same document, key for key: orjson writes the header tuples as arrays and the str
    enums by value, so no intermediate lists are built. A test holds it equal to
    :func:`exchange_to_dict` for every field.
    """
    kind = e.error_kind
    data: dict[str, Any] = {
        "seq": e.seq, "channel": e.channel, "attempt": e.attempt,
        "method": e.method, "url": e.url, "eventType": e.event_type,
        "state": e.state, "status": e.status,
        "sid": e.sid, "apiVersion": e.api_version,
        "playhead": e.playhead, "ts": e.ts,
        "queuedAt": e.queued_at, "startedAt": e.started_at,
        "durationMs": e.duration_ms,
        "error": e.error,
        "errorKind": kind.name if kind else None,
        "requestHeaders": e.request_headers,
        "requestBody": _body(e.request_body),
        "responseHeaders": e.response_headers,
        "responseBody": _body(e.response_body),
        "findings": [finding_to_dict(f) for f in e.findings] if e.findings else [],
    }
    if e.response_truncated:
        data["responseTruncated"] = e.response_truncated
    try:
        return orjson.dumps(data).decode("utf-8")
    except TypeError:  # a surrogate, a huge int, or a field of an odd type: the slow way
        return _encode(exchange_to_dict(e))


def default_path() -> Path:
    """``runs.sqlite3`` in the platform's user data directory for media-inspector."""
    return platformdirs.user_data_path("media-inspector", appauthor=False) / "runs.sqlite3"


@dataclass(frozen=True)
class RunInfo:
    """One row of the run list."""

    id: int
    name: str
    started_at: float
    ended_at: float | None
    status: str  # running (or killed while running), finished, failed, interrupted
    exchanges: int
    meta: dict[str, Any]

    def verdict_text(self) -> str:
        """"PASS · 9/9 · 2 findings", "FAIL · 7/9 · 1 finding", or "" for a clicked run."""
        verdict = self.meta.get("verdict")
        if not isinstance(verdict, dict):
            return ""
        parts = ["PASS" if verdict.get("ok") else "FAIL"]
        met = verdict.get("expectations")
        if isinstance(met, list) and len(met) == 2:
            parts.append(f"{met[0]}/{met[1]}")
        found = verdict.get("findings")
        if isinstance(found, int):
            parts.append(f"{found} finding{'' if found == 1 else 's'}")
        return " · ".join(parts)


@dataclass
class StoredRun:
    """A past run, reopened read-only: its exchanges in order and its report."""

    info: RunInfo
    exchanges: list[Exchange]
    report: dict[str, Any] | None


class ExchangeSink(Protocol):
    """Whatever watches a client's ``exchanged`` signal for a run (a recorder, a tap)."""

    def observe_exchanges(self, exchanged: Signal[[Exchange]]) -> None: ...


class RunRecorder:
    """Appends one run's exchanges to the store as each completes."""

    def __init__(self, store: RunStore, run_id: int) -> None:
        self.store, self.run_id = store, run_id
        # id(signal) -> (signal, source number within the run); holding the signal keeps its
        # id from being reused by a later one, which would merge two seq namespaces.
        self._sources: dict[int, tuple[Signal[[Exchange]], int]] = {}

    def record(self, exchange: Exchange, source: int = 0) -> None:
        """Write (or rewrite) an exchange once it is final; earlier states are skipped."""
        if exchange.state in FINAL_STATES:
            self.store._queue(self.run_id, source, exchange)

    def observe_exchanges(self, exchanged: Signal[[Exchange]]) -> None:
        """Record every exchange ``exchanged`` reports, e.g. a client's ``exchanged`` signal.

        Each signal gets its own seq namespace (source) in the run; observing one twice is a
        no-op. The recorder never sees the client itself, only what it emits.
        """
        if id(exchanged) in self._sources:
            return
        source = len(self._sources)
        self._sources[id(exchanged)] = (exchanged, source)
        exchanged.connect(lambda e: self.record(e, source))

    def observe_store(self, exchanges: ExchangeStore, source: int = 0) -> None:
        """Record what an in-memory :class:`ExchangeStore` receives."""
        def on_row(row: int) -> None:
            self.record(exchanges[row], source)
        exchanges.added.connect(on_row)
        exchanges.updated.connect(on_row)

    def finish(self, report: Mapping[str, Any] | None = None, status: str = "finished",
               verdict: Mapping[str, Any] | None = None) -> None:
        """Mark the run ended and keep its report; ``verdict`` (e.g. ``{"ok": True,
        "findings": 2, "expectations": [9, 9]}``) goes into its meta for the run lists."""
        self.store._finish(self.run_id, report, status, verdict)


class RunStore:
    """Runs and their exchanges in one SQLite file (WAL); ``max_runs`` newest are kept."""

    def __init__(self, path: str | Path | None = None, *, max_runs: int = 200,
                 read_only: bool = False) -> None:
        if max_runs < 1:
            raise ValueError("max_runs must be at least 1")
        self.path, self.max_runs, self.read_only = Path(path or default_path()), max_runs, read_only
        self._pending: list[Row] = []
        self._flush_queued = False
        self.failure: str | None = None  # the first write that failed; later ones are dropped
        self.failed = Signal[[str]]()  # emitted once, with that reason
        _check_intact(self.path)
        self._db = self._open_read_only() if read_only else self._open_for_writing()
        try:
            self._db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error:
            self._db.close()
            raise

    def _open_read_only(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)

    def _open_for_writing(self) -> sqlite3.Connection:
        _private(self.path)
        db = sqlite3.connect(self.path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL: a commit survives a killed process (not a power cut), cheaply.
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            with db:  # a real write now, so a read-only file fails here, not mid-run
                db.execute(f"PRAGMA user_version={_FORMAT}")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Write what is pending, then close the database."""
        self.flush()
        self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------

    def begin_run(self, name: str, meta: Mapping[str, Any] | None = None) -> RunRecorder:
        """Create a run (dropping the oldest past ``max_runs``) and return its recorder.

        When the store cannot be written the recorder is a dead one (see :meth:`flush`).
        """
        if self.read_only:
            raise PermissionError("this run store was opened read-only")
        self.flush()  # retention may drop a run with rows still pending
        try:
            with self._db:
                cur = self._db.execute("INSERT INTO runs (name, started_at, meta) "
                                       "VALUES (?, ?, ?)",
                                       (name, time.time(), json.dumps(dict(meta or {}))))
                self._db.execute("DELETE FROM runs WHERE id NOT IN "
                                 "(SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
                                 (self.max_runs,))
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc, 0)
            return RunRecorder(self, -1)
        assert cur.lastrowid is not None
        return RunRecorder(self, cur.lastrowid)

    def delete(self, run_id: int) -> bool:
        """Remove a past run and its exchanges; False when there was no such run."""
        if self.read_only:
            raise PermissionError("this run store was opened read-only")
        self.flush()
        with self._db:  # its exchanges go with it (ON DELETE CASCADE)
            removed = self._db.execute("DELETE FROM runs WHERE id=?", (run_id,)).rowcount
        return removed > 0

    def _queue(self, run_id: int, source: int, exchange: Exchange) -> None:
        if self.failure is not None:
            return
        # Serialised now: the exchange may change again (a retry, a late answer) before the
        # flush, and the row must say what it was when it became final.
        data = _encode_exchange(exchange)
        self._pending.append((run_id, source, exchange.seq, exchange.channel,
                              exchange.event_type, exchange.status, time.time(), data))
        if len(self._pending) >= _BATCH:
            self.flush()
        elif not self._flush_queued:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                self.flush()
                return
            loop.call_soon(self._queued_flush)
            self._flush_queued = True

    def _queued_flush(self) -> None:
        self._flush_queued = False
        self.flush()

    def flush(self) -> None:
        """Commit every pending exchange in one transaction; never raises.

        A failure (disk full, file gone read-only or corrupt) sets :attr:`failure` and
        emits :attr:`failed` once; nothing more is written, so the run stays unfinished.
        """
        rows, self._pending = self._pending, []
        if not rows or self.failure is not None:
            return
        try:
            with self._db:
                self._db.executemany(_UPSERT, rows)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc, len(rows))

    def _fail(self, exc: BaseException, lost: int) -> None:
        if self.failure is None:
            self.failure = str(exc) + (f" ({lost} exchange(s) not saved)" if lost else "")
            self.failed.emit(self.failure)

    def _finish(self, run_id: int, report: Mapping[str, Any] | None, status: str,
                verdict: Mapping[str, Any] | None = None) -> None:
        self.flush()
        if self.failure is not None:  # exchanges are missing: the run stays unfinished
            return
        try:
            with self._db:
                if verdict is not None:
                    (meta,) = self._db.execute("SELECT meta FROM runs WHERE id=?",
                                               (run_id,)).fetchone()
                    self._db.execute("UPDATE runs SET meta=? WHERE id=?", (json.dumps(
                        {**json.loads(meta), "verdict": dict(verdict)}), run_id))
                self._db.execute("UPDATE runs SET ended_at=?, status=?, report=? WHERE id=?",
                                 (time.time(), status,
                                  None if report is None else json.dumps(dict(report)),
                                  run_id))
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc, 0)

    # -- reading ------------------------------------------------------------------------

    def list_runs(self) -> list[RunInfo]:
        """Past runs, newest first."""
        self.flush()
        rows = self._db.execute(
            "SELECT r.id, r.name, r.started_at, r.ended_at, r.status, "
            "(SELECT COUNT(*) FROM exchanges e WHERE e.run_id = r.id), r.meta "
            "FROM runs r ORDER BY r.id DESC").fetchall()
        return [RunInfo(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def open_run(self, run_id: int) -> StoredRun:
        """A past run's exchanges (in the order they were queued) and report."""
        info = next((r for r in self.list_runs() if r.id == run_id), None)
        if info is None:
            raise KeyError(f"no run #{run_id} in {self.path} (it may have been removed by "
                           f"retention; {self.max_runs} runs are kept)")
        rows = self._db.execute("SELECT data FROM exchanges WHERE run_id=? "
                                "ORDER BY source, seq", (run_id,)).fetchall()
        (report,) = self._db.execute("SELECT report FROM runs WHERE id=?", (run_id,)).fetchone()
        exchanges = [exchange_from_dict(json.loads(r[0])) for r in rows]
        return StoredRun(info, exchanges,
                         json.loads(report) if report else rebuild_report(exchanges))


def rebuild_report(exchanges: list[Exchange]) -> dict[str, Any] | None:
    """The report of the last session, from its accepted bodies (runs killed mid-way)."""
    started = [e for e in exchanges if e.event_type == "sessionStart" and e.ok and e.sid]
    if not started:
        return None
    last = started[-1]
    report = SessionReport()
    for e in exchanges:
        body = e.body_json()
        if e.channel == last.channel and e.ok and isinstance(body, dict):
            report.add(body)
    return report.to_dict()
