"""Which captured calls are Media Collection calls: the sessions and events paths, any host.

Spec §1.1 (endpoints) and §1.4 (the sid is the last path segment). A prefix before
``/api/`` is allowed, so a call through a path-based gateway or our own proxy still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["ApiCall", "classify"]

_SESSIONS = re.compile(r"/api/([^/]+)/sessions/?$")
_EVENTS = re.compile(r"/api/([^/]+)/sessions/([^/?#]+)/events/?$")


@dataclass(frozen=True)
class ApiCall:
    """A Media Collection call: ``start`` (POST sessions) or an event for ``sid``."""

    api_version: str
    sid: str | None  # None for a sessionStart (its sid comes back in Location)

    @property
    def start(self) -> bool:
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
    return ApiCall(found.group(1), None) if found else None
