"""Listen mode: a transparent reverse proxy whose exchanges feed the capture analyzer."""

from __future__ import annotations

from .forward import ListenProxy
from .headers import HOP_BY_HOP, forwardable, rewrite_location, same_origin
from .site import proxy_site

__all__ = ["HOP_BY_HOP", "ListenProxy", "forwardable", "proxy_site", "rewrite_location",
           "same_origin"]
