"""Command line: ``media-inspector [gui] | serve | schema | run | scenarios``."""

from __future__ import annotations

import argparse
import json
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
    return parser


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
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``media-inspector`` console script."""
    args = build_parser().parse_args(argv)
    handler = _HANDLERS.get(args.command or "gui", _cmd_gui)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
