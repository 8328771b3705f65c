"""``serve``'s access log: one line per call, written in batches, off the logging module.

Measured with ``bench/server_throughput.py``: the logging module (a record, a formatter,
a lock and a flush per call) cost ``serve`` up to half its throughput. This writes the
lines of one event-loop iteration together, then flushes once, so a line still shows at
once and a busy server makes one write per batch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, TextIO

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from .wire import EVENT_TYPE_KEY, SID_KEY

__all__ = ["AccessLog", "access_log_options"]


class AccessLog(AbstractAccessLogger):
    """``HH:MM:SS METHOD PATH STATUS eventType sid=SID MSms`` for every call."""

    def __init__(self, logger: logging.Logger, log_format: str) -> None:
        super().__init__(logger, log_format)
        handler = next((h for h in logger.handlers if isinstance(h, logging.StreamHandler)),
                       None)
        self._stream: TextIO | None = handler.stream if handler is not None else None
        self._pending: list[str] = []
        self._second = -1
        self._clock = ""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        line = (f"{self._now()} {request.method} {request.raw_path} {response.status} "
                f"{request.get(EVENT_TYPE_KEY, '-')} sid={request.get(SID_KEY, '-')} "
                f"{time * 1000:.1f}ms\n")
        if self._stream is None:
            self.logger.info(line.rstrip("\n"))
            return
        if not self._pending:
            try:
                asyncio.get_running_loop().call_soon(self._flush)
            except RuntimeError:  # no loop (never under aiohttp): write now
                self._pending.append(line)
                self._flush()
                return
        self._pending.append(line)

    def _now(self) -> str:
        second = int(_wall())
        if second != self._second:
            self._second, self._clock = second, time.strftime("%H:%M:%S",
                                                              time.localtime(second))
        return self._clock

    def _flush(self) -> None:
        lines, self._pending = self._pending, []
        assert self._stream is not None
        try:
            self._stream.write("".join(lines))
            self._stream.flush()
        except (OSError, ValueError):  # a closed or broken terminal must not stop serving
            pass


def _wall() -> float:
    return time.time()


def access_log_options(stream: TextIO) -> dict[str, Any]:
    """The AppRunner options for ``serve``'s access log on ``stream``."""
    logger = logging.getLogger("media_inspector.server.access")
    logger.handlers[:] = [logging.StreamHandler(stream)]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return {"access_log_class": AccessLog, "access_log": logger}
