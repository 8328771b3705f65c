"""httpx requests over aiohttp's connection pool: the client's default transport.

httpx's own transport (httpcore on h11 and anyio) costs about three times a bare aiohttp
client per request on loopback; this one keeps httpx's transport API (``httpx.Request`` in,
``httpx.Response`` out, httpx's exception classes, so a test can still inject any httpx
transport) and lets aiohttp's C-accelerated parser and pool do the wire work. It is the idea
of the ``httpx-aiohttp`` package, written here because that package builds a TLS context
up front, keeps aiohttp's cookie jar, and maps a dropped connection to a connect timeout.

- No cookies: aiohttp's jar is a dummy (the client keeps its own only when asked).
- TLS is set up lazily, the first time an ``https`` URL is sent, with httpx's trust store
  (certifi) and the ``verify`` setting; plain http never builds a context.
- The body is streamed (``Content-Encoding`` decoded by httpx, as with httpx's transport).
"""

from __future__ import annotations

import contextlib
import ssl
from typing import AsyncIterator, Iterator, Protocol, Sequence, runtime_checkable

import aiohttp
import httpx

__all__ = ["AiohttpTransport", "PlainAnswer", "PlainStream", "PlainWire", "header_items",
           "plain_body"]


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    """aiohttp's failures as the httpx exceptions the client classifies (cause kept)."""
    try:
        yield
    except aiohttp.ConnectionTimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc) or "connect timeout") from exc
    except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
        raise httpx.ReadTimeout(str(exc) or "read timeout") from exc
    except aiohttp.ClientConnectorError as exc:  # DNS, refused, TLS handshake (cause kept)
        raise httpx.ConnectError(str(exc)) from exc
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError,
            aiohttp.ClientResponseError) as exc:
        raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__) from exc
    except aiohttp.InvalidURL as exc:
        raise httpx.UnsupportedProtocol(str(exc)) from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise httpx.ReadError(str(exc) or type(exc).__name__) from exc


class PlainStream(httpx.AsyncByteStream):
    """A transport's response body whose chunks are the body's bytes as they came off the
    wire (no ``Content-Encoding`` decoded), so :func:`plain_body` may read them directly."""


class _Body(PlainStream):
    """An aiohttp response body as httpx reads it; closing it frees the connection."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        with _as_httpx_errors():
            while chunk := await content.readany():
                yield chunk

    async def aclose(self) -> None:
        # A body read to the end goes back to the pool; one cut short closes its connection.
        if self._response.content.at_eof():
            self._response.release()
        else:
            self._response.close()


# (status, reason phrase, header lines as they came, the body as it arrives)
PlainAnswer = tuple[int, bytes, list[tuple[bytes, bytes]], PlainStream]


@runtime_checkable
class PlainWire(Protocol):
    """A transport that can also send a request given as bytes and answer with bytes, with
    no httpx request or response objects on the way (the load engine's, ``load/wire.py``)."""

    async def send_plain(self, url: httpx.URL, method: bytes,
                         headers: Sequence[tuple[bytes, bytes]], body: bytes,
                         connect_timeout: float | None) -> PlainAnswer | None:
        """Send it as :meth:`handle_async_request` would send the same request; None, with
        nothing sent, for a URL it does not carry (the caller then goes httpx's way)."""
        ...


def header_items(raw: Sequence[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    """``list(httpx.Headers(raw).items())``: names in lower case, a repeated name's values
    joined with ", ", in first-seen order; decoded as httpx decodes them."""
    merged: dict[str, str] = {}
    try:
        for key, value in raw:
            name, text = key.decode("ascii").lower(), value.decode("ascii")
            merged[name] = f"{merged[name]}, {text}" if name in merged else text
    except UnicodeDecodeError:  # httpx picks utf-8 or latin-1 for the whole block
        return list(httpx.Headers(list(raw)).items())
    return list(merged.items())


def plain_body(response: httpx.Response) -> AsyncIterator[bytes] | None:
    """The body's chunks straight from the transport, for a response whose stream is a
    :class:`PlainStream` (this transport's, or the load engine's) and that has no
    ``Content-Encoding`` (httpx would pass them through unchanged); None otherwise.

    The same bytes and errors as ``response.aiter_bytes()`` without its layers of
    generators; ``response.aclose()`` still frees the connection.
    """
    stream = response.stream
    if not isinstance(stream, PlainStream) or "content-encoding" in response.headers \
            or response.is_stream_consumed or response.is_closed:
        return None
    response.is_stream_consumed = True
    return stream.__aiter__()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport on one aiohttp ``ClientSession``, opened at the first request."""

    def __init__(self, *, verify: bool = True, max_connections: int = 100) -> None:
        self.verify = verify
        self.max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None
        self._tls: ssl.SSLContext | None = None
        self._timeouts: dict[tuple[float | None, float | None], aiohttp.ClientTimeout] = {}

    @property
    def tls_context(self) -> ssl.SSLContext | None:
        """The TLS context, once an https URL has needed one (None until then)."""
        return self._tls

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self.max_connections)
        self._session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None), skip_auto_headers=("User-Agent",))
        return self._session

    def _ssl_for(self, url: httpx.URL) -> ssl.SSLContext | bool:
        if url.scheme != "https":
            return True  # aiohttp's default; never used without TLS
        if self._tls is None:
            self._tls = httpx.create_ssl_context(verify=self.verify)
        return self._tls

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        phases = request.extensions.get("timeout") or {}
        key = (phases.get("connect"), phases.get("read"))
        found = self._timeouts.get(key)
        if found is None:
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None, sock_connect=key[0], sock_read=key[1])
        return found

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session or self._open()
        with _as_httpx_errors():
            response = await session.request(
                request.method, str(request.url), data=request.content or None,
                headers=request.headers.multi_items(), allow_redirects=False,
                ssl=self._ssl_for(request.url), timeout=self._timeout(request))
        return httpx.Response(response.status, headers=response.raw_headers,
                              stream=_Body(response), request=request,
                              extensions={"http_version": b"HTTP/1.1",
                                          "reason_phrase": (response.reason or "").encode()})

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
