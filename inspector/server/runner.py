"""The runner of the backend: aiohttp's ``AppRunner`` with a short path for the hottest call.

aiohttp gives every call the same route lookup and, as soon as an app has one middleware,
a middleware chain built per call (a cache lookup, a ``partial`` per layer and aiohttp's own
``current_app`` context manager). Measured with ``bench/server_throughput.py``, that layer is
a sizeable part of what one event costs the backend against a bare handler.

:class:`BackendRunner` lets ``POST /api/v1/sessions/{sid}/events`` with a plain sid (ASCII
letters and digits, no query, no ``Expect``) go straight to :func:`app.post_event`: the
request gets the match info the router would give (same route, same ``{"sid": ...}``, same
app; one frozen object per session), and the answer is what :func:`app.api_answer`, the
middleware's own code for ``/api/``, makes of it (JSON errors, CORS); a taken event gets a
``StreamResponse(204)`` carrying the CORS headers, the same bytes as ``Response(status=204)``
with a fraction of its work. Every other call, and any call the test above is unsure of,
takes aiohttp's path unchanged, so the guard of ``/_inspector/``, the Edge routes and every
error stay as they are. ``tests/inspector/server/test_fast_path.py`` holds that the short
path answers byte for byte as the long one.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, cast

from aiohttp import hdrs, web
from aiohttp.web_urldispatcher import UrlMappingMatchInfo

from .app import EVENTS_ROUTE_KEY, api_answer, post_event
from .wire import RUNNER_OPTIONS

__all__ = ["BackendRunner", "event_sid", "match_info", "MATCH_INFOS"]

_PREFIX = "/api/v1/sessions/"
_SUFFIX = "/events"
_SHORTEST = len(_PREFIX) + 1 + len(_SUFFIX)
MATCH_INFOS = 4096  # sids whose match info is kept (then the table starts again)

Handle = Callable[[web.Request], Awaitable[web.StreamResponse]]


def event_sid(method: str, raw_path: str) -> str | None:
    """The sid of ``POST /api/v1/sessions/{sid}/events`` when the raw path is exactly that
    with an ASCII-alphanumeric sid (so the router, which decodes and normalises the path,
    would match the same route with the same sid); None for anything else."""
    if (method != "POST" or len(raw_path) < _SHORTEST or not raw_path.startswith(_PREFIX)
            or not raw_path.endswith(_SUFFIX)):
        return None
    sid = raw_path[len(_PREFIX):-len(_SUFFIX)]
    return sid if sid.isascii() and sid.isalnum() else None


def match_info(app: web.Application, route: web.AbstractRoute,
               sid: str) -> UrlMappingMatchInfo:
    """The match info the router and ``Application._handle`` give an event call for ``sid``:
    frozen, so one can serve every call of a session (nothing changes it after freeze: the
    only setter, of ``current_app``, belongs to aiohttp's middleware chain, which this path
    does not take)."""
    info = UrlMappingMatchInfo({"sid": sid}, route)
    info.add_app(app)
    info.freeze()
    return info


def _short_path(app: web.Application, handle: Handle) -> Handle:
    """``handle`` (aiohttp's ``Application._handle``) with the event call sent straight on."""
    route = app[EVENTS_ROUTE_KEY]
    infos: dict[str, UrlMappingMatchInfo] = {}  # by sid: a session's events share one

    async def short(request: web.Request) -> web.StreamResponse:
        sid = event_sid(request.method, request.raw_path)
        if sid is None or hdrs.EXPECT in request.headers:
            return await handle(request)
        info = infos.get(sid)
        if info is None:
            info = infos[sid] = match_info(app, route, sid)
            if len(infos) > MATCH_INFOS:
                infos.clear()
                infos[sid] = info
        request._match_info = info
        return await api_answer(request, post_event)

    return short


class BackendRunner(web.AppRunner):
    """``web.AppRunner`` for :func:`create_app`'s app, with the short path for events and
    the options every runner of it needs (``wire.RUNNER_OPTIONS``)."""

    def __init__(self, app: web.Application, **kwargs: Any) -> None:
        super().__init__(app, **{**RUNNER_OPTIONS, **kwargs})

    async def setup(self) -> None:
        await super().setup()
        server = self.server
        assert server is not None
        # The app's request factory makes web.Request objects: what the short path takes.
        long = cast(Handle, server.request_handler)
        server.request_handler = cast(Callable[[web.BaseRequest], Awaitable[web.StreamResponse]],
                                      _short_path(self.app, long))
