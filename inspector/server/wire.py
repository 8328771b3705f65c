"""What every answer shares: CORS headers, JSON errors, reading the body, log keys."""

from __future__ import annotations

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

__all__ = ["CORS_HEADERS", "SID_KEY", "EVENT_TYPE_KEY", "UnreadableBody", "read_body",
           "error_response"]

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


async def read_body(request: web.Request) -> bytes:
    """The raw request body, whatever its Content-Type (I15: not enforced)."""
    try:
        return await request.read()
    except RequestPayloadError as exc:
        detail = " ".join(str(exc).split("message:", 1)[-1].split())
        raise UnreadableBody(f"request body could not be read: {detail}") from exc


def error_response(status: int, message: str, **headers: str) -> web.Response:
    """An error in the Swagger's ApiError shape."""
    return web.json_response({"message": message}, status=status, headers=headers)
