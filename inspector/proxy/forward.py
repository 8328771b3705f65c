"""The listening proxy: forward every call unchanged, record it as an Exchange.

The body is read whole before it is forwarded, so nothing reaches the upstream that the
player did not send; the upstream's answer is read whole too (raw, still encoded), so a
connection the upstream drops mid-body becomes a clear 502 instead of a truncated reply.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import httpx
from aiohttp import web
from multidict import CIMultiDict

from ..client import normalize_base_url
from ..exchange import Exchange, ExchangeState, body_fields
from ..signals import Signal
from .failures import UpstreamFailure, bad_gateway_body, classify_failure
from .headers import forwardable, rewrite_location

__all__ = ["ListenProxy"]

_INSPECTOR_PREFIX = "/_inspector/"


def _decoded(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


class ListenProxy:
    """A transparent reverse proxy to ``upstream``; ``exchanged`` fires once per call, when
    it is answered (or failed); ``sending`` when it has gone to the upstream.

    ``inspector_routes=False`` refuses ``/_inspector/`` (the embedded backend's control
    routes), for a proxy reachable beyond loopback.
    """

    def __init__(self, upstream: str, *, timeout: float = 30.0, inspector_routes: bool = True,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.upstream = normalize_base_url(upstream)
        self.inspector_routes = inspector_routes
        self.exchanged: Signal[[Exchange]] = Signal()
        self.sending: Signal[[Exchange]] = Signal()
        self._seq = itertools.count(1)
        self._http = httpx.AsyncClient(trust_env=False, timeout=timeout, transport=transport,
                                       follow_redirects=False)
        self._http.headers.clear()  # httpx adds Accept, User-Agent...: send only the player's

    def app(self) -> web.Application:
        """The aiohttp application that serves every method and path."""
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def aclose(self) -> None:
        await self._http.aclose()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Forward one call and answer with what the upstream gave (or a 502)."""
        if not self.inspector_routes and request.path.startswith(_INSPECTOR_PREFIX):
            return web.json_response({"message": "media-inspector listen: /_inspector/ is not "
                                      "forwarded beyond loopback"}, status=403)
        body = await request.read()
        exchange = self._exchange(request, body)
        self.sending.emit(exchange)
        began = time.perf_counter()
        try:
            response, raw = await self._forward(exchange)
        except (httpx.HTTPError, OSError, UpstreamFailure) as exc:
            exchange.error_kind, exchange.error = classify_failure(exc, self.upstream)
            exchange.state = ExchangeState.FAILED
            exchange.duration_ms = (time.perf_counter() - began) * 1000
            self.exchanged.emit(exchange)
            return web.Response(status=502, body=bad_gateway_body(exchange.error),
                                content_type="application/json")
        exchange.duration_ms = (time.perf_counter() - began) * 1000
        exchange.status, exchange.state = response.status_code, ExchangeState.DONE
        exchange.response_headers = list(response.headers.multi_items())
        exchange.response_body = raw
        self.exchanged.emit(exchange)
        return self._answer(request, response, raw)

    def _exchange(self, request: web.Request, body: bytes) -> Exchange:
        pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.raw_headers]
        event_type, playhead, ts = body_fields(_decoded(body))
        now = time.time()
        return Exchange(seq=next(self._seq), method=request.method,
                        url=self.upstream + request.raw_path, event_type=event_type,
                        request_body=body, request_headers=forwardable(pairs, drop=("host",)),
                        state=ExchangeState.SENDING, queued_at=now, started_at=now,
                        playhead=playhead, ts=ts)

    async def _forward(self, exchange: Exchange) -> tuple[httpx.Response, bytes]:
        request = self._http.build_request(exchange.method, exchange.url,
                                           headers=exchange.request_headers,
                                           content=exchange.request_body or None)
        response = await self._http.send(request, stream=True)
        chunks: list[bytes] = []
        try:
            async for chunk in response.aiter_raw():
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise UpstreamFailure(response.status_code, sum(map(len, chunks)), exc) from exc
        finally:
            await response.aclose()
        return response, b"".join(chunks)

    def _answer(self, request: web.Request, response: httpx.Response,
                raw: bytes) -> web.Response:
        origin = f"{request.scheme}://{request.host}"
        headers: CIMultiDict[str] = CIMultiDict()
        for name, value in forwardable(response.headers.multi_items(),
                                       drop=("content-length",)):
            if name.lower() == "location":
                value = rewrite_location(value, self.upstream, origin)
            headers.add(name, value)
        answer = web.Response(status=response.status_code, reason=response.reason_phrase,
                              headers=headers)
        if raw:
            answer.body = raw
        return answer
