"""Which captured calls are Media Collection calls: the sessions and events paths, any host.

Spec §1.1 (endpoints) and §1.4 (the sid is the last path segment). A prefix before
``/api/`` is allowed, so a call through a path-based gateway or our own proxy still counts.
Media Edge calls (spec §9) count too: ``/ee/va/v1/{event}``, ``/ee/{cluster}/va/v1/{event}``
and ``/ee/v1/interact`` (where the Web SDK sends its sessionStart); their sid is in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["ApiCall", "classify"]

_SESSIONS = re.compile(r"/api/([^/]+)/sessions/?$")
_EVENTS = re.compile(r"/api/([^/]+)/sessions/([^/?#]+)/events/?$")
_EDGE = re.compile(r"/ee/(?:[A-Za-z0-9_-]+/)?va/(v\d+)/([A-Za-z]+)/?$")
_INTERACT = re.compile(r"/ee/(?:[A-Za-z0-9_-]+/)?(v\d+)/interact/?$")


@dataclass(frozen=True)
class ApiCall:
    """A Media Collection call: ``start`` (POST sessions) or an event for ``sid``."""

    api_version: str
    sid: str | None  # None for a sessionStart (its sid comes back in Location) or Edge
    dialect: str = "classic"  # "edge": the sid is in the body, the event in the path
    path_event: str | None = None  # Edge: the path's event; None for an interact call

    @property
    def start(self) -> bool:
        if self.dialect == "edge":
            # an interact call's start, or an offline batch (/downloaded: a whole session)
            return self.path_event in ("sessionStart", "downloaded", None)
        return self.sid is None


def classify(method: str, url: str) -> ApiCall | None:
    """The call ``method url`` is, or None when it is not a Media Collection POST."""
    if method.upper() != "POST":
        return None
    path = urlsplit(url).path
    found = _EVENTS.search(path)
    if found:
        return ApiCall(found.group(1), found.group(2))
    found = _SESSIONS.search(path)
    if found:
        return ApiCall(found.group(1), None)
    found = _EDGE.search(path)
    if found:
        return ApiCall(found.group(1), None, "edge", found.group(2))
    found = _INTERACT.search(path)
    return ApiCall(found.group(1), None, "edge") if found else None
