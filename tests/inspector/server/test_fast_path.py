"""BackendRunner's short path for events answers exactly as aiohttp's routing and middleware.

Each call below goes, as raw bytes over 127.0.0.1, to two servers of the same app: one
behind ``BackendRunner`` (the short path) and one behind a plain ``web.AppRunner`` (the
router and the middleware). The answers must be the same bytes, but for the Date header
and each server's own sid.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from inspector.clock import ManualClock
from inspector.server import ServerConfig, create_app
from inspector.server.app import EVENTS_ROUTE_KEY
from inspector.server import runner as runner_module
from inspector.server.runner import BackendRunner, event_sid, match_info
from inspector.server.wire import RUNNER_OPTIONS
from mc_driver import body

SID = "0123456789abcdef" * 4
LIMIT = 4096  # max_body_bytes of both servers


@dataclass
class Served:
    port: int
    sid: str = ""
    ended: str = ""  # a session closed by sessionEnd


async def _raw(port: int, head: str, data: bytes = b"") -> bytes:
    """One call on its own connection (Connection: close); the whole answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head.replace("\n", "\r\n").encode() + b"\r\n" + data)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    return answer


def _head(method: str, path: str, port: int, length: int, *extra: str) -> str:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
             f"Content-Length: {length}", *extra]
    return "\n".join(lines) + "\n"


async def _post(served: Served, path: str, payload: bytes, *extra: str) -> bytes:
    return await _raw(served.port, _head("POST", path, served.port, len(payload), *extra),
                      payload)


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


async def _open(served: Served) -> str:
    answer = await _post(served, "/api/v1/sessions", _json(body("sessionStart", 0)),
                         "Content-Type: application/json")
    match = re.search(rb"Location: /api/v1/sessions/([0-9a-f]{64})", answer)
    assert match, answer
    return match.group(1).decode()


@pytest.fixture
async def servers() -> AsyncIterator[tuple[Served, Served]]:
    """(short path, long path): the same app twice, on this loop."""
    runners: list[web.AppRunner] = []
    both = []
    for runner_class in (BackendRunner, web.AppRunner):
        app = create_app(clock=ManualClock(), config=ServerConfig(max_body_bytes=LIMIT))
        options = {} if runner_class is BackendRunner else RUNNER_OPTIONS
        runner = runner_class(app, access_log=None, **options)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        served = Served(runner.addresses[0][1])
        served.sid, served.ended = await _open(served), await _open(served)
        ending = await _post(served, f"/api/v1/sessions/{served.ended}/events",
                             _json(body("sessionEnd", 1)), "Content-Type: application/json")
        assert ending.startswith(b"HTTP/1.1 204"), ending
        both.append(served)
    yield both[0], both[1]
    for runner in runners:
        await runner.cleanup()


def _calls(served: Served) -> list[tuple[str, bytes, tuple[str, ...]]]:
    """(path, body, extra headers) of every call compared; the sid is the server's own."""
    events = f"/api/v1/sessions/{served.sid}/events"
    ping = _json(body("ping", 2, 1.0))
    typed = ("Content-Type: application/json",)
    return [
        (events, ping, typed),
        (events, _json(body("play", 3, 1.0)), ("Origin: https://elsewhere.example",)),
        (events, b'{"eventType": "ping", "playerTime": ', typed),  # bad JSON
        (events, _json(body("sessionStart", 4)), typed),  # wrong endpoint
        (events, b"x" * (LIMIT + 1), typed),  # too large
        (events, b"not gzip at all", ("Content-Encoding: gzip",)),
        (events, gzip.compress(_json(body("ping", 5, 1.0))), ("Content-Encoding: gzip",)),
        (events, _json(body("ping", 6, 1.0)), ("Expect: 100-continue", *typed)),
        (f"/api/v1/sessions/{SID}/events", ping, typed),  # unknown sid
        (f"/api/v1/sessions/{served.ended}/events", ping, typed),  # closed
        (f"/api/v1/sessions/{served.sid.upper()}/events", ping, typed),
        (f"{events}?x=1", _json(body("ping", 7, 1.0)), typed),
        (f"/api/v1/sessions/%30{SID[1:]}/events", ping, typed),
        (f"/api/v1/sessions/{served.sid}/./events", ping, typed),
        (f"/api/v1/sessions/{served.sid}/events/", ping, typed),
        ("/api/v1/sessions//events", ping, typed),
    ]


def _same(answer: bytes, served: Served) -> bytes:
    answer = re.sub(rb"\r\nDate: [^\r]*", b"", answer)
    for sid, name in ((served.sid, b"SID"), (served.ended, b"ENDED")):
        answer = answer.replace(sid.encode(), name).replace(sid.upper().encode(), name.lower())
    return answer


async def test_every_event_answer_is_the_long_paths(servers: tuple[Served, Served]) -> None:
    short, long = servers
    statuses = []
    for (path, data, extra), (long_path, long_data, long_extra) in zip(
            _calls(short), _calls(long), strict=True):
        mine = _same(await _post(short, path, data, *extra), short)
        theirs = _same(await _post(long, long_path, long_data, *long_extra), long)
        assert mine == theirs, path
        statuses.append(int(mine.split(b" ", 2)[1]))
    # the calls reach what they are meant to: answers, errors, CORS on each
    assert statuses == [204, 204, 400, 400, 413, 400, 204, 100, 404, 410, 404, 204, 404, 404,
                        404, 404]


