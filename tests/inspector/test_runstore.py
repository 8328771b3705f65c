"""The SQLite run store: record, list, reopen read-only, retention, and surviving SIGKILL."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from inspector.client import MediaCollectionClient
from inspector.exchange import Exchange, ExchangeState
from inspector.export import exchange_to_dict
from inspector.runstore import RunStore, default_path
from inspector.signals import Signal
from tests.inspector._export_samples import sample_exchanges

SID = "b" * 64


def _backend(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/sessions":
        return httpx.Response(201, headers={"Location": f"/api/v1/sessions/{SID}"})
    return httpx.Response(204)


def test_default_path_is_in_the_user_data_dir() -> None:
    assert default_path().name == "runs.sqlite3"
    assert "media-inspector" in str(default_path())


def test_record_list_and_reopen_read_only(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite3"
    with RunStore(path) as store:
        recorder = store.begin_run("golden", {"scenario": "timeline-1"})
        for exchange in sample_exchanges():
            recorder.record(exchange)
        recorder.finish({"events": {"processed": 3}})
    with RunStore(path, read_only=True) as reader:
        (info,) = reader.list_runs()
        assert (info.name, info.status, info.exchanges) == ("golden", "finished", 4)
        assert info.meta == {"scenario": "timeline-1"}
        run = reader.open_run(info.id)
        assert [exchange_to_dict(e) for e in run.exchanges] == [
            exchange_to_dict(e) for e in sample_exchanges()]
        assert run.report == {"events": {"processed": 3}}
        with pytest.raises(PermissionError):
            reader.begin_run("nope")
        with pytest.raises(sqlite3.OperationalError):
            reader._db.execute("DELETE FROM runs")


def test_unknown_run_says_what_happened(tmp_path: Path) -> None:
    with RunStore(tmp_path / "r.db") as store, pytest.raises(KeyError, match="retention"):
        store.open_run(42)


def test_retention_keeps_the_newest_runs(tmp_path: Path) -> None:
    with RunStore(tmp_path / "r.db", max_runs=3) as store:
        for n in range(5):
            store.begin_run(f"run {n}").record(sample_exchanges()[0])
        assert [r.name for r in store.list_runs()] == ["run 4", "run 3", "run 2"]
        count = store._db.execute("SELECT COUNT(*) FROM exchanges").fetchone()[0]
        assert count == 3  # the dropped runs' exchanges went with them


def test_deleting_a_run_removes_it_and_its_exchanges(tmp_path: Path) -> None:
    with RunStore(tmp_path / "r.db") as store:
        keep, drop = store.begin_run("keep"), store.begin_run("drop")
        for recorder in (keep, drop):
            recorder.record(sample_exchanges()[0])
        assert store.delete(drop.run_id) is True and store.delete(drop.run_id) is False
        assert [r.name for r in store.list_runs()] == ["keep"]
        count = store._db.execute("SELECT COUNT(*) FROM exchanges").fetchone()[0]
        assert count == 1
    with RunStore(tmp_path / "r.db", read_only=True) as reader, pytest.raises(PermissionError):
        reader.delete(keep.run_id)


async def test_only_final_states_are_written_and_the_sid_is_kept(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "r.db")
    recorder = store.begin_run("live")
    client = MediaCollectionClient("http://127.0.0.1:9", transport=httpx.MockTransport(_backend))
    recorder.observe_exchanges(client.exchanged)
    channel = client.open_channel()
    await channel.start({"playerTime": {"playhead": 0, "ts": 1}, "eventType": "sessionStart"})
    await channel.send({"playerTime": {"playhead": 0, "ts": 2}, "eventType": "play"})
    await client.aclose()
    run = store.open_run(recorder.run_id)
    assert [(e.event_type, e.status, e.state) for e in run.exchanges] == [
        ("sessionStart", 201, ExchangeState.DONE), ("play", 204, ExchangeState.DONE)]
    assert run.exchanges[0].sid == SID
    assert run.info.status == "running"  # never finished: shown as such in the list
    store.close()


def test_killed_process_loses_no_completed_exchange(tmp_path: Path) -> None:
    path = tmp_path / "killed.sqlite3"
    child = Path(__file__).with_name("_runstore_child.py")
    with subprocess.Popen([sys.executable, str(child), str(path)], stdout=subprocess.PIPE,
                          text=True, cwd=Path(__file__).parents[2]) as proc:
        assert proc.stdout is not None
        last = 0
        for line in proc.stdout:
            last = int(line.split()[1])
            if last >= 40:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL and last >= 40
    with RunStore(path, read_only=True) as store:
        (info,) = store.list_runs()
        run = store.open_run(info.id)
    assert info.status == "running"
    assert len(run.exchanges) >= last  # every exchange reported done is on disk
    assert [e.seq for e in run.exchanges] == list(range(1, len(run.exchanges) + 1))
    assert all(e.state is ExchangeState.DONE for e in run.exchanges)
    assert run.exchanges[0].sid == "a" * 64
    assert run.report is not None and run.report["events"]["processed"] == len(run.exchanges)
    assert json.loads(run.exchanges[-1].request_body)["eventType"] == "ping"


def test_each_observed_signal_has_its_own_seq_namespace(tmp_path: Path) -> None:
    first, second = Signal[[Exchange]](), Signal[[Exchange]]()
    with RunStore(tmp_path / "r.db") as store:
        recorder = store.begin_run("two clients")
        for signal_ in (first, second, first):  # the repeat opens no second source
            recorder.observe_exchanges(signal_)
        for signal_ in (first, second):
            signal_.emit(sample_exchanges()[0])  # both clients' first exchange is seq 1
        run = store.open_run(recorder.run_id)
    assert [(e.seq, e.event_type) for e in run.exchanges] == [(1, "sessionStart")] * 2


async def test_exchanges_completing_in_one_tick_share_one_commit(tmp_path: Path) -> None:
    commits: list[str] = []
    with RunStore(tmp_path / "r.db") as store:
        store._db.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
        recorder = store.begin_run("burst")
        commits.clear()
        for seq in range(1, 101):  # a hundred players' answers arriving together
            exchange = sample_exchanges()[1]
            exchange.seq = seq
            recorder.record(exchange)
        assert commits == []  # nothing written yet: the flush waits for the tick's end
        await asyncio.sleep(0)
        assert commits == ["COMMIT"]
        with RunStore(tmp_path / "r.db", read_only=True) as reader:
            assert reader.list_runs()[0].exchanges == 100  # and it is on disk for others


def test_the_store_and_its_folder_are_the_users_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "media-inspector"
    old = tmp_path / "old.sqlite3"
    tmp_path.chmod(0o755)
    RunStore(old).close()
    old.chmod(0o644)  # a store written before the rule
    with RunStore(folder / "runs.sqlite3") as store, RunStore(old):
        store.begin_run("ids").record(sample_exchanges()[0])
        assert Path(f"{store.path}-wal").exists()
        modes = {p.name: p.stat().st_mode & 0o777 for p in (folder, *folder.iterdir(), old)}
    assert modes == {"media-inspector": 0o700, "runs.sqlite3": 0o600,
                     "runs.sqlite3-wal": 0o600, "runs.sqlite3-shm": 0o600, "old.sqlite3": 0o600}
    assert tmp_path.stat().st_mode & 0o777 == 0o755  # a folder the user named keeps its mode


def test_an_exchange_orjson_refuses_is_still_stored(tmp_path: Path) -> None:
    exchange = sample_exchanges()[3]
    exchange.error = "odd reply \ud800"  # a lone surrogate from a decoded reply
    exchange.ts = 10 ** 30  # beyond 64 bits
    with RunStore(tmp_path / "r.db") as store:
        recorder = store.begin_run("odd")
        recorder.record(exchange)
        (back,) = store.open_run(recorder.run_id).exchanges
    assert (back.error, back.ts) == (exchange.error, exchange.ts) and store.failure is None


def test_the_stored_row_is_exchange_to_dict_field_for_field() -> None:
    """The store's one-step encoder writes the document ``exchange_to_dict`` describes."""
    from dataclasses import replace

    from inspector.runstore import _encode_exchange
    odd = [replace(sample_exchanges()[2], response_body=b"\xff\xfe binary",
                   request_body=b"", response_truncated=70_000, attempt=2),
           replace(sample_exchanges()[1], error="lone \ud800 surrogate"),
           replace(sample_exchanges()[0], request_headers=[["X-List", "a list, not a tuple"]])]
    for exchange in [*sample_exchanges(), *odd]:
        assert json.loads(_encode_exchange(exchange)) == json.loads(
            json.dumps(exchange_to_dict(exchange)))
