"""The ``run`` and ``scenarios`` commands: load everything first, run, summarise, export.

Exit codes: 0 every expectation held, 1 any failed, 2 usage or file errors (nothing runs
when any scenario file has a problem; a run store that cannot be written is one too), 130
interrupted by Ctrl-C (the summary and exports then hold what completed); 3 the target could
not be reached (connection refused, DNS or TLS failure): an error, not a failed expectation.

Chaos (``--chaos PRESET`` or a scenario's ``chaos:`` block) changes how the client delivers,
not what is judged: a chaos run exits 0/1 on its expectations like any run, and they are
judged on the session the player meant. What the server made of the delivery (events out of
order, changed metrics) is printed after them as meant versus seen, and the JSON export has
it per scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sqlite3
import sys
from typing import TextIO
from urllib.parse import urlsplit

from ..chaos import ChaosError, rules_for
from ..exchange import ErrorKind, Exchange
from ..export import (Redactor, display_url, har_log, junit_xml, run_document, write_bytes,
                      write_text)
from ..export.evidence import evidence_zip
from ..runner import UNSET, Follow, run_players, run_scenario
from ..protocol.schemas import BodyValidator
from ..runstore import RunStore
from ..schema_sync import SyncError
from ..scenarios.library import builtin_paths, resolve
from ..scenarios.loader import load_scenario
from ..scenarios.model import Scenario
from ..scenarios.outcome import ScenarioOutcome
from ..scenarios.problems import ScenarioError
from ..server.embedded import EmbeddedServer
from ..target_schemas import fetch_target_schemas
from .summary import format_outcome
from .tap import ExchangeTap, RunProgress

__all__ = ["run_command", "list_command", "parse_speed", "ahead_note", "EXIT_OK", "EXIT_FAIL",
           "EXIT_USAGE", "EXIT_UNREACHABLE", "EXIT_INTERRUPTED", "unreachable"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_UNREACHABLE = 3  # the target never answered: an error, not a failed expectation
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C
_UNREACHABLE = {ErrorKind.CONNECT, ErrorKind.DNS, ErrorKind.TLS}


def parse_speed(text: str) -> float | None:
    """``max`` (None) or a positive number, for ``--speed``."""
    if text.lower() == "max":
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'max', not {text!r}")
    return value


def list_command(out: TextIO | None = None) -> int:
    """Print the built-in scenarios: name and first line of the description."""
    for path in builtin_paths():
        scenario = load_scenario(path)
        summary = scenario.description.strip().split(". ")[0].split(" (spec")[0]
        if len(summary) > 70:
            summary = summary[:69].rsplit(" ", 1)[0] + "…"
        print(f"{scenario.name:28} {summary}", file=out)
    return EXIT_OK


def chaos_presets(values: list[str], err: TextIO) -> list[str] | None:
    """The ``--chaos`` preset names (repeatable, comma lists), or None after saying which
    one is unknown and listing the presets."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    try:
        rules_for(names)
    except ChaosError as exc:
        print(f"media-inspector: {exc}", file=err)
        return None
    return names


def with_chaos(scenarios: list[Scenario], presets: list[str]) -> list[Scenario]:
    """Each scenario with the ``--chaos`` presets' rules after its own ``chaos:`` rules."""
    if not presets:
        return scenarios
    extra = rules_for(presets)
    return [dataclasses.replace(s, chaos=(*s.chaos, *extra)) for s in scenarios]


def chaos_lines(outcome: ScenarioOutcome) -> list[str]:
    """What the chaos did, meant versus seen, for the run's output (none without chaos)."""
    if outcome.chaos is None:
        return []
    return [*(f"  {line}" for line in outcome.chaos.lines()),
            "  (chaos was on: the expectations judge the session the player meant; the "
            "chaos lines say what the server made of its delivery)"]


def load_scenarios(names: list[str], err: TextIO) -> list[Scenario] | None:
    """Every named scenario, or None after printing each problem of each file."""
    scenarios, problems = [], []
    for name in names:
        try:
            scenarios.append(load_scenario(resolve(name)))
        except ScenarioError as exc:
            problems += exc.problems
    for problem in problems:
        print(f"media-inspector: {problem}", file=err)
    if problems:
        print(f"media-inspector: {len(problems)} problem(s); nothing was run", file=err)
        return None
    return scenarios


class _Progress:
    """One updating line on a terminal; plain lines otherwise."""

    def __init__(self, err: TextIO) -> None:
        self.err, self.tty = err, err.isatty()

    def __call__(self, text: str) -> None:
        if self.tty:
            self.err.write("\r\x1b[K" + text)
            self.err.flush()

    def line(self, text: str) -> None:
        self("")
        if self.tty:
            self.err.write("\r\x1b[K")
        print(text, file=self.err)


