"""``media-inspector serve``: the backend alone, with a one-line access log per call."""

from __future__ import annotations

import asyncio
import errno
import signal
import sys
import threading
from typing import TextIO

from aiohttp import web

from ..clock import Clock
from .access_log import AccessLog, access_log_options, flush_access_log
from .app import create_app
from .config import ServerConfig
from .guard import TOKEN_HEADER, is_loopback, with_token_off_loopback
from .runner import BackendRunner
from .state import STATE_KEY

__all__ = ["run_serve", "AccessLog", "access_log_options", "is_loopback"]

_PROG = "media-inspector serve"


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/api/v1"


async def _serve(host: str, port: int, clock: Clock | None, config: ServerConfig | None,
                 out: TextIO, err: TextIO) -> int:
    runner = BackendRunner(create_app(clock=clock, config=config), handle_signals=False,
                           **access_log_options(err), shutdown_timeout=1.0)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            print(f"{_PROG}: cannot listen on {host}:{port}: {_why(exc)}", file=err)
            return 1
        bound_port = runner.addresses[0][1]
        print(f"Media Collection API at {_url(host, bound_port)}", file=out, flush=True)
        token = runner.app[STATE_KEY].config.inspector_token
        if token is not None:
            print(f"/_inspector/ needs the header {TOKEN_HEADER}: {token} (or ?token={token})",
                  file=out, flush=True)
        print("Press Ctrl-C to stop.", file=err, flush=True)
        await until_terminated()
        print("stopped", file=err)
        return 0
    finally:
        await runner.cleanup()
        flush_access_log()  # the last calls' lines, before anything printed after them


async def until_terminated() -> None:
    """Wait for SIGTERM (a clean stop, like Ctrl-C); Ctrl-C arrives as KeyboardInterrupt."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled = threading.current_thread() is threading.main_thread()
    try:
        if handled:
            loop.add_signal_handler(signal.SIGTERM, stop.set)
    except NotImplementedError:  # Windows event loops have no signal handlers
        handled = False
    try:
        await stop.wait()
    finally:
        if handled:
            loop.remove_signal_handler(signal.SIGTERM)


def _why(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "the port is already in use (choose another with --port, or 0 for any free one)"
    return exc.strerror or str(exc)


def run_serve(host: str = "127.0.0.1", port: int = 8080, clock: Clock | None = None, *,
              config: ServerConfig | None = None, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """Serve until Ctrl-C; return the exit status (0 on a clean stop, 1 if it cannot bind)."""
    out, err = out or sys.stdout, err or sys.stderr
    if not is_loopback(host):
        print(f"{_PROG}: warning: binding {host} exposes the Media Collection API (no "
              "authentication, as Adobe's) to other machines; /_inspector/ needs the token "
              "printed below; use --host 127.0.0.1 unless you mean it", file=err)
        config = with_token_off_loopback(config or ServerConfig(), host)
    try:
        return asyncio.run(_serve(host, port, clock, config, out, err))
    except KeyboardInterrupt:
        flush_access_log()
        print("stopped", file=err)
        return 0
    except OSError as exc:  # address resolution fails before the bind
        print(f"{_PROG}: cannot listen on {host}:{port}: {_why(exc)}", file=err)
        return 1


