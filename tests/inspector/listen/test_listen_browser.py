"""A real browser player through the proxy: headless Chromium posts from a page of another
origin, so CORS preflights, the exposed ``Location`` and the events that follow are what a
web player gets (issue 14). CI installs Debian's chromium (``.ci/run``)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from listen_helpers import listening_proxy, upstream_app

from inspector.protocol.bodies import sample_body
from inspector.server import EmbeddedServer

_CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(_CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(.ci/run installs it: apt-get install chromium)")

# The page: sessionStart, read Location (only readable when the answer exposes it), play on
# that session, then report what it saw to its own origin. Errors are reported too.
_PAGE = """<!doctype html><meta charset="utf-8"><title>player</title><script>
const proxy = %(proxy)s, start = %(start)s, play = %(play)s;
async function post(url, body) {
  const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
                              body: JSON.stringify(body)});
  return {status: r.status, location: r.headers.get("Location")};
}
(async () => {
  let seen;
  try {
    const started = await post(proxy + "/api/v1/sessions", start);
    const played = started.location
      ? await post(proxy + started.location + "/events", play) : null;
    seen = {started, played};
  } catch (e) { seen = {error: String(e)}; }
  await fetch("/result", {method: "POST", body: JSON.stringify(seen)});
})();
</script>"""


def _page_app(proxy: str, seen: asyncio.Future[dict[str, Any]]) -> web.Application:
    start = sample_body("sessionStart")
    play = sample_body("play", ts=start["playerTime"]["ts"] + 1)

    async def page(_: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text=_PAGE % {
            "proxy": json.dumps(proxy), "start": json.dumps(start), "play": json.dumps(play)})

    async def result(request: web.Request) -> web.Response:
        if not seen.done():
            seen.set_result(json.loads(await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_post("/result", result)
    return app


async def test_a_browser_player_through_the_proxy_reads_location_and_goes_on(
        tmp_path: Path) -> None:
    assert _CHROMIUM is not None
    server = EmbeddedServer()
    upstream = await server.astart()
    seen: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    try:
        async with listening_proxy(upstream) as (proxy, _proxy, log), \
                upstream_app(_page_app(proxy, seen)) as page:
            browser = await asyncio.create_subprocess_exec(
                _CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'profile'}", page + "/",
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
            try:
                # Waits on the page's own report, not on time; the bound only ends a hung run.
                result = await asyncio.wait_for(seen, timeout=120)
            finally:
                browser.kill()
                await browser.wait()
    finally:
        await server.astop()
    assert "error" not in result, result
    started, played = result["started"], result["played"]
    assert started["status"] == 201
    assert (started["location"] or "").startswith("/api/v1/sessions/")  # exposed to the page
    assert played == {"status": 204, "location": None}
    # The browser's own calls reached the log: a CORS preflight from the page's origin first.
    preflight = log.exchanges[0]
    assert preflight.method == "OPTIONS"
    assert dict((k.lower(), v) for k, v in preflight.request_headers)["origin"] == page
    (session,) = log.analyzer.sessions.values()
    assert session.sid == started["location"].rsplit("/", 1)[1]
    assert [e.event_type for e in session.exchanges] == ["sessionStart", "play"]
    assert session.errors == 0
