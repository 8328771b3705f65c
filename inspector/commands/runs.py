"""``media-inspector runs``: the run store's past runs, with verdicts; export one of them."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time

from ..export import har_log, junit_xml, run_document, write_text
from ..export.junit_case import JUnitCase
from ..runstore import RunInfo, RunStore, StoredRun

__all__ = ["add_parser", "runs_command"]

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    runs = sub.add_parser("runs", help="list past runs with their verdicts, or export one "
                                       "(`runs export ID --har F`)")
    runs.add_argument("action", nargs="?", choices=["list", "export"], default="list")
    runs.add_argument("run_id", nargs="?", type=int, metavar="ID", help="the run to export")
    runs.add_argument("--store", metavar="FILE", help="run store database (default: in the "
                                                      "user data directory)")
    runs.add_argument("--limit", type=int, default=50, help="runs to list (default 50)")
    runs.add_argument("--har", metavar="FILE", help="export: HAR 1.2")
    runs.add_argument("--json", metavar="FILE", help="export: the whole run as JSON")
    runs.add_argument("--junit", metavar="FILE", help="export: JUnit XML (one case)")
    runs.add_argument("--redact", action="store_true", help="export: redact identifiers")


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "-"


def _line(run: RunInfo) -> str:
    return (f"#{run.id:<5} {_when(run.started_at):16}  {run.status:11}  "
            f"{run.verdict_text() or '-':28}  {run.exchanges:>7,}  {run.name}")


def _junit(run: StoredRun) -> str:
    verdict = run.info.meta.get("verdict") or {}
    failed = () if verdict.get("ok", run.info.status == "finished") else (
        f"run #{run.info.id} {run.info.status}: {run.info.verdict_text()}",)
    return junit_xml([JUnitCase(name=run.info.name, source=str(run.info.meta.get("source", "")),
                                duration_s=(run.info.ended_at or run.info.started_at)
                                - run.info.started_at,
                                expectations=(run.info.verdict_text() or run.info.status,),
                                failed=failed, summary=())])


def runs_command(args: argparse.Namespace) -> int:
    try:
        store = RunStore(args.store)
    except (sqlite3.Error, OSError, ValueError) as exc:
        print(f"media-inspector: cannot open the run store: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with store:
        if args.action == "list":
            listed = store.list_runs()[:max(1, args.limit)]
            print(f"{'run':6} {'started':16}  {'status':11}  {'verdict':28}  "
                  f"{'calls':>7}  name")
            for info in listed:
                print(_line(info))
            if not listed:
                print(f"(no runs in {store.path})")
            return EXIT_OK
        if args.run_id is None or not (args.har or args.json or args.junit):
            print("media-inspector: runs export ID needs --har, --json and/or --junit",
                  file=sys.stderr)
            return EXIT_USAGE
        try:
            run = store.open_run(args.run_id)
        except KeyError as exc:
            print(f"media-inspector: {exc.args[0]}", file=sys.stderr)
            return EXIT_USAGE
    try:
        if args.har:
            write_text(args.har, json.dumps(har_log(run.exchanges, redact=args.redact,
                                                    comment=f"run #{run.info.id} "
                                                            f"{run.info.name}"), indent=2))
        if args.json:
            meta = {"run": run.info.id, "name": run.info.name, "status": run.info.status,
                    **{k: v for k, v in run.info.meta.items() if k != "url" or not args.redact}}
            write_text(args.json, json.dumps(run_document(run.exchanges, report=run.report,
                                                          meta=meta, redact=args.redact),
                                             indent=2))
        if args.junit:
            write_text(args.junit, _junit(run))
    except OSError as exc:
        print(f"media-inspector: cannot write an export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"exported run #{run.info.id} ({len(run.exchanges):,} exchanges)")
    return EXIT_OK
