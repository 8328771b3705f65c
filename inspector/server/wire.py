"""What every answer shares: CORS headers, JSON errors, reading the body, log keys."""

from __future__ import annotations

import zlib
from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

from . import strict_json
from .state import STATE_KEY

__all__ = ["CORS_HEADERS", "SID_KEY", "EVENT_TYPE_KEY", "RUNNER_OPTIONS", "UnreadableBody",
           "read_body", "buffered_body", "decoded", "unreadable", "error_response"]

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "OPTIONS,POST,PUT",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Expose-Headers": "Location",
}
# What the access log shows for a call, set by the handlers.
SID_KEY = web.RequestKey("media_inspector_sid", str)
EVENT_TYPE_KEY = web.RequestKey("media_inspector_event_type", str)


class UnreadableBody(Exception):
    """The body could not be decoded (e.g. a broken Content-Encoding): the client's 400."""


# Runners must pass these: we decode Content-Encoding ourselves (see read_body), because
# aiohttp's own decoder sometimes drops the connection on a broken body instead of letting
# the handler answer 400.
RUNNER_OPTIONS: dict[str, Any] = {"auto_decompress": False}
_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


async def read_body(request: web.Request) -> bytes:
    """The request body, decoded from its Content-Encoding (Content-Type is not enforced, I15).

    Raises UnreadableBody for a broken or unsupported encoding, and 413 when the decoded body
    is larger than the configured ``max_body_bytes``.
    """
    try:
        raw = buffered_body(request)  # the whole body is nearly always here already
        if raw is None:
            raw = await request.read()
    except RequestPayloadError as exc:
        raise unreadable(exc) from exc
    header = request.headers.get("Content-Encoding")
    if header is None:  # nearly every call
        return raw
    return decoded(request, raw, header)


def buffered_body(request: web.BaseRequest) -> bytes | None:
    """What ``await request.read()`` returns, without awaiting, when the whole body has
    arrived (an event's few hundred bytes nearly always come with the headers); None when
    some is still to come. Raises as ``read`` does: the payload's error, or 413 over
    ``client_max_size``. Only for a body not read before (``read`` keeps what it read)."""
    payload = request.content
    if not payload.is_eof():
        return None
    raw = payload.read_nowait()
    limit = request.client_max_size
    if limit and len(raw) > limit:
        raise web.HTTPRequestEntityTooLarge(limit)
    return raw


def unreadable(exc: RequestPayloadError) -> UnreadableBody:
    """The client's 400 for a body aiohttp could not read (e.g. a broken chunked stream)."""
    detail = " ".join(str(exc).split("message:", 1)[-1].split())
    return UnreadableBody(f"request body could not be read: {detail}")


def decoded(request: web.Request, raw: bytes, header: str) -> bytes:
    """``raw`` decoded from the Content-Encoding ``header`` (the second half of read_body)."""
    encoding = header.strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding not in _DECODERS:
        raise UnreadableBody(f"unsupported Content-Encoding {encoding!r}; send the body "
                             "uncompressed, or as gzip or deflate")
    return _decode(raw, encoding, request.app[STATE_KEY].config.max_body_bytes)


def _decode(raw: bytes, encoding: str, limit: int) -> bytes:
    wbits = _DECODERS[encoding]
    attempts = (wbits, -zlib.MAX_WBITS) if encoding == "deflate" else (wbits,)  # raw deflate too
    for bits in attempts:
        decoder = zlib.decompressobj(bits)
        try:
            body = decoder.decompress(raw, limit + 1)
        except zlib.error:
            continue
        if len(body) > limit:  # also stops decompression bombs early
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=len(body))
        if decoder.eof and not decoder.unused_data:
            return body
    raise UnreadableBody(f"request body is not valid {encoding} data")


def error_response(status: int, message: str, **headers: str) -> web.Response:
    """An error in the Swagger's ApiError shape."""
    return web.json_response({"message": message}, status=status, headers=headers,
                             dumps=strict_json.dumps)
