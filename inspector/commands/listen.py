"""``media-inspector listen``: a transparent reverse proxy that lints a real player's calls.

One line per call on stdout (like ``mitmdump``); Ctrl-C (or SIGTERM) prints a summary per
session and exits 0, or 1 with ``--fail-on-findings`` when any finding is at error level;
2 for usage errors (a bad upstream, a port in use, an export that cannot be written).
Every call is saved in the run store as it is answered (``--no-store`` not to), so the
window's Past runs show a listen like any run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
from typing import TextIO

from ..capture import CapturedSession, CaptureLog, format_sessions
from ..capture.records import capture_document, session_case
from ..client import normalize_base_url
from ..exchange import Exchange
from ..export import har_log, junit_xml, write_text
from ..proxy import ListenProxy, proxy_site
from ..runstore import RunRecorder, RunStore
from ..server.embedded import EmbeddedServer
from ..server.serve import is_loopback, until_terminated
from .args import positive

__all__ = ["listen_command", "add_listen_parser", "format_line",
           "EXIT_OK", "EXIT_FAIL", "EXIT_USAGE"]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
_PROG = "media-inspector listen"


def add_listen_parser(sub: argparse._SubParsersAction) -> None:
    """The ``listen`` sub-command's options."""
    listen = sub.add_parser("listen", help="a transparent reverse proxy for a real player: "
                                           "lint its calls live (Ctrl-C for the summary)")
    listen.add_argument("--upstream", required=True, metavar="URL|embedded",
                        help="the real tracking server (https://<company>.hb-api.omtrdc.net) "
                             "or 'embedded' for the built-in backend")
    listen.add_argument("--host", default="127.0.0.1", help="address to bind (default "
                                                            "loopback)")
    listen.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    listen.add_argument("--timeout", type=positive("number of seconds"), default=30.0,
                        help="seconds to wait for the upstream before answering 502")
    listen.add_argument("--fail-on-findings", action="store_true",
                        help="exit 1 if any finding was at error level")
    listen.add_argument("--junit", metavar="FILE", help="write JUnit XML (one case per "
                                                        "session)")
    listen.add_argument("--har", metavar="FILE", help="write every exchange as HAR 1.2")
    listen.add_argument("--json", metavar="FILE", help="write the exchanges, sessions and "
                                                       "reports as JSON")
    listen.add_argument("--redact", action="store_true",
                        help="replace visitor and org identifiers in exports")
    listen.add_argument("--store", metavar="FILE", help="run store database (default: in the "
                                                        "user data directory)")
    listen.add_argument("--no-store", action="store_true", help="do not save this listen")


def format_line(exchange: Exchange, session: CapturedSession | None) -> str:
    """``HH:MM:SS METHOD PATH eventType STATUS MS [findings]``, or why the player got 502."""
    path = exchange.url.split("://", 1)[-1].partition("/")[2]
    if exchange.sid and len(exchange.sid) > 12:  # Adobe's are 64 hex digits: keep the line short
        path = path.replace(exchange.sid, exchange.sid[:8] + "…")
    clock = time.strftime("%H:%M:%S", time.localtime(exchange.started_at or time.time()))
    event = exchange.event_type if session is not None else "-"
    ms = f"{exchange.duration_ms or 0:.1f}ms"
    if exchange.status is None:
        return f"{clock} {exchange.method} /{path} {event} 502 {ms} proxy: {exchange.error}"
    found = " ".join(f"{f.code}({f.severity.value})" for f in exchange.findings)
    return f"{clock} {exchange.method} /{path} {event} {exchange.status} {ms}" + (
        f" {found}" if found else "")


async def _listen(args: argparse.Namespace, listening: CaptureLog,
                  recorder: RunRecorder | None, out: TextIO, err: TextIO) -> int:
    server = EmbeddedServer() if args.upstream == "embedded" else None
    upstream = await server.astart() if server is not None else args.upstream
    proxy = ListenProxy(upstream, timeout=args.timeout,
                        inspector_routes=is_loopback(args.host))
    proxy.exchanged.connect(lambda e: print(format_line(e, listening.record(e)), file=out,
                                            flush=True))
    if recorder is not None:  # the window's Past runs show it like any run
        proxy.exchanged.connect(recorder.record)
    try:
        try:
            async with proxy_site(proxy, args.host, args.port) as url:
                print(f"listening on {url} -> {proxy.upstream}"
                      f"{' (embedded backend)' if server else ''}; point the player's "
                      "tracking server here. Press Ctrl-C for the summary.", file=err,
                      flush=True)
                await until_terminated()
        except OSError as exc:
            print(f"{_PROG}: cannot listen on {args.host}:{args.port}: "
                  f"{exc.strerror or exc}", file=err)
            return EXIT_USAGE
        return EXIT_OK
    finally:
        if server is not None:
            await server.astop()


def _export(listening: CaptureLog, args: argparse.Namespace, source: str) -> None:
    sessions = list(listening.analyzer.sessions.values())
    if args.junit:
        write_text(args.junit, junit_xml([session_case(s, source) for s in sessions]))
    if args.har:
        write_text(args.har, json.dumps(har_log(listening.exchanges, redact=args.redact),
                                        indent=2))
    if args.json:
        document = capture_document(listening.exchanges, sessions, {"upstream": source},
                                    redact=args.redact)
        write_text(args.json, json.dumps(document, indent=2))


def _open_store(args: argparse.Namespace) -> RunStore | None:
    if args.no_store:
        return None
    return RunStore(args.store) if args.store else RunStore()


def finish(listening: CaptureLog, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The summary, the exports and the exit status once listening stopped."""
    print(format_sessions(listening.analyzer.sessions.values()), file=out, flush=True)
    try:
        _export(listening, args, args.upstream)
    except OSError as exc:
        print(f"{_PROG}: cannot write an export: {exc}", file=err)
        return EXIT_USAGE
    if args.fail_on_findings and listening.analyzer.errors:
        return EXIT_FAIL
    return EXIT_OK


def listen_command(args: argparse.Namespace, out: TextIO = sys.stdout,
                   err: TextIO = sys.stderr) -> int:
    """``media-inspector listen``: see the module docstring for exit codes."""
    if args.upstream != "embedded":
        try:
            normalize_base_url(args.upstream)
        except ValueError as exc:
            print(f"{_PROG}: --upstream: {exc}, or 'embedded'", file=err)
            return EXIT_USAGE
    if not is_loopback(args.host):
        print(f"{_PROG}: warning: binding {args.host} lets other machines send through this "
              "proxy (no authentication; /_inspector/ is not forwarded); use --host "
              "127.0.0.1 unless you mean it", file=err)
    listening = CaptureLog()
    try:
        store = _open_store(args)
    except (OSError, sqlite3.Error) as exc:
        print(f"{_PROG}: cannot open the run store: {exc}", file=err)
        return EXIT_USAGE
    recorder = store.begin_run(f"listen · {args.upstream}", {"upstream": args.upstream}) \
        if store is not None else None
    try:
        status = asyncio.run(_listen(args, listening, recorder, out, err))
    except KeyboardInterrupt:
        status = EXIT_OK
    except OSError as exc:  # the embedded backend, or a host name that does not resolve
        print(f"{_PROG}: cannot start: {exc.strerror or exc}", file=err)
        status = EXIT_USAGE
    finally:
        if store is not None and recorder is not None:
            recorder.finish({k: s.report.to_dict() for k, s in
                             listening.analyzer.sessions.items()}, "finished")
            store.close()
    if status != EXIT_OK:
        return status
    print("stopped", file=err)
    return finish(listening, args, out, err)
