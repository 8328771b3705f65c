"""``run --evidence``: one zip for a bug report, whose replay script works against ``serve``."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.export import is_identifier_key
from inspector.server import EmbeddedServer

_SCENARIOS = ["timeline-1", "ad-outside-break"]


def _pack(tmp_path: Path, *extra: str) -> zipfile.ZipFile:
    path = tmp_path / f"e{len(extra)}.zip"
    assert main(["run", *_SCENARIOS, "--evidence", str(path), "--no-store", *extra]) == 0
    return zipfile.ZipFile(path)


def _identifiers(pack: zipfile.ZipFile) -> set[str]:
    """The id values of every sessionStart in an unredacted pack."""
    found: set[str] = set()
    for entry in json.loads(pack.read("run.har"))["log"]["entries"]:
        body = json.loads(entry["request"]["postData"]["text"])
        for key, value in (body.get("params") or {}).items():
            if is_identifier_key(key) and isinstance(value, str):
                found.add(value)
    return found


def test_the_pack_holds_what_a_bug_report_needs_and_no_id(tmp_path: Path) -> None:
    kept = _identifiers(_pack(tmp_path, "--no-redact"))
    assert kept, "the scenarios send visitor/org ids, so the check below means something"
    pack = _pack(tmp_path)
    names = set(pack.namelist())
    assert {"README.txt", "run.har", "replay.sh", "findings.txt", "report.json"} <= names
    assert {f"scenarios/{n}.yaml" for n in _SCENARIOS} <= names
    for name in _SCENARIOS:
        assert pack.read(f"timeline-{name}.png").startswith(b"\x89PNG\r\n\x1a\n")
    assert (pack.getinfo("replay.sh").external_attr >> 16) & 0o111
    assert "AD_OUTSIDE_BREAK" in pack.read("findings.txt").decode()
    assert set(json.loads(pack.read("report.json"))) == set(_SCENARIOS)
    for name in names:
        text = pack.read(name).decode("latin-1")
        assert not [i for i in kept if i in text], name


@pytest.mark.skipif(shutil.which("curl") is None, reason="replay.sh needs curl")
def test_the_replay_script_replays_against_serve_with_every_call_accepted(
        tmp_path: Path) -> None:
    pack = _pack(tmp_path)
    script = tmp_path / "replay.sh"
    script.write_bytes(pack.read("replay.sh"))
    har = json.loads(pack.read("run.har"))["log"]["entries"]
    with EmbeddedServer() as server:
        proc = subprocess.run(["sh", str(script), server.base_url], capture_output=True,
                              text=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    calls = [line for line in lines if " (was " in line]
    assert len(calls) == len(har)
    assert all(line.split()[0] in ("201", "204") for line in calls)
    assert lines[-1] == f"0 of {len(har)} call(s) answered differently from the original run"


def test_replaying_against_a_server_that_is_down_says_so_and_fails(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("replay.sh needs curl")
    script = tmp_path / "replay.sh"
    script.write_bytes(_pack(tmp_path).read("replay.sh"))
    proc = subprocess.run(["sh", str(script), "http://127.0.0.1:9"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("000 sessionStart")
