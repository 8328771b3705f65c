"""``serve``'s access log: one line per call, written in batches, off the logging module.

Measured with ``bench/server_throughput.py``: the logging module (a record, a formatter,
a lock and a flush per call) cost ``serve`` up to half its throughput, and so did a write
and a flush per line (aiohttp makes one access logger per connection, so batching per
logger still wrote once per call). Every connection's logger appends to the one
:class:`LineSink` of its stream, which writes what gathered at most ``FLUSH_DELAY`` seconds
later (or at ``MAX_PENDING`` lines), in one write and one flush. Nothing is lost at exit:
the sink is the logging handler's, so ``logging.shutdown`` (run at interpreter exit) and
``serve``'s own stop both flush it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, TextIO

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from .wire import EVENT_TYPE_KEY, SID_KEY

__all__ = ["AccessLog", "LineSink", "access_log_options", "flush_access_log"]

FLUSH_DELAY = 0.05  # seconds: a person watching the terminal sees no lag
MAX_PENDING = 512  # lines: a busy server's batch stays small in memory
_LOGGER = "media_inspector.server.access"


class LineSink(logging.StreamHandler):  # type: ignore[type-arg]
    """The stream's logging handler, holding the lines not yet written to it."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.pending: list[str] = []  # written by the next flush
        self.timer: asyncio.TimerHandle | None = None

    def add(self, line: str) -> None:
        """Queue ``line`` (ending in a newline); it is written within ``FLUSH_DELAY``."""
        pending = self.pending
        pending.append(line)
        if len(pending) >= MAX_PENDING:
            self.flush()
        elif self.timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (never under aiohttp): write now
                self.flush()
                return
            self.timer = loop.call_later(FLUSH_DELAY, self._flush_due)

    def _flush_due(self) -> None:
        self.timer = None
        self.flush()

    def flush(self) -> None:
        """Write every queued line in one write, then flush the stream (also the logging
        module's flush: ``logging.shutdown`` calls it at exit)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.pending:
            text, self.pending = "".join(self.pending), []
            try:
                self.stream.write(text)
            except (OSError, ValueError):  # a closed or broken terminal must not stop serving
                return
        try:
            super().flush()
        except (OSError, ValueError):
            pass


class AccessLog(AbstractAccessLogger):
    """``HH:MM:SS METHOD PATH STATUS eventType sid=SID MSms`` for every call.

    aiohttp makes one per connection; they share the logger's :class:`LineSink`."""

    def __init__(self, logger: logging.Logger, log_format: str) -> None:
        super().__init__(logger, log_format)
        self._sink = next((h for h in logger.handlers if isinstance(h, LineSink)), None)
        self._second = -1
        self._clock = ""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        second = int(_wall())
        if second != self._second:
            self._second, self._clock = second, _clock_text(second)
        try:  # not request.get(): that is two Python calls (Mapping.get, then __getitem__)
            event_type = request[EVENT_TYPE_KEY]
        except KeyError:
            event_type = "-"
        try:
            sid = request[SID_KEY]
        except KeyError:
            sid = "-"
        line = (f"{self._clock} {request.method} {request.raw_path} {response.status} "
                f"{event_type} sid={sid} {time * 1000:.1f}ms\n")
        if self._sink is None:
            self.logger.info(line[:-1])
        else:
            self._sink.add(line)


_wall = time.time


def _clock_text(second: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(second))


def access_log_options(stream: TextIO) -> dict[str, Any]:
    """The AppRunner options for ``serve``'s access log on ``stream``."""
    logger = logging.getLogger(_LOGGER)
    for handler in logger.handlers:  # a previous serve's lines go out before it is replaced
        handler.flush()
    logger.handlers[:] = [LineSink(stream)]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return {"access_log_class": AccessLog, "access_log": logger}


def flush_access_log() -> None:
    """Write out every queued access-log line now (``serve`` calls it as it stops)."""
    for handler in logging.getLogger(_LOGGER).handlers:
        handler.flush()
