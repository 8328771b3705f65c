"""``media-inspector lint``: HAR captures in the shape each tool writes, with the findings
each must and must not raise, the messy-capture notes, and exit codes 0/1/2."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from inspector.capture.har import CaptureError, parse_har, read_har
from inspector.capture.judge import judge_capture
from inspector.commands.lint import lint_command

CAPTURES = Path(__file__).resolve().parent / "captures"

# file: (codes it must raise, codes it must not raise, words its notes must contain)
EXPECTED = {
    "chrome-devtools.har": ({"AD_OUTSIDE_BREAK"}, {"EVENT_BEFORE_SESSION", "TS_NOT_INCREASING"},
                            ["8 entries that are not Media Collection POSTs ignored"]),
    "firefox-devtools.har": (set(), {"AD_OUTSIDE_BREAK", "PING_LATE", "TS_NOT_INCREASING"},
                             ["never got a response"]),
    "charles.har": ({"PING_HAS_PARAMS"}, {"AD_OUTSIDE_BREAK", "TS_NOT_INCREASING"},
                    ["repeats entry 3"]),
    "proxyman.har": (set(), {"AD_OUTSIDE_BREAK", "TS_NOT_INCREASING"},
                     ["no request body", "not in startedDateTime order"]),
    "mitmproxy-hardump.har": ({"AD_OUTSIDE_BREAK"}, {"EVENT_BEFORE_SESSION",
                                                     "TS_NOT_INCREASING"},
                              ["2 sessions are interleaved"]),
}


def _lint(*paths: str | Path, **options: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(captures=[str(p) for p in paths], junit=options.get("junit"),
                              json=options.get("json"))
    return lint_command(args, out, err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_tools_capture_raises_what_it_must_and_nothing_it_must_not(name: str) -> None:
    must, must_not, notes = EXPECTED[name]
    capture = read_har(CAPTURES / name)
    log = judge_capture(capture)
    codes = {code for s in log.analyzer.sessions.values() for code in s.finding_counts()}
    assert must <= codes and not codes & must_not, codes
    for words in notes:
        assert any(words in note for note in capture.notes), capture.notes
    status, out, err = _lint(CAPTURES / name)
    assert status == (1 if must else 0) and not err
    assert all(f"{code} x" in out for code in must)


def test_the_done_means_case_a_devtools_har_with_an_ad_outside_a_break_exits_1() -> None:
    done = subprocess.run([sys.executable, "-m", "inspector", "lint",
                           str(CAPTURES / "chrome-devtools.har")], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "AD_OUTSIDE_BREAK x2 (error)" in done.stdout
    assert "events 8 counted, 2 ignored" in done.stdout  # the backend ignores both ad calls


def test_the_sid_comes_from_location_and_chromes_redirect_url() -> None:
    data = json.loads((CAPTURES / "chrome-devtools.har").read_text())
    for entry in data["log"]["entries"]:
        entry["response"]["headers"] = [h for h in entry["response"]["headers"]
                                        if h["name"].lower() != "location"]
    log = judge_capture(parse_har(data, "chrome without Location headers"))
    assert list(log.analyzer.sessions) == ["01" * 32]  # redirectURL still names it


def test_base64_bodies_are_decoded_and_a_4xx_is_not_counted() -> None:
    log = judge_capture(read_har(CAPTURES / "charles.har"))
    (session,) = log.analyzer.sessions.values()
    refused = next(e for e in session.exchanges if e.status == 400)
    assert json.loads(refused.response_body) == {"message": "ping takes no params"}
    assert session.report.to_dict()["events"]["processed"] == len(session.exchanges) - 1


def test_our_own_har_from_run_lints_with_the_runs_findings(tmp_path: Path) -> None:
    har = tmp_path / "run.har"
    ran = subprocess.run([sys.executable, "-m", "inspector", "run", "ad-outside-break",
                          "--har", str(har), "--no-store"], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    recorded = {f["code"] for e in json.loads(har.read_text())["log"]["entries"]
                for f in e["_findings"]}
    log = judge_capture(read_har(har))
    (session,) = log.analyzer.sessions.values()
    assert set(session.finding_counts()) == recorded and "AD_OUTSIDE_BREAK" in recorded


def test_unreadable_files_exit_2_with_the_reason_and_the_others_are_still_judged(
        tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not json")
    (tmp_path / "other.json").write_text('{"log": {"pages": []}}')
    (tmp_path / "binary.har").write_bytes(b"\xff\xfe\x00")
    status, out, err = _lint(tmp_path / "notes.txt", tmp_path / "other.json",
                             tmp_path / "binary.har", tmp_path / "missing.har",
                             CAPTURES / "firefox-devtools.har")
    assert status == 2
    lines = err.splitlines()
    assert len(lines) == 4 and "Traceback" not in err
    assert "not JSON" in lines[0] and "not HAR" in lines[1] and "UTF-8" in lines[2]
    assert "missing.har: No such file" in lines[3]
    assert "firefox-devtools.har (Firefox 133.0)" in out


def test_odd_entries_become_notes_never_tracebacks() -> None:
    sid = "ab" * 32
    capture = parse_har({"log": {"entries": [
        "not an entry", {"request": {"method": "POST"}},
        {"request": {"method": "POST", "url": f"https://h/api/v1/sessions/{sid}/events",
                     "postData": {"text": "%%%", "encoding": "base64"}},
         "response": {"status": 204}, "startedDateTime": "yesterday"},
        {"request": {"method": "POST", "url": f"https://h/api/v1/sessions/{sid}/events",
                     "postData": {"text": "{\"eventType\": \"ping\"}"}}},
    ]}}, "odd.har")
    log = judge_capture(capture)
    assert sum("no request method or URL" in n for n in capture.notes) == 2
    assert any("says base64 but is not" in n for n in capture.notes)
    assert any("never got a response" in n for n in capture.notes)
    assert any("no readable startedDateTime" in n for n in capture.notes)
    (session,) = log.analyzer.sessions.values()
    assert "SCHEMA_INVALID" in session.finding_counts()  # the player's own broken bodies
    with pytest.raises(CaptureError, match="not HAR"):
        parse_har([1, 2, 3])


def test_lint_writes_junit_and_json(tmp_path: Path) -> None:
    status, _out, _err = _lint(CAPTURES / "mitmproxy-hardump.har",
                               CAPTURES / "firefox-devtools.har",
                               junit=str(tmp_path / "j.xml"), json=str(tmp_path / "l.json"))
    assert status == 1
    cases = list(ET.parse(tmp_path / "j.xml").getroot().iter("testcase"))
    assert len(cases) == 3
    assert [c.find("failure") is not None for c in cases] == [False, True, False]
    document = json.loads((tmp_path / "l.json").read_text())
    assert [len(c["report"]) for c in document["captures"]] == [2, 1]
    assert document["captures"][0]["run"]["notes"]
