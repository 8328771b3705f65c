"""The sides of a diff (issue 14): a capture, a run or a scenario, as judged sessions.

Shared by ``media-inspector diff`` and the window's Compare view, so both judge a side the
same way: HAR captures and run documents through the capture analyzer (the advisor and
the report, by sid), a scenario by running it on a fresh embedded backend at max speed.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any, Iterable

from .capture import CapturedSession, CaptureLog
from .capture.har import CaptureError, parse_har
from .capture.judge import judge_capture
from .diff import SessionView
from .exchange import Exchange
from .export import exchange_from_dict
from .export.records import RUN_FORMAT
from .runner import run_scenario
from .scenarios.library import resolve
from .scenarios.loader import load_scenario
from .scenarios.problems import ScenarioError
from .server.embedded import EmbeddedServer

__all__ = ["SideError", "judged", "load_side", "aload_side", "session_view",
           "scenario_sessions"]


class SideError(Exception):
    """A side of the diff that cannot be read or run; the message says why."""


def judged(exchanges: Iterable[Exchange], *, copies: bool = False) -> list[CapturedSession]:
    """The sessions of ``exchanges``, judged by sid; ``copies`` leaves the given exchanges
    as they are (judging sets findings and sid on what it judges)."""
    log = CaptureLog()
    for exchange in exchanges:
        if exchange.attempt == 1:  # a client's own retries are one event, sent again
            log.record(copy.copy(exchange) if copies else exchange)
    return list(log.analyzer.sessions.values())


def _from_json(data: Any, spec: str) -> list[CapturedSession]:
    if isinstance(data, dict) and "log" in data:
        return list(judge_capture(parse_har(data, spec)).analyzer.sessions.values())
    if isinstance(data, dict) and data.get("format") == RUN_FORMAT:
        return judged([exchange_from_dict(d) for d in data.get("exchanges", [])])
    if isinstance(data, dict) and isinstance(data.get("captures"), list):  # lint --json
        return judged([exchange_from_dict(d) for c in data["captures"]
                       for d in c.get("exchanges", [])])
    raise SideError("neither HAR nor a media-inspector run (--json) document")


async def scenario_sessions(path: Path) -> list[CapturedSession]:
    """Run the scenario at ``path`` on a fresh embedded backend; its judged sessions."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        raise SideError(str(exc)) from exc
    server = EmbeddedServer()
    url = await server.astart()
    try:
        outcome = await run_scenario(scenario, url, speed=None, follow=server.follow)
    finally:
        await server.astop()
    if outcome.error:
        raise SideError(f"the scenario did not run: {outcome.error}")
    return judged(outcome.exchanges)


def _scenario_path(spec: str) -> Path | None:
    path = resolve(spec)
    return path if path.suffix in (".yaml", ".yml") and path.is_file() else None


def _file_sessions(spec: str) -> tuple[str, list[CapturedSession]]:
    path = resolve(spec)
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


async def aload_side(spec: str) -> tuple[str, list[CapturedSession]]:
    """(what it is, its sessions) for a file or scenario name; SideError if unreadable."""
    scenario = _scenario_path(spec)
    if scenario is not None:
        return f"scenario {scenario.stem}", await scenario_sessions(scenario)
    return _file_sessions(spec)


def load_side(spec: str) -> tuple[str, list[CapturedSession]]:
    """:func:`aload_side` for a caller with no loop running (the CLI)."""
    scenario = _scenario_path(spec)
    if scenario is not None:
        return f"scenario {scenario.stem}", asyncio.run(scenario_sessions(scenario))
    return _file_sessions(spec)


def session_view(label: str, session: CapturedSession) -> SessionView:
    """``session`` as the diff reads it: its bodies in the order sent, report, findings."""
    bodies = [b for b in (e.body_json() for e in session.exchanges) if isinstance(b, dict)]
    return SessionView(f"{label} session {(session.sid or session.key)[:12]}", bodies,
                       session.report.to_dict(), session.finding_counts())
