"""Command line: ``media-inspector [gui] | serve | schema | run | scenarios | listen | lint |
diff``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib.metadata import entry_points
from typing import Callable, Sequence

from . import __version__
from .protocol.catalogue import EVENT_NAMES
from .protocol.schemas import schema_for

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="media-inspector",
        description="Simulate a media player against Adobe's Media Collection API and see "
                    "every request, response, session id and sequence warning.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--url", help="target Media Collection server (default: start the "
                                      "embedded backend on 127.0.0.1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--url", dest="gui_url", help=argparse.SUPPRESS)
    serve = sub.add_parser("serve", help="run the embedded Media Collection backend alone")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    schema = sub.add_parser("schema", help="print the JSON Schema of an event type")
    schema.add_argument("event", metavar="EVENT", help="event type, e.g. sessionStart")
    _add_run_parsers(sub)
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
    from .commands.run import parse_speed

    run = sub.add_parser("run", help="run scenario files headless (exit 0 all expectations "
                                     "met, 1 any failed, 2 usage or file errors)")
    run.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                     help="a scenario file, or the name of a built-in (see `scenarios`)")
    run.add_argument("--url", dest="run_url", help="target server (default: the scenario's "
                                                   "endpoint, else the embedded backend)")
    run.add_argument("--speed", type=parse_speed, default=argparse.SUPPRESS,
                     help="N times real time, or 'max' (default: the scenario's option)")
    run.add_argument("--players", type=_positive, default=1,
                     help="simulated viewers of each scenario at once (default 1)")
    run.add_argument("--junit", metavar="FILE", help="write JUnit XML (one case per scenario)")
    run.add_argument("--har", metavar="FILE", help="write every exchange as HAR 1.2")
    run.add_argument("--json", metavar="FILE", help="write the whole run as JSON")
    run.add_argument("--redact", action="store_true",
                     help="replace visitor and org identifiers in exports")
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
    if args.event not in EVENT_NAMES:
        print(f"media-inspector: unknown event type {args.event!r}; valid: "
              f"{', '.join(EVENT_NAMES)}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(schema_for(args.event), indent=2))
    return EXIT_OK


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
    return int(run_gui(url=getattr(args, "gui_url", None) or args.url))


_HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "schema": _cmd_schema,
    "serve": _cmd_serve,
    "gui": _cmd_gui,
    "run": _cmd_run,
    "scenarios": _cmd_scenarios,
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
        return EXIT_FAIL
    except BrokenPipeError:  # `media-inspector scenarios | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