async def test_kept_alive_and_http_1_0_answers_are_the_long_paths(
        servers: tuple[Served, Served]) -> None:
    answers = []
    for served in servers:
        events = f"/api/v1/sessions/{served.sid}/events"
        first, second = _json(body("ping", 20, 1.0)), _json(body("ping", 21, 1.0))
        kept = _head("POST", events, served.port, len(first)).replace("Connection: close\n", "")
        old = _head("POST", events, served.port, len(second)).replace("HTTP/1.1", "HTTP/1.0")
        both = await _raw(served.port, kept, first + old.replace("\n", "\r\n").encode()
                          + b"\r\n" + second)
        answers.append(_same(both, served))
    assert answers[0] == answers[1]
    assert answers[0].startswith(b"HTTP/1.1 204") and b"HTTP/1.0 204" in answers[0]


async def test_an_injected_fault_applies_on_the_short_path(
        servers: tuple[Served, Served]) -> None:
    for served in servers:
        rule = _json({"status": 503, "count": 1})
        set_rule = await _post(served, "/_inspector/faults", rule,
                               "Content-Type: application/json")
        assert set_rule.startswith(b"HTTP/1.1 20"), set_rule
    short, long = servers
    answers = [_same(await _post(served, f"/api/v1/sessions/{served.sid}/events",
                                 _json(body("ping", 2, 1.0))), served)
               for served in servers]
    assert answers[0] == answers[1] and answers[0].startswith(b"HTTP/1.1 503")
    assert b"injected fault" in answers[0] and b"Access-Control-Allow-Origin: *" in answers[0]


def test_the_short_path_takes_what_the_router_takes_the_same_way() -> None:
    app = create_app()
    tried = ["/api/v1/sessions/" + SID + "/events", "/api/v1/sessions/A1b2/events",
             "/api/v1/sessions/x/events", "/api/v1/sessions/events", "/api/v1/sessions//events",
             f"/api/v1/sessions/{SID}/events?token=1", f"/api/v1/sessions/%41{SID}/events",
             "/api/v1/sessions/../events", "/api/v1/sessions/./events",
             f"/api/v1/sessions/{SID}/events/", f"/api/v1/sessions/{SID}/events#x",
             "/api/v1/sessions/\u00e9t\u00e9/events", "/api/v1/sessions/a b/events",
             f"/api/v2/sessions/{SID}/events", f"/API/v1/sessions/{SID}/events"]
    taken = 0
    for path in tried:
        for method in ("POST", "GET", "OPTIONS"):
            sid = event_sid(method, path)
            if sid is None:
                continue
            taken += 1
            info = asyncio.run(app.router.resolve(make_mocked_request(method, path, app=app)))
            assert info.route is app[EVENTS_ROUTE_KEY] and info["sid"] == sid, path
            info.add_app(app)  # as Application._handle does
            info.freeze()
            mine = match_info(app, app[EVENTS_ROUTE_KEY], sid)
            assert (dict(mine), mine.route, mine.apps, mine.current_app) == (
                dict(info), info.route, info.apps, info.current_app), path
    assert taken == 3  # the plain sids, by POST only


async def test_the_sids_the_backend_hands_out_take_the_short_path(
        servers: tuple[Served, Served]) -> None:
    short, _ = servers
    assert event_sid("POST", f"/api/v1/sessions/{short.sid}/events") == short.sid


async def test_a_full_match_info_table_starts_again_and_answers_stay_right(
        servers: tuple[Served, Served], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "MATCH_INFOS", 2)
    short, _ = servers
    sids = [short.sid, "a" * 64, short.sid, "b" * 64, "c" * 64, short.sid, short.ended]
    statuses = []
    for n, sid in enumerate(sids):
        answer = await _post(short, f"/api/v1/sessions/{sid}/events",
                             _json(body("ping", 10 + n, 1.0)))
        statuses.append(int(answer.split(b" ", 2)[1]))
        assert sid.encode() in answer or statuses[-1] == 204
    assert statuses == [204, 404, 204, 404, 404, 204, 410]


async def test_each_call_on_the_short_path_sees_its_own_match_info_and_app() -> None:
    app = create_app()
    seen: list[tuple[str, bool, bool]] = []

    async def record(request: web.Request, _: web.StreamResponse) -> None:
        seen.append((request.match_info.get("sid", ""), request.app is app,
                     request.match_info.route is app[EVENTS_ROUTE_KEY]))

    app.on_response_prepare.append(record)
    runner = BackendRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        served = Served(runner.addresses[0][1])
        first, second = await _open(served), await _open(served)
        seen.clear()
        sids = [first, second, first, SID, second]
        for n, sid in enumerate(sids):
            await _post(served, f"/api/v1/sessions/{sid}/events", _json(body("ping", n + 1)))
    finally:
        await runner.cleanup()
    assert seen == [(sid, True, True) for sid in sids]
