"""The listening proxy: forward every call unchanged, record it as an Exchange.

The body is read whole before it is forwarded, so nothing reaches the upstream that the
player did not send; the upstream's answer is read whole too (raw, still encoded), so a
connection the upstream drops mid-body becomes a clear 502 instead of a truncated reply.

The upstream client is aiohttp's, not httpx: measured with ``bench/listen_overhead.py``,
httpcore 1.0 retries a failing ``import sniffio`` on every request (~0.7 ms on a busy
machine), which alone was most of the proxy's added time.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import zlib
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from ..client import normalize_base_url
from ..exchange import Exchange, ExchangeState, body_fields
from ..server.serve import is_loopback
from ..signals import Signal
from .failures import UpstreamFailure, bad_gateway_body, classify_failure
from .headers import forwardable, rewrite_location

__all__ = ["ListenProxy"]

_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")
_ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
              "deflate": zlib.MAX_WBITS}
_MAX_BODY = 16 * 1024 * 1024

_INSPECTOR_PREFIX = "/_inspector/"


def _loopback_name(host: str) -> bool:
    name = urlsplit(f"//{host}").hostname or ""
    return is_loopback(name)


def _uncompressed(raw: bytes, encoding: str) -> bytes:
    """``raw`` decoded from gzip or deflate; as it is when not encoded or not decodable."""
    wbits = _ENCODINGS.get(encoding.strip().lower())
    if wbits is None:
        return raw
    try:
        inflater = zlib.decompressobj(wbits)
        body = inflater.decompress(raw, _MAX_BODY)
    except zlib.error:
        return raw
    return raw if inflater.unconsumed_tail else body


def _decoded(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


class ListenProxy:
    """A transparent reverse proxy to ``upstream``; ``exchanged`` fires once per call, when
    it is answered (or failed); ``sending`` when it has gone to the upstream.

    ``inspector_routes=False`` refuses ``/_inspector/`` (the embedded backend's control
    routes), for a proxy reachable beyond loopback; even when True they are forwarded only
    to a request whose ``Host`` is a loopback name, so a page that rebinds its own name to
    127.0.0.1 cannot reach them through a browser.
    """

    def __init__(self, upstream: str, *, timeout: float = 30.0,
                 inspector_routes: bool = True) -> None:
        self.upstream = normalize_base_url(upstream)
        self.inspector_routes = inspector_routes
        self.exchanged: Signal[[Exchange]] = Signal()
        self.sending: Signal[[Exchange]] = Signal()
        self._seq = itertools.count(1)
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._http: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._http is None:  # made on the serving loop, at the first call
            # No headers of its own (User-Agent, Accept...): only the player's reach upstream.
            self._http = aiohttp.ClientSession(
                auto_decompress=False, trust_env=False, timeout=self._timeout,
                skip_auto_headers=_AUTO_HEADERS, cookie_jar=aiohttp.DummyCookieJar())
        return self._http

    def app(self) -> web.Application:
        """The aiohttp application that serves every method and path."""
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def aclose(self) -> None:
        """Close the connections to the upstream."""
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Forward one call and answer with what the upstream gave (or a 502)."""
        if request.path.startswith(_INSPECTOR_PREFIX) and not (
                self.inspector_routes and _loopback_name(request.host)):
            return web.json_response({"message": "media-inspector listen: /_inspector/ is "
                                      "forwarded only on loopback, to a loopback Host"},
                                     status=403)
        body = await request.read()
        exchange = self._exchange(request, body)
        self.sending.emit(exchange)
        began = time.perf_counter()
        try:
            status, reason, headers, raw = await self._forward(exchange, body)
        except (TimeoutError, aiohttp.ClientError, OSError, UpstreamFailure) as exc:
            exchange.error_kind, exchange.error = classify_failure(exc, self.upstream)
            exchange.state = ExchangeState.FAILED
            exchange.duration_ms = (time.perf_counter() - began) * 1000
            self._announce(exchange)
            return web.Response(status=502, body=bad_gateway_body(exchange.error),
                                content_type="application/json")
        exchange.duration_ms = (time.perf_counter() - began) * 1000
        exchange.status, exchange.state = status, ExchangeState.DONE
        exchange.response_headers = headers
        exchange.response_body = raw
        self._announce(exchange)
        return self._answer(request, status, reason, headers, raw)

    def _announce(self, exchange: Exchange) -> None:
        # Observers (the advisor, the printed line) run right after the answer is written,
        # in the order calls were answered: the player never waits for them.
        asyncio.get_running_loop().call_soon(self.exchanged.emit, exchange)

    def _exchange(self, request: web.Request, raw: bytes) -> Exchange:
        """The record of a call; its body decoded from a Content-Encoding for judging (what
        is forwarded is ``raw``, as sent)."""
        pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.raw_headers]
        body = _uncompressed(raw, request.headers.get("Content-Encoding", ""))
        event_type, playhead, ts = body_fields(_decoded(body))
        now = time.time()
        return Exchange(seq=next(self._seq), method=request.method,
                        url=self.upstream + request.raw_path, event_type=event_type,
                        request_body=body, request_headers=forwardable(pairs, drop=("host",)),
                        state=ExchangeState.SENDING, queued_at=now, started_at=now,
                        playhead=playhead, ts=ts)

    async def _forward(self, exchange: Exchange, body: bytes
                       ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        async with self._client().request(
                exchange.method, URL(exchange.url, encoded=True),
                headers=CIMultiDict(exchange.request_headers),
                data=body or None, allow_redirects=False) as response:
            headers = [(k.decode("latin-1"), v.decode("latin-1"))
                       for k, v in response.raw_headers]
            try:
                raw = await response.read()
            except aiohttp.ClientPayloadError as exc:
                raise UpstreamFailure(response.status, response.content.total_bytes,
                                      exc) from exc
            return response.status, response.reason or "", headers, raw

    def _answer(self, request: web.Request, status: int, reason: str,
                pairs: list[tuple[str, str]], raw: bytes) -> web.Response:
        origin = f"{request.scheme}://{request.host}"
        headers: CIMultiDict[str] = CIMultiDict()
        for name, value in forwardable(pairs, drop=("content-length",)):
            if name.lower() == "location":
                value = rewrite_location(value, self.upstream, origin)
            headers.add(name, value)
        answer = web.Response(status=status, reason=reason or None, headers=headers)
        if raw:
            answer.body = raw
        return answer
