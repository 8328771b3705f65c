"""The curl export runs: real ``curl`` through a real shell against a local aiohttp server."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from aiohttp import web

from inspector.export import curl_command, curl_script, redact_bytes
from tests.inspector._export_samples import sample_exchanges

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[str, list[tuple[str, str, bytes]]]]:
    """A server on 127.0.0.1 that records (path, content type, body) and answers 204."""
    seen: list[tuple[str, str, bytes]] = []

    async def record(request: web.Request) -> web.Response:
        seen.append((request.path, request.headers.get("Content-Type", ""),
                     await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


async def _shell(command: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_shell(
        command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    return proc.returncode or 0, out.decode("utf-8", "replace")


@pytest.mark.parametrize("redact", [False, True])
async def test_curl_command_delivers_the_same_body(recorder, redact: bool) -> None:
    base, seen = recorder
    exchanges = sample_exchanges()
    for exchange in exchanges:
        target = base + urlsplit(exchange.url).path
        code, out = await _shell(curl_command(exchange, redact=redact, url=target))
        assert code == 0, out
        assert out.startswith("HTTP/1.1 204")
    expected = [redact_bytes(e.request_body) if redact else e.request_body for e in exchanges]
    assert [body for _, _, body in seen] == expected
    assert [path for path, _, _ in seen] == [urlsplit(e.url).path for e in exchanges]
    assert {ctype for _, ctype, _ in seen} == {"application/json"}


def test_curl_script_has_one_command_per_exchange() -> None:
    script = curl_script(sample_exchanges())
    commands = [line for line in script.splitlines() if line.startswith("curl ")]
    assert len(commands) == 4
    assert "# #2 adStart -> 204" in script and "# #4 sessionEnd -> failed" in script
