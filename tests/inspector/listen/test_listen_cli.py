"""``media-inspector listen`` as a user runs it: a real subprocess, a real client, Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from inspector.capture.har import read_har
from inspector.capture.judge import judge_capture
from inspector.client import MediaCollectionClient
from inspector.protocol.bodies import sample_body
from inspector.runstore import RunStore


def _start(*args: str) -> tuple[subprocess.Popen[str], str]:
    # Ctrl-C must raise KeyboardInterrupt even if this test runs with SIGINT ignored.
    process = subprocess.Popen([sys.executable, "-m", "inspector", "listen", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr is not None
    first = process.stderr.readline()
    found = re.search(r"listening on (http://\S+) -> ", first)
    if found is None:
        process.kill()
        raise AssertionError(first + process.communicate(timeout=60)[1])
    return process, found.group(1)


async def _player(url: str, ad_outside_break: bool) -> int:
    client = MediaCollectionClient(url, retries=0)
    try:
        channel, started = await client.start_session(sample_body("sessionStart"))
        kind = "adStart" if ad_outside_break else "play"
        await channel.send(sample_body(kind, ts=(started.ts or 0) + 1000))
        return started.status or 0
    finally:
        await client.aclose()


def _interrupt(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    return process.communicate(timeout=60)


def test_listen_lines_summary_exports_and_fail_on_findings(tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite3"
    process, url = _start("--upstream", "embedded", "--port", "0", "--fail-on-findings",
                          "--store", str(store), "--junit", str(tmp_path / "j.xml"),
                          "--har", str(tmp_path / "h.har"), "--json", str(tmp_path / "r.json"))
    try:
        assert asyncio.run(_player(url, ad_outside_break=True)) == 201
    finally:
        out, err = _interrupt(process)
    assert process.returncode == 1, out + err
    lines = out.splitlines()
    assert re.match(r"\d\d:\d\d:\d\d POST /api/v1/sessions sessionStart 201 [\d.]+ms$", lines[0])
    assert re.match(r".* POST /api/v1/sessions/\w{8}…/events adStart 204 .*"
                    r"AD_OUTSIDE_BREAK\(error\)", lines[1])
    assert "findings: AD_OUTSIDE_BREAK x1 (error)" in out
    assert "1 session(s), 2 call(s), 1 finding(s) at error level" in out
    (case,) = ET.parse(tmp_path / "j.xml").getroot().iter("testcase")
    failure = case.find("failure")
    assert failure is not None and "AD_OUTSIDE_BREAK" in (failure.text or "")
    har = json.loads((tmp_path / "h.har").read_text())
    assert [e["response"]["status"] for e in har["log"]["entries"]] == [201, 204]
    (linted,) = judge_capture(read_har(tmp_path / "h.har")).analyzer.sessions.values()
    assert linted.finding_counts() == {"AD_OUTSIDE_BREAK": 1}  # listen's HAR lints the same
    document = json.loads((tmp_path / "r.json").read_text())
    (sid,) = document["report"]
    assert document["run"]["sessions"][0]["findings"] == {"AD_OUTSIDE_BREAK": 1}
    assert document["report"][sid]["events"]["ignored"] == 1  # the ad is not counted
    with RunStore(store, read_only=True) as runs:  # the window's Past runs list it
        (run,) = runs.list_runs()
        assert (run.name, run.status, run.exchanges) == ("listen · embedded", "finished", 2)
        assert sid in (runs.open_run(run.id).report or {})


def test_listen_exits_0_on_ctrl_c_when_the_player_did_nothing_wrong() -> None:
    process, url = _start("--upstream", "embedded", "--port", "0", "--fail-on-findings",
                          "--no-store")
    try:
        asyncio.run(_player(url, ad_outside_break=False))
    finally:
        out, err = _interrupt(process)
    assert process.returncode == 0, out + err
    assert "0 finding(s) at error level" in out and "stopped" in err


def test_listen_refuses_a_bad_upstream_and_a_busy_port_in_one_line() -> None:
    bad = subprocess.run([sys.executable, "-m", "inspector", "listen", "--upstream",
                          "ftp://example.com", "--no-store"], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "--upstream" in bad.stderr and "Traceback" not in bad.stderr
    slow = subprocess.run([sys.executable, "-m", "inspector", "listen", "--upstream",
                           "embedded", "--timeout", "-1"], capture_output=True, text=True,
                          timeout=60)
    assert slow.returncode == 2 and "positive number of seconds" in slow.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "inspector", "listen", "--upstream",
                               "embedded", "--port", str(port), "--no-store"],
                              capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr
