"""``serve``'s access log: every connection's lines share one batched write, none is lost."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from inspector.server.access_log import MAX_PENDING, AccessLog, access_log_options
from inspector.server.wire import EVENT_TYPE_KEY, SID_KEY

SID = "ab" * 32


class CountingStream(io.StringIO):
    """A stream that counts its writes and says when one happened."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.written = asyncio.Event()

    def write(self, text: str) -> int:
        self.writes += 1
        self.written.set()
        return super().write(text)


def _call(path: str, event_type: str | None) -> web.Request:
    request = make_mocked_request("POST", path)
    request[SID_KEY] = SID
    if event_type:
        request[EVENT_TYPE_KEY] = event_type
    return request


async def test_lines_of_every_connection_go_out_in_one_write() -> None:
    stream = CountingStream()
    logger = access_log_options(stream)["access_log"]
    first, second = AccessLog(logger, ""), AccessLog(logger, "")  # two connections
    first.log(_call(f"/api/v1/sessions/{SID}/events", "ping"), web.Response(status=204), 0.002)
    second.log(_call("/api/v1/sessions", "sessionStart"), web.Response(status=201), 0.0015)
    first.log(_call(f"/api/v1/sessions/{SID}/events", None), web.Response(status=404), 0.0)
    assert stream.writes == 0  # queued, not written per line
    await asyncio.wait_for(stream.written.wait(), 10)
    assert stream.writes == 1
    lines = stream.getvalue().splitlines()
    assert [line.split(" ", 1)[1] for line in lines] == [
        f"POST /api/v1/sessions/{SID}/events 204 ping sid={SID} 2.0ms",
        f"POST /api/v1/sessions 201 sessionStart sid={SID} 1.5ms",
        f"POST /api/v1/sessions/{SID}/events 404 - sid={SID} 0.0ms",
    ]


async def test_a_full_batch_is_written_at_once() -> None:
    stream = CountingStream()
    log = AccessLog(access_log_options(stream)["access_log"], "")
    for n in range(MAX_PENDING - 1):
        log.log(_call(f"/api/v1/sessions/{SID}/events", "ping"), web.Response(status=204), n)
    assert stream.writes == 0
    log.log(_call(f"/api/v1/sessions/{SID}/events", "play"), web.Response(status=204), 0)
    assert stream.writes == 1 and len(stream.getvalue().splitlines()) == MAX_PENDING
    assert stream.getvalue().splitlines()[-1].endswith(f"204 play sid={SID} 0.0ms")


def test_without_a_loop_a_line_is_written_at_once() -> None:
    stream = CountingStream()
    log = AccessLog(access_log_options(stream)["access_log"], "")
    log.log(_call("/api/v1/sessions", "sessionStart"), web.Response(status=201), 0.001)
    assert stream.writes == 1 and "201 sessionStart" in stream.getvalue()


_CHILD = textwrap.dedent("""
    import asyncio, sys
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request
    from inspector.server.access_log import MAX_PENDING, AccessLog, access_log_options
    log = AccessLog(access_log_options(open(sys.argv[1], "w"))["access_log"], "")
    async def main():
        log.log(make_mocked_request("POST", "/api/v1/sessions"), web.Response(status=201), 0)
    asyncio.run(main())  # the loop ends before the batch is due
""")


def test_a_queued_line_is_written_when_the_process_exits(tmp_path: Path) -> None:
    out = tmp_path / "access.log"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    subprocess.run([sys.executable, "-c", _CHILD, str(out)], check=True, env=env)
    assert "POST /api/v1/sessions 201 - sid=- 0.0ms" in out.read_text()
