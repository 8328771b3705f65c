"""Keeping other web pages away from ``/_inspector/`` (spec §8: the embedded backend's choice).

The Media Collection routes answer any origin, as Adobe's do (spec §1.2). The inspector's
own routes read every session's ids and change the server (faults, clock), so a page the
user happens to visit must not reach them:

- no CORS allow headers there, so a page cannot read an answer;
- every call but GET/HEAD must say ``Content-Type: application/json``: a browser sends
  that cross-site only after a preflight, which those routes never grant, so a "simple"
  ``text/plain`` or form POST is refused (415) before it acts;
- the ``Host`` must be the address the connection came in on (or ``localhost``,
  ``127.0.0.1``, ``[::1]``) with its port, else 421: a DNS-rebound name never matches;
- when a token is set (``serve`` sets one whenever it binds beyond loopback), it must come
  as the ``X-Inspector-Token`` header or ``?token=``, else 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import replace

from aiohttp import web

from .config import ServerConfig
from .state import STATE_KEY
from .wire import error_response

__all__ = ["INSPECTOR_PREFIX", "TOKEN_HEADER", "refusal", "is_inspector_call",
           "is_loopback", "with_token_off_loopback"]

INSPECTOR_PREFIX = "/_inspector"
TOKEN_HEADER = "X-Inspector-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # OPTIONS: 405, no handler
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
_WHY = "/_inspector/ only answers the local user (spec §8, embedded backend's choice)"


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the safe default to bind)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_token_off_loopback(config: ServerConfig, host: str) -> ServerConfig:
    """``config``, with a fresh inspector token when binding ``host`` reaches beyond loopback."""
    if is_loopback(host) or config.inspector_token is not None:
        return config
    return replace(config, inspector_token=secrets.token_urlsafe(18))


def is_inspector_call(request: web.BaseRequest) -> bool:
    """True for a call routed to ``/_inspector/`` (by route, or by path when unrouted)."""
    path = request.path
    if path.startswith("/api/"):
        return False
    if path == INSPECTOR_PREFIX or path.startswith(INSPECTOR_PREFIX + "/"):
        return True
    info = getattr(request, "match_info", None)
    resource = getattr(getattr(info, "route", None), "resource", None)
    return resource is not None and resource.canonical.startswith(INSPECTOR_PREFIX)


def refusal(request: web.Request) -> web.Response | None:
    """The answer refusing an ``/_inspector/`` call from the wrong host, without the token,
    or not JSON; None when it may go on."""
    host = request.headers.get("Host")
    allowed = _allowed_hosts(request)
    if host is None or _normal(host) not in allowed:
        shown = "no Host header" if host is None else f"Host {host!r}"
        use = f", so use http://{min(allowed)}/" if allowed else ""
        return _error(421, f"{shown} is not this server's address; {_WHY}{use} (this also "
                           "defeats DNS rebinding)")
    token = request.app[STATE_KEY].config.inspector_token
    if token is not None:
        given = request.headers.get(TOKEN_HEADER) or request.query.get("token") or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return _error(403, f"{'wrong' if given else 'missing'} inspector token: send the "
                               f"token `serve` printed at start as the {TOKEN_HEADER} header "
                               "or ?token=; it guards /_inspector/ when the server is bound "
                               "beyond loopback")
    if request.method not in _SAFE_METHODS and request.content_type != "application/json":
        return _error(415, f"{request.method} {request.path} takes Content-Type: "
                           f"application/json (got {_content_type(request)}); {_WHY}: other web "
                           "pages cannot send that without a preflight, which it refuses")
    return None


def _allowed_hosts(request: web.Request) -> set[str]:
    """``name:port`` forms this connection may name: loopback names and its own address."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if not sockname or not isinstance(sockname, tuple):
        return set()
    address, port = str(sockname[0]), int(sockname[1])
    names = set(_LOOPBACK_NAMES)
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        pass
    else:
        ip = getattr(ip, "ipv4_mapped", None) or ip
        names.add(f"[{ip}]" if ip.version == 6 else str(ip))
    return {f"{name}:{port}" for name in names}


def _normal(host: str) -> str:
    """``Host`` lower-cased with its port made explicit (80 when absent)."""
    host = host.strip().lower()
    bracket = host.rfind("]")
    if host.rfind(":") <= bracket:  # no port after the name (or after [v6])
        host += ":80"
    return host


def _content_type(request: web.Request) -> str:
    return request.content_type if "Content-Type" in request.headers else "none"


def _error(status: int, message: str) -> web.Response:
    return error_response(status, message)