def open_store(args: argparse.Namespace, err: TextIO) -> RunStore | None:
    """The run store to save into (None for --no-store); SystemExit(2) with one line if not."""
    if args.no_store:
        return None
    try:
        return RunStore(args.store) if args.store else RunStore()
    except (sqlite3.Error, OSError) as exc:
        path = args.store or "the default run store"
        print(f"media-inspector: cannot use the run store {path}: {exc}; give another "
              "--store FILE, or --no-store", file=err)
        raise SystemExit(EXIT_USAGE) from None


def _store_problem(store: RunStore, progress: _Progress) -> None:
    store.failed.connect(lambda reason: progress.line(
        f"media-inspector: cannot write the run store {store.path}: {reason}; this run is "
        "left unfinished there (export it with --har/--json to keep it)"))


async def _run_all(scenarios: list[Scenario], args: argparse.Namespace, base_url: str | None,
                   progress: _Progress, store: RunStore | None, state: RunProgress) -> None:
    server = None
    if base_url is None and any(not s.endpoint for s in scenarios):
        server = EmbeddedServer()
        embedded = await server.astart()
        progress.line(f"embedded backend on {embedded}")
    try:
        for scenario in scenarios:
            url = base_url or scenario.endpoint or (server.base_url if server else "")
            follow = server.follow if server is not None and url == server.base_url else None
            state.done(await _run_one(scenario, url, follow, args, progress, store, state))
    finally:
        if store is not None:
            store.close()
        if server is not None:
            await server.astop()


async def _run_one(scenario: Scenario, url: str, follow: Follow | None,
                   args: argparse.Namespace, progress: _Progress, store: RunStore | None,
                   state: RunProgress) -> ScenarioOutcome:
    progress.line(f"running {scenario.name} against {display_url(url)}")
    speed = getattr(args, "speed", UNSET)  # absent: each scenario's own option
    chosen = scenario.options.speed if speed is UNSET else speed
    if follow is None and chosen != 1:
        progress.line(f"note: at {'max' if chosen is None else f'{chosen:g}×'} speed "
                      "playerTime.ts runs ahead of the wall clock (by up to "
                      f"{scenario.duration:g} s in this scenario)")
    # One run per scenario; with --players N it holds N sources (one per player's client),
    # each with its own session.
    name = scenario.name if args.players == 1 else f"{scenario.name} x{args.players}"
    recorder = store.begin_run(name, {"source": scenario.source, "url": url,
                                      "players": args.players,
                                      **_dialect(args)}) if store else None
    tap = ExchangeTap(recorder)
    schemas = await _schemas_for(url, args, progress)
    state.start(scenario, args.players, tap)
    wire = _dialect(args)
    dialect, config_id = wire["dialect"] or "classic", wire["config_id"]
    try:
        if args.players > 1:
            outcome = await run_players(scenario, url, args.players, speed=speed,
                                        progress=progress, follow=follow, recorder=tap,
                                        dialect=dialect, config_id=config_id,
                                        on_session=lambda _n, s: s.use_schemas(schemas))
        else:
            outcome = await run_scenario(scenario, url, speed=speed, recorder=tap,
                                         progress=progress, follow=follow, schemas=schemas,
                                         dialect=dialect, config_id=config_id)
    except asyncio.CancelledError:  # Ctrl-C: what completed is saved, marked as such
        if recorder is not None:
            recorder.finish(None, "interrupted")
        raise
    outcome.error = outcome.error or unreachable(outcome, url)
    if recorder is not None:
        recorder.finish(outcome.report, "finished" if outcome.ok else "failed", {
            "ok": outcome.ok, "findings": sum(outcome.finding_counts().values()),
            "expectations": [len(outcome.expectations) - len(outcome.failures),
                             len(outcome.expectations)]})
    if follow is None and outcome.clock_ahead_s >= 1:
        progress.line(ahead_note(outcome.clock_ahead_s))
    return outcome


async def _schemas_for(url: str, args: argparse.Namespace,
                       progress: _Progress) -> BodyValidator | None:
    """``--schemas target``: the target's fetched schemas; None for ours (the default)."""
    if getattr(args, "schemas", "ours") != "target":
        return None
    try:
        schemas, _results = await fetch_target_schemas(url)
    except SyncError as exc:
        progress.line(f"--schemas target: cannot fetch the target's schemas ({exc}); "
                      "our catalogue's judge this scenario")
        return None
    progress.line(schemas.describe())
    return schemas


def _dialect(args: argparse.Namespace) -> dict[str, str | None]:
    """The wire format chosen by ``--dialect``/``--config-id`` (spec §9)."""
    return {"dialect": getattr(args, "dialect", "classic"),
            "config_id": getattr(args, "config_id", None)}


def _unreached(outcome: ScenarioOutcome) -> list[Exchange]:
    return [e for e in outcome.exchanges if e.error_kind in _UNREACHABLE]


