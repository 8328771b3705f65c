"""``media-inspector load``: simulated viewers at real cadence as Locust users.

Each Locust user is one viewer playing a scenario at 1x; one event loop per process hosts
that process's viewers (:mod:`inspector.load`). ``--master`` / ``--worker`` split a run
over machines as Locust's distributed mode does (every worker names the same scenarios).

Exit codes: 0 every exchange got a status its scenario accepts and no unexpected finding
appeared; 1 otherwise; 2 usage, file or start-up errors (nothing runs).

Without ``--url`` it starts ``media-inspector serve`` in a process of its own: in this one
the backend would share a GIL with the viewers it serves and be measured as their cost.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from typing import TextIO

from ..scenarios.model import Scenario
from .run import load_scenarios
from .args import add_dialect_arguments, positive

__all__ = ["add_parser", "load_command", "parse_timespan"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
_SPAN = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def parse_timespan(text: str) -> float:
    """Seconds from ``15s``, ``2m``, ``1h30m`` or a plain number of seconds."""
    match = _SPAN.match(text.strip().lower())
    if not text.strip() or match is None or not any(match.groups()):
        raise argparse.ArgumentTypeError(f"expected a time like 15s, 2m or 1h30m, not {text!r}")
    hours, minutes, seconds = match.groups()
    value = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"the run time must be more than 0, not {text!r}")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The ``load`` sub-command's options (Locust's names where Locust has one)."""
    load = sub.add_parser("load", help="simulated viewers at real cadence as Locust users "
                                       "(exit 0 all as expected, 1 any unexpected status or "
                                       "finding, 2 usage errors)")
    load.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                      help="a scenario file, or the name of a built-in (see `scenarios`)")
    load.add_argument("--url", dest="load_url", help="target server (default: start "
                                                     "`media-inspector serve` on loopback)")
    load.add_argument("-u", "--users", type=int, default=1, help="viewers (default 1)")
    load.add_argument("-r", "--spawn-rate", type=positive(), default=1.0,
                      help="viewers started per second (default 1)")
    load.add_argument("-t", "--run-time", type=parse_timespan, default=60.0,
                      help="stop after this long, e.g. 15s, 2m (default 1m)")
    role = load.add_mutually_exclusive_group()
    role.add_argument("--master", action="store_true", help="hand users to workers")
    role.add_argument("--worker", action="store_true", help="take users from a master")
    load.add_argument("--master-host", default="127.0.0.1", help="the master (workers)")
    load.add_argument("--master-port", type=int, default=5557, help="its port (default 5557)")
    load.add_argument("--master-bind-host", default="*", help="address the master listens on")
    load.add_argument("--expect-workers", type=int, default=1,
                      help="workers the master waits for before it starts (default 1)")
    load.add_argument("--web-port", type=int, help="serve Locust's web UI on this port "
                                                   "(default: no web UI)")
    load.add_argument("--web-host", default="127.0.0.1", help="its address (default loopback)")
    load.add_argument("--csv", metavar="PREFIX", help="write Locust's CSV stats")
    load.add_argument("--html", metavar="FILE", help="write Locust's HTML report")
    load.add_argument("--json", dest="load_json", metavar="FILE",
                      help="write the totals, unexpected statuses, findings and health")
    add_dialect_arguments(load)
    load.add_argument("--late-ms", type=positive(), default=100.0,
                      help="a ping this late on the wire counts as late (default 100)")


def _load(names: list[str], err: TextIO) -> list[Scenario] | None:
    scenarios = load_scenarios(names, err)
    if scenarios is None:
        return None
    names_seen = [s.name for s in scenarios]
    twice = len(set(names_seen)) < len(names_seen)
    if twice:  # each is a Locust user class, named after its scenario
        print("media-inspector: each scenario of a load run needs its own name", file=err)
    return None if twice else scenarios


def _start_backend() -> tuple[subprocess.Popen[str], str]:
    """``media-inspector serve --port 0`` in its own process; its base URL."""
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    found = re.search(r"(http://\S+?)(?:/api/v1)?\s*$", line)
    if found is None:
        proc.kill()
        raise OSError(f"the embedded backend did not start ({line.strip() or 'no output'})")
    return proc, found.group(1)


def load_command(args: argparse.Namespace, out: TextIO = sys.stdout,
                 err: TextIO = sys.stderr) -> int:
    """``media-inspector load``: see the module docstring for exit codes."""
    scenarios = _load(args.scenarios, err)
    if scenarios is None:
        return EXIT_USAGE
    if args.users < 1 or args.expect_workers < 1:
        print("media-inspector: --users and --expect-workers must be 1 or more", file=err)
        return EXIT_USAGE
    role = "master" if args.master else "worker" if args.worker else "local"
    backend, url = None, args.load_url or ""
    if not url and role != "master":
        try:
            backend, url = _start_backend()
        except OSError as exc:
            print(f"media-inspector: {exc}", file=err)
            return EXIT_USAGE
        print(f"embedded backend (`media-inspector serve`) on {url}", file=err)
    try:
        return _run(scenarios, args, role, url, out, err)
    finally:
        if backend is not None:
            backend.terminate()
            backend.wait(10)


def _run(scenarios: list[Scenario], args: argparse.Namespace, role: str, url: str,
         out: TextIO, err: TextIO) -> int:
    from ..load.locust_run import LoadOptions, run_load  # Locust and gevent: only for `load`

    opts = LoadOptions(scenarios, args.users, args.spawn_rate, args.run_time, url, role,
                       args.master_host, args.master_port, args.master_bind_host,
                       args.expect_workers, web_host=args.web_host, web_port=args.web_port,
                       csv=args.csv, html=args.html, late_ms=args.late_ms,
                       dialect=args.dialect, config_id=args.config_id)
    try:
        result = run_load(opts)
    except (OSError, RuntimeError) as exc:
        print(f"media-inspector: the load run could not start: {exc}", file=err)
        return EXIT_USAGE
    if result.error is not None:
        print(f"media-inspector: {result.error}", file=err)
        return EXIT_USAGE
    for line in result.stats_lines + result.health_lines:
        print(line, file=out)
    statuses, findings = result.unexpected
    found = result.summary.get("findings", {})
    print(f"unexpected: {statuses} statuses, {findings} findings"
          + (f" ({', '.join(f'{k} x{v}' for k, v in sorted(found.items()))})" if found else ""),
          file=out)
    if args.load_json:
        try:
            with open(args.load_json, "w", encoding="utf-8") as f:
                json.dump({"role": role, **result.summary}, f, indent=2)
        except OSError as exc:
            print(f"media-inspector: cannot write {args.load_json}: {exc}", file=err)
            return EXIT_USAGE
    failures = result.summary.get("failures", 0)
    return EXIT_FAIL if statuses or findings or failures else EXIT_OK
