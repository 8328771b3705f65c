"""``run`` with a run store that cannot be written: one line on stderr, exit 2, no traceback.

Every fault is real: a directory where the file should be, bytes that are no database, a
file cut short, a file the process may not write, and a disk that fills up mid-run (a
file-size limit set in the child with ``RLIMIT_FSIZE``).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from inspector.runstore import RunStore
from tests.inspector._export_samples import sample_exchanges


def _run(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([sys.executable, "-m", "inspector", "run", *args],
                          capture_output=True, text=True, timeout=120, preexec_fn=cap)


def _one_store_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if "run store" in line]
    assert len(lines) == 1, done.stderr
    return lines[0]


def _filled_store(path: Path) -> None:
    with RunStore(path) as store:
        for n in range(30):
            recorder = store.begin_run(f"run {n}")
            for exchange in sample_exchanges():
                exchange.request_body += b" " * 2000  # enough pages to cut some off
                recorder.record(exchange)
            recorder.finish()


@contextmanager
def _unwritable(path: Path) -> Iterator[None]:
    """``path`` made read-only for this user; root ignores modes, so it is made immutable."""
    if os.geteuid() != 0:
        path.chmod(0o400)
        yield
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
        pytest.skip("running as root on a filesystem without chattr +i")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _directory(path: Path) -> None:
    path.mkdir()


def _garbage(path: Path) -> None:
    path.write_bytes(b"these are not the pages you are looking for\n" * 200)


def _truncated(path: Path) -> None:
    _filled_store(path)
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("spoil", [_directory, _garbage, _truncated],
                         ids=["directory", "corrupt", "truncated"])
def test_a_store_that_cannot_be_opened_is_one_line_and_nothing_runs(
        tmp_path: Path, spoil: Callable[[Path], None]) -> None:
    store = tmp_path / "runs.sqlite3"
    spoil(store)
    done = _run("timeline-1", "--store", str(store))
    line = _one_store_line(done)
    assert str(store) in line and "--no-store" in line
    assert done.stdout == ""  # nothing ran


def test_a_read_only_store_is_one_line_and_nothing_runs(tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite3"
    _filled_store(store)
    with _unwritable(store):
        done = _run("timeline-1", "--store", str(store))
    assert "readonly" in _one_store_line(done)
    assert done.stdout == ""


def test_a_disk_filling_up_mid_run_exits_2_and_leaves_the_run_unfinished(
        tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite3"
    done = _run("timeline-1", "--store", str(store), limit=48 * 1024)
    line = _one_store_line(done)
    assert "cannot write the run store" in line and "not saved" in line
    with RunStore(store, read_only=True) as runs:
        (info,) = runs.list_runs()
    assert info.status == "running" and info.exchanges < 53  # never "finished" with a gap