def unreachable(outcome: ScenarioOutcome, url: str) -> str | None:
    """The run's error when some calls never reached ``url`` (refused, DNS, TLS), else None."""
    failed = _unreached(outcome)
    if not failed:
        return None
    first = failed[0]
    kind = first.error_kind.value if first.error_kind else "network error"
    unsent = sum(e.error_kind is ErrorKind.NO_SESSION for e in outcome.exchanges)
    return (f"cannot reach {display_url(url)}: {kind} ({display_url(first.error or '')}) on "
            f"{len(failed)} call(s)"
            + (f", {unsent} never sent" if unsent else "")
            + "; check --url and that the server is running")


def ahead_note(seconds: float) -> str:
    """The plain note for a real backend: our ts ran ahead of the wall clock."""
    return (f"note: simulated time ran {seconds:,.0f} s ahead of the wall clock, so the last "
            "events carried a playerTime.ts that far in the future; a real backend (unlike "
            "the embedded one, which follows our clock) receives them early")


def _export(outcomes: list[ScenarioOutcome], args: argparse.Namespace) -> None:
    exchanges = [e for o in outcomes for e in o.exchanges]
    redactor = Redactor(exchanges, extra=_url_secrets(args)) if args.redact else None
    if args.junit:
        cases = [o.junit_case() for o in outcomes]
        write_text(args.junit, junit_xml([redactor.case(c) for c in cases] if redactor
                                         else cases))
    if args.har:
        write_text(args.har, json.dumps(har_log(exchanges, redact=args.redact), indent=2))
    if args.json:
        meta = {"scenarios": [{"name": o.name, "source": o.source, "ok": o.ok,
                               "error": o.error, "players": o.players,
                               "chaos": o.chaos.to_dict() if o.chaos else None,
                               "expectations": [[e.description, e.ok, e.detail]
                                                for e in o.expectations]} for o in outcomes]}
        reports = {o.name: o.report for o in outcomes}
        write_text(args.json, json.dumps(run_document(exchanges, report=reports, meta=meta,
                                                      redact=args.redact), indent=2))
    if getattr(args, "evidence", None):
        _evidence(outcomes, args)


def _evidence(outcomes: list[ScenarioOutcome], args: argparse.Namespace) -> None:
    """``--evidence FILE.zip``: the bug-report pack, ids redacted unless ``--no-redact``."""
    items = [o.evidence_item() for o in outcomes]
    write_bytes(args.evidence, evidence_zip(items, redact=not args.no_redact,
                                            extra_secrets=_url_secrets(args)))


def _url_secrets(args: argparse.Namespace) -> list[str]:
    password = urlsplit(args.run_url).password if args.run_url else None
    return [password] if password else []


def run_command(args: argparse.Namespace, out: TextIO | None = None,
                err: TextIO | None = None) -> int:
    """``media-inspector run``: see the module docstring for exit codes.

    ``out`` and ``err`` default to the streams of the moment (not of import time).
    """
    out, err = out or sys.stdout, err or sys.stderr
    presets = chaos_presets(getattr(args, "chaos", []), err)
    if presets is None:
        return EXIT_USAGE
    scenarios = load_scenarios(args.scenarios, err)
    if scenarios is None:
        return EXIT_USAGE
    scenarios = with_chaos(scenarios, presets)
    if args.players > 1 and any(s.chaos for s in scenarios):
        print("media-inspector: chaos runs one player (--players 1): meant versus seen is "
              "judged per session", file=err)
        return EXIT_USAGE
    progress = _Progress(err)
    try:
        store = open_store(args, err)
    except SystemExit as exc:
        return int(exc.code or EXIT_USAGE)
    if store is not None:
        _store_problem(store, progress)
    state = RunProgress()
    interrupted = False
    try:
        asyncio.run(_run_all(scenarios, args, args.run_url, progress, store, state))
    except KeyboardInterrupt:
        interrupted = True
    except OSError as exc:
        print(f"media-inspector: cannot start the embedded backend: {exc}", file=err)
        return EXIT_USAGE
    outcomes = state.interrupted() if interrupted else state.outcomes
    for outcome in outcomes:
        print(format_outcome(outcome, getattr(args, "verbose", False)), file=out)
        for line in chaos_lines(outcome):
            print(line, file=out)
    passed = sum(o.ok for o in outcomes)
    print(f"{passed} of {len(outcomes)} scenario(s) met every expectation", file=out)
    try:
        _export(outcomes, args)
    except OSError as exc:
        print(f"media-inspector: cannot write an export: {exc}", file=err)
        return EXIT_USAGE
    if interrupted:
        print("media-inspector: interrupted (Ctrl-C); the summary and exports hold what "
              "completed", file=err)
        return EXIT_INTERRUPTED
    if store is not None and store.failure is not None:
        return EXIT_USAGE  # said when it happened
    if any(_unreached(o) for o in outcomes):
        return EXIT_UNREACHABLE
    return EXIT_OK if passed == len(outcomes) else EXIT_FAIL
