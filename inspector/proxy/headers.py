"""What a transparent reverse proxy may change in headers: hop-by-hop ones, Host, Location.

RFC 9110 §7.6.1: hop-by-hop headers (and any named in ``Connection``) belong to one
connection and are not forwarded. ``Host`` names the upstream on the way in (the upstream
routes on it); an absolute ``Location`` naming the upstream is rewritten on the way out so
the player keeps talking to the proxy (spec §1.2, §1.4: the sid travels in it).
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["HOP_BY_HOP", "forwardable", "rewrite_location", "same_origin"]

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate",
                        "proxy-authorization", "proxy-connection", "te", "trailer",
                        "transfer-encoding", "upgrade"})


def forwardable(pairs: Iterable[tuple[str, str]], *, drop: Iterable[str] = ()
                ) -> list[tuple[str, str]]:
    """``pairs`` without hop-by-hop headers, those ``Connection`` names, and ``drop``."""
    pairs = list(pairs)
    named = {token.strip().lower() for k, v in pairs if k.lower() == "connection"
             for token in v.split(",")}
    skip = HOP_BY_HOP | named | {d.lower() for d in drop}
    return [(k, v) for k, v in pairs if k.lower() not in skip]


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default
    except ValueError:
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def same_origin(url: str, base: str) -> bool:
    """True when ``url`` is absolute and has ``base``'s scheme, host and port."""
    return "://" in url and _origin(url) == _origin(base)


def rewrite_location(location: str, upstream: str, proxy_origin: str) -> str:
    """``location`` pointing at the proxy when it is absolute and names the upstream;
    a relative one (what Adobe and our backend send) is left as it is."""
    if not same_origin(location, upstream):
        return location
    parts = urlsplit(location)
    mine = urlsplit(proxy_origin)
    return urlunsplit((mine.scheme, mine.netloc, parts.path, parts.query, parts.fragment))
