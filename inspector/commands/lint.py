"""``media-inspector lint CAPTURE…``: a real player's HAR captures judged by the advisor.

Exit codes: 0 every capture read and no finding at error level, 1 a finding at error level,
2 a file that cannot be read as HAR (the reason is printed; the other files are still
judged).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from ..capture import CaptureLog, format_sessions
from ..capture.har import Capture, CaptureError, read_har
from ..capture.judge import judge_capture
from ..capture.records import capture_document, session_case
from ..export import junit_xml, write_text

__all__ = ["lint_command", "add_lint_parser", "EXIT_OK", "EXIT_FAIL", "EXIT_USAGE"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
_PROG = "media-inspector lint"
LINT_FORMAT = "media-inspector-lint"


def add_lint_parser(sub: argparse._SubParsersAction) -> None:
    """The ``lint`` sub-command's options."""
    lint = sub.add_parser("lint", help="judge HAR captures of a real player (exit 0 clean, "
                                       "1 findings at error level, 2 unreadable file)")
    lint.add_argument("captures", nargs="+", metavar="CAPTURE",
                      help="a HAR 1.2 file: Chrome/Firefox DevTools, Charles, Proxyman, "
                           "mitmproxy (hardump), or ours")
    lint.add_argument("--junit", metavar="FILE", help="write JUnit XML (one case per session)")
    lint.add_argument("--json", metavar="FILE", help="write every capture's sessions, "
                                                     "reports and notes as JSON")


def _heading(capture: Capture, log: CaptureLog) -> str:
    calls = sum(len(s.exchanges) for s in log.analyzer.sessions.values())
    return (f"{capture.source} ({capture.creator}): {capture.entries} entr"
            f"{'y' if capture.entries == 1 else 'ies'}, {calls} Media Collection call(s)")


def _print(capture: Capture, log: CaptureLog, out: TextIO) -> None:
    print(_heading(capture, log), file=out)
    for note in capture.notes:
        print(f"  note: {note}", file=out)
    if log.analyzer.sessions:
        print(format_sessions(log.analyzer.sessions.values()), file=out)


def _export(judged: list[tuple[Capture, CaptureLog]], args: argparse.Namespace) -> None:
    if args.junit:
        write_text(args.junit, junit_xml([session_case(s, c.source) for c, log in judged
                                          for s in log.analyzer.sessions.values()]))
    if args.json:
        documents: list[dict[str, Any]] = [
            capture_document(log.exchanges, log.analyzer.sessions.values(),
                             {"capture": c.source, "creator": c.creator, "notes": c.notes})
            for c, log in judged]
        write_text(args.json, json.dumps({"format": LINT_FORMAT, "captures": documents},
                                         indent=2))


def lint_command(args: argparse.Namespace, out: TextIO = sys.stdout,
                 err: TextIO = sys.stderr) -> int:
    """``media-inspector lint``: see the module docstring for exit codes."""
    judged: list[tuple[Capture, CaptureLog]] = []
    unreadable = 0
    for path in args.captures:
        try:
            capture = read_har(path)
        except CaptureError as exc:
            print(f"{_PROG}: {path}: {exc}", file=err)
            unreadable += 1
            continue
        log = judge_capture(capture)
        judged.append((capture, log))
        _print(capture, log, out)
    try:
        _export(judged, args)
    except OSError as exc:
        print(f"{_PROG}: cannot write an export: {exc}", file=err)
        return EXIT_USAGE
    if unreadable:
        return EXIT_USAGE
    return EXIT_FAIL if any(log.analyzer.errors for _, log in judged) else EXIT_OK
