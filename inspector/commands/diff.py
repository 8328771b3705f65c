"""``media-inspector diff CAPTURE-or-RUN REFERENCE``: a player's session against a reference.

Either side is a HAR capture, a run exported with ``--json`` (``run``, ``listen``) or a
scenario (a file or a built-in name, run here on the embedded backend at max speed). Both
are judged by the same advisor and report. Exit codes: 0 they match within the tolerance,
1 they differ, 2 a side cannot be read or run.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..capture import CapturedSession
from ..diff import DEFAULT_IGNORED_PARAMS, diff_sessions
from ..diff_sides import SideError, load_side, session_view

__all__ = ["diff_command", "add_diff_parser", "EXIT_OK", "EXIT_FAIL", "EXIT_USAGE"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
_PROG = "media-inspector diff"


def add_diff_parser(sub: argparse._SubParsersAction) -> None:
    """The ``diff`` sub-command's options."""
    diff = sub.add_parser("diff", help="compare a capture or run with a reference scenario or "
                                       "run (exit 0 they match within tolerance, 1 differ, "
                                       "2 unreadable)")
    diff.add_argument("capture", metavar="CAPTURE-or-RUN",
                      help="a HAR file, a run's --json export, or a scenario")
    diff.add_argument("reference", metavar="REFERENCE",
                      help="a scenario (file or built-in name), a HAR file or a run's JSON")
    diff.add_argument("--tolerance", type=float, default=2.0,
                      help="seconds an event's time and time metrics may differ (default 2)")
    diff.add_argument("--session", metavar="SID", help="which session of CAPTURE-or-RUN to "
                                                       "compare (a sid prefix; default first)")
    diff.add_argument("--ignore-param", action="append", default=[], metavar="KEY",
                      help="a parameter not to compare (visitor, org and routing keys are "
                           "never compared); repeatable")


def _pick(sessions: list[CapturedSession], prefix: str | None) -> CapturedSession | None:
    chosen = [s for s in sessions if prefix is None or (s.sid or s.key).startswith(prefix)]
    return chosen[0] if chosen else None


def diff_command(args: argparse.Namespace, out: TextIO = sys.stdout,
                 err: TextIO = sys.stderr) -> int:
    """``media-inspector diff``: see the module docstring for exit codes."""
    sides = []
    for spec, prefix in ((args.capture, args.session), (args.reference, None)):
        try:
            label, sessions = load_side(spec)
        except SideError as exc:
            print(f"{_PROG}: {spec}: {exc}", file=err)
            return EXIT_USAGE
        session = _pick(sessions, prefix)
        if session is None:
            print(f"{_PROG}: {spec}: no Media Collection session"
                  f"{f' with a sid starting {prefix!r}' if prefix else ''}", file=err)
            return EXIT_USAGE
        if len(sessions) > 1:
            print(f"note: {spec} has {len(sessions)} sessions; comparing "
                  f"{(session.sid or session.key)[:12]} (choose with --session)", file=out)
        sides.append(session_view(label, session))
    got, ref = sides
    found = diff_sessions(got, ref, tolerance=args.tolerance,
                          ignored_params=(*DEFAULT_IGNORED_PARAMS, *args.ignore_param))
    print(f"comparing {got.label} ({len(got.bodies)} events) with {ref.label} "
          f"({len(ref.bodies)} events)", file=out)
    for difference in found:
        print(f"  {difference}", file=out)
    print("they match within tolerance" if not found else
          f"{len(found)} difference(s)", file=out)
    return EXIT_FAIL if found else EXIT_OK
