"""Command line: ``media-inspector [gui] | serve | schema | run | load | scenarios | listen |
lint | diff``."""

from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import entry_points
from typing import Callable, Sequence

from . import __version__

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_CODES = """exit codes of run:
  0    every expectation held
  1    an expectation failed
  2    usage or file error (a scenario file, an export, the run store); nothing runs for a
       bad file; a run store that cannot be written says so and exits 2
  3    the target could not be reached (connection refused, DNS or TLS failure)
  130  interrupted (Ctrl-C); the summary and every export hold what completed"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="media-inspector",
        description="Simulate a media player against Adobe's Media Collection API and see "
                    "every request, response, session id and sequence warning.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--url", help="target Media Collection server (default: start the "
                                      "embedded backend on 127.0.0.1)")
    parser.add_argument("--presenter", action="store_true",
                        help="open the window in presenter mode (large type, narration)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--url", dest="gui_url", help=argparse.SUPPRESS)
    serve = sub.add_parser("serve", help="run the embedded Media Collection backend alone")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    schema = sub.add_parser("schema", help="print the JSON Schema of an event type, or compare "
                                           "a target's schemas with ours (--sync)")
    schema.add_argument("event", metavar="EVENT", nargs="?", help="event type, e.g. sessionStart")
    schema.add_argument("--sync", action="store_true",
                        help="fetch every event type's schema from the target and list how "
                             "each differs from the catalogue (exit 0 none, 1 some, 2 the "
                             "target cannot be reached)")
    schema.add_argument("--url", dest="schema_url",
                        help="target for --sync (default: the embedded backend)")
    _add_run_parsers(sub)
    from .commands.load import add_parser as add_load_parser  # no Locust import until run

    add_load_parser(sub)
    from .commands.runs import add_parser as add_runs_parser

    add_runs_parser(sub)
    _add_capture_parsers(sub)
    return parser


def _add_capture_parsers(sub: argparse._SubParsersAction) -> None:
    """``listen`` (a linting proxy for a real player), ``lint`` (HAR captures), ``diff``."""
    from .commands.diff import add_diff_parser
    from .commands.lint import add_lint_parser
    from .commands.listen import add_listen_parser

    add_listen_parser(sub)
    add_lint_parser(sub)
    add_diff_parser(sub)


def _add_run_parsers(sub: argparse._SubParsersAction) -> None:
    """``run`` (headless scenarios) and ``scenarios`` (the built-in list)."""
    from .commands.args import add_dialect_arguments
    from .commands.run import parse_speed

    run = sub.add_parser("run", help="run scenario files headless (exit 0 all expectations "
                                     "met, 1 any failed, 2 usage or file errors, 3 target "
                                     "unreachable, 130 Ctrl-C)",
                         epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                     help="a scenario file, or the name of a built-in (see `scenarios`)")
    run.add_argument("--url", dest="run_url", help="target server (default: the scenario's "
                                                   "endpoint, else the embedded backend)")
    run.add_argument("--speed", type=parse_speed, default=argparse.SUPPRESS,
                     help="N times real time, or 'max' (default: the scenario's option)")
    add_dialect_arguments(run)
    run.add_argument("--players", type=_positive, default=1,
                     help="simulated viewers of each scenario at once (default 1)")
    run.add_argument("--schemas", choices=("ours", "target"), default="ours",
                     help="whose JSON Schemas judge the bodies: our catalogue's (default) or "
                          "the target's, fetched from GET /api/v1/schemas/{eventType} "
                          "(spec §1.5: the target's are the final authority)")
    run.add_argument("--chaos", metavar="PRESET", action="append", default=[],
                     help="client-side delivery chaos preset(s), repeatable or a comma "
                          "list (out-of-order-ads, pod-gap, ...; an unknown name lists them)")
    run.add_argument("--junit", metavar="FILE", help="write JUnit XML (one case per scenario)")
    run.add_argument("--har", metavar="FILE", help="write every exchange as HAR 1.2")
    run.add_argument("--json", metavar="FILE", help="write the whole run as JSON")
    run.add_argument("--evidence", metavar="FILE.zip",
                     help="write a bug-report pack: HAR, a replay script (sh replay.sh "
                          "BASE_URL), the scenarios, findings, reports, timeline PNGs; "
                          "visitor and org ids redacted")
    run.add_argument("-v", "--verbose", action="store_true",
                     help="list every expectation, met or not (default: only those not met)")
    run.add_argument("--no-redact", action="store_true",
                     help="keep visitor and org ids in the --evidence pack")
    run.add_argument("--redact", action="store_true",
                     help="redact every export: identifiers (by key and by value), cookies, "
                          "credentials, URL userinfo and query values")
    run.add_argument("--store", metavar="FILE", help="run store database (default: in the "
                                                     "user data directory)")
    run.add_argument("--no-store", action="store_true", help="do not save this run")
    sub.add_parser("scenarios", help="list the built-in scenarios")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 up, not {text!r}")
    return value


def _cmd_run(args: argparse.Namespace) -> int:
    from .commands.run import run_command

    args.run_url = args.run_url or args.url
    return run_command(args)


def _cmd_load(args: argparse.Namespace) -> int:
    from .commands.load import load_command

    args.load_url = args.load_url or args.url
    return load_command(args)


def _cmd_runs(args: argparse.Namespace) -> int:
    from .commands.runs import runs_command

    return runs_command(args)


def _cmd_scenarios(args: argparse.Namespace) -> int:
    from .commands.run import list_command

    return list_command()


def _cmd_listen(args: argparse.Namespace) -> int:
    from .commands.listen import listen_command

    return listen_command(args)


def _cmd_lint(args: argparse.Namespace) -> int:
    from .commands.lint import lint_command

    return lint_command(args)


def _cmd_diff(args: argparse.Namespace) -> int:
    from .commands.diff import diff_command

    return diff_command(args)


def _cmd_schema(args: argparse.Namespace) -> int:
    from .commands.schema import schema_command

    args.schema_url = args.schema_url or args.url
    return schema_command(args)


def _cmd_serve(args: argparse.Namespace) -> int:
    from .server.serve import run_serve

    return run_serve(args.host, args.port)


def _cmd_gui(args: argparse.Namespace) -> int:
    # The window lives in ui/, above the core: find it through its entry point so the core
    # never imports Qt (DESIGN.md, "Layers").
    found = entry_points(group="media_inspector.frontends", name="gui")
    try:
        run_gui = next(iter(found)).load()
    except (StopIteration, ImportError) as exc:
        print("media-inspector: the window cannot start "
              f"({exc or 'no front end installed'}). Reinstall with `pip install -e .`, or use "
              "`media-inspector serve` for the backend alone.", file=sys.stderr)
        return EXIT_FAIL
    extra = {"presenter": True} if args.presenter else {}
    return int(run_gui(url=getattr(args, "gui_url", None) or args.url, **extra))


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "schema": _cmd_schema,
    "serve": _cmd_serve,
    "gui": _cmd_gui,
    "run": _cmd_run,
    "load": _cmd_load,
    "scenarios": _cmd_scenarios,
    "runs": _cmd_runs,
    "listen": _cmd_listen,
    "lint": _cmd_lint,
    "diff": _cmd_diff,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``media-inspector`` console script."""
    args = build_parser().parse_args(argv)
    handler = _HANDLERS.get(args.command or "gui", _cmd_gui)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `media-inspector scenarios | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
