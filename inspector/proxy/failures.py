"""Why the upstream gave the player nothing usable, and the 502 the player gets instead."""

from __future__ import annotations

import json
import ssl

import aiohttp

from ..exchange import ErrorKind

__all__ = ["UpstreamFailure", "classify_failure", "bad_gateway_body"]


class UpstreamFailure(Exception):
    """The upstream failed after its headers arrived (it closed mid-body)."""

    def __init__(self, status: int, received: int, cause: BaseException) -> None:
        super().__init__(f"the upstream closed the connection mid-body: it answered {status} "
                         f"and sent {received} byte(s) of the body, then stopped ({cause})")
        self.status, self.received = status, received


def classify_failure(exc: BaseException, upstream: str) -> tuple[ErrorKind, str]:
    """A kind and a one-line reason, naming the upstream."""
    if isinstance(exc, UpstreamFailure):
        return ErrorKind.PROTOCOL, str(exc)
    if isinstance(exc, TimeoutError):  # aiohttp's ServerTimeoutError is one too
        return ErrorKind.TIMEOUT, f"the upstream {upstream} did not answer in time"
    if isinstance(exc, (aiohttp.ClientSSLError, ssl.SSLError)):
        return ErrorKind.TLS, f"TLS with the upstream {upstream} failed: {exc}"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return ErrorKind.DNS, f"the upstream's host name could not be resolved: {exc}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ErrorKind.CONNECT, f"cannot connect to the upstream {upstream}: " \
                                  f"{exc.strerror or 'connection refused'}"
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientResponseError)):
        return ErrorKind.PROTOCOL, f"the upstream {upstream} closed the connection or sent " \
                                   f"a malformed answer: {exc}"
    return ErrorKind.NETWORK, f"network error talking to the upstream {upstream}: " \
                              f"{exc or type(exc).__name__}"


def bad_gateway_body(reason: str) -> bytes:
    """The 502 body: ``{"message": ...}`` like the API's own errors (spec §1.2)."""
    return json.dumps({"message": f"media-inspector listen: {reason}; nothing came from the "
                                  "upstream that the proxy could pass on, so this 502 is "
                                  "the proxy's, not the upstream's"}).encode()
