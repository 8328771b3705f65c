"""``media-inspector diff CAPTURE-or-RUN REFERENCE``: a player's session against a reference.

Either side is a HAR capture, a run exported with ``--json`` (``run``, ``listen``) or a
scenario (a file or a built-in name, run here on the embedded backend at max speed). Both
are judged by the same advisor and report. Exit codes: 0 they match within the tolerance,
1 they differ, 2 a side cannot be read or run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..capture import CapturedSession, CaptureLog
from ..capture.har import CaptureError, parse_har
from ..capture.judge import judge_capture
from ..diff import DEFAULT_IGNORED_PARAMS, SessionView, diff_sessions
from ..exchange import Exchange
from ..export import exchange_from_dict
from ..export.records import RUN_FORMAT
from ..runner import run_scenario
from ..scenarios.library import resolve
from ..scenarios.loader import load_scenario
from ..scenarios.problems import ScenarioError
from ..server.embedded import EmbeddedServer

__all__ = ["diff_command", "add_diff_parser", "EXIT_OK", "EXIT_FAIL", "EXIT_USAGE"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
_PROG = "media-inspector diff"


class SideError(Exception):
    """A side of the diff that cannot be read or run; the message says why."""


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


def _judged(exchanges: list[Exchange]) -> list[CapturedSession]:
    log = CaptureLog()
    for exchange in exchanges:
        if exchange.attempt == 1:  # a client's own retries are one event, sent again
            log.record(exchange)
    return list(log.analyzer.sessions.values())


def _from_json(data: Any, spec: str) -> list[CapturedSession]:
    if isinstance(data, dict) and "log" in data:
        return list(judge_capture(parse_har(data, spec)).analyzer.sessions.values())
    if isinstance(data, dict) and data.get("format") == RUN_FORMAT:
        return _judged([exchange_from_dict(d) for d in data.get("exchanges", [])])
    if isinstance(data, dict) and isinstance(data.get("captures"), list):  # lint --json
        return _judged([exchange_from_dict(d) for c in data["captures"]
                        for d in c.get("exchanges", [])])
    raise SideError("neither HAR nor a media-inspector run (--json) document")


async def _scenario(path: Path) -> list[CapturedSession]:
    scenario = load_scenario(path)
    server = EmbeddedServer()
    url = await server.astart()
    try:
        outcome = await run_scenario(scenario, url, speed=None, follow=server.follow)
    finally:
        await server.astop()
    if outcome.error:
        raise SideError(f"the scenario did not run: {outcome.error}")
    return _judged(outcome.exchanges)


def load_side(spec: str) -> tuple[str, list[CapturedSession]]:
    """(what it is, its sessions) for a file or scenario name; SideError if unreadable."""
    path = resolve(spec)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        try:
            return f"scenario {path.stem}", asyncio.run(_scenario(path))
        except ScenarioError as exc:
            raise SideError(str(exc)) from exc
    if not path.is_file():
        raise SideError("no such file, and not a built-in scenario (see `media-inspector "
                        "scenarios`)")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SideError(f"cannot be read as JSON: {exc}") from exc
    try:
        return str(path), _from_json(data, spec)
    except (CaptureError, KeyError, TypeError, ValueError) as exc:
        raise SideError(str(exc)) from exc


def _view(label: str, session: CapturedSession) -> SessionView:
    bodies = [b for b in (e.body_json() for e in session.exchanges) if isinstance(b, dict)]
    return SessionView(f"{label} session {(session.sid or session.key)[:12]}", bodies,
                       session.report.to_dict(), session.finding_counts())


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
        sides.append(_view(label, session))
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
